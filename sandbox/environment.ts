import { type HookGateway, startHookGateway } from './gateway';
import {
  type InfluitiveSandbox,
  SANDBOX_ORG_ID,
  SANDBOX_TOKEN,
  startInfluitiveSandbox,
} from './influitive';
import { type LambdaHandler, productionHandler } from './lambda';
import { startVendorSandbox, type VendorSandbox } from './vendor';
import { FakeZapierRpc } from './zapier-rpc';

/** The LoudCrowd key of the sandbox connection: what a user would type into LoudCrowd. */
export const SANDBOX_LOUDCROWD_KEY = 'lc_sandbox_key_9b2d4f6a8c0e1357';

export interface SandboxEnvironment {
  influitive: InfluitiveSandbox;
  vendor: VendorSandbox;
  rpc: FakeZapierRpc;
  gateway: HookGateway;
  handler: LambdaHandler;
  /** The Zapier connection, as a user would fill it in for the sandbox hub. */
  authData: Record<string, string>;
  close: () => Promise<void>;
}

/**
 * Everything the loop needs, on free loopback ports: the Influitive sandbox, a Tremendous-like
 * vendor, a stand-in for Zapier's cache, and the hook gateway running the built app. The app is
 * pointed at the sandbox through INFLUITIVE_API_URL, as `zapier-platform invoke` would be.
 */
export const startSandboxEnvironment = async (
  options: {
    influitive?: Parameters<typeof startInfluitiveSandbox>[0];
    /** The app to run (e.g. the one inside build/build.zip); by default the root index.js. */
    handler?: LambdaHandler;
  } = {},
): Promise<SandboxEnvironment> => {
  const [influitive, vendor, rpc] = await Promise.all([
    startInfluitiveSandbox(options.influitive),
    startVendorSandbox(),
    new FakeZapierRpc().start(),
  ]);
  process.env.INFLUITIVE_API_URL = influitive.url;
  // The sandbox lists a redemption the moment it exists, so re-checks of an unknown id need not
  // wait the production 22 s before a forged or decided delivery is halted.
  process.env.INFLUITIVE_VERIFY_RETRY_DELAYS_MS ??= '100,100';
  const authData = {
    api_token: SANDBOX_TOKEN,
    org_id: SANDBOX_ORG_ID,
    loudcrowd_api_key: SANDBOX_LOUDCROWD_KEY,
  };
  const handler = options.handler ?? productionHandler();
  const gateway = await startHookGateway({ handler, rpc, authData });
  return {
    influitive,
    vendor,
    rpc,
    gateway,
    handler,
    authData,
    close: async () => {
      await Promise.all([gateway.close(), influitive.close(), vendor.close(), rpc.stop()]);
    },
  };
};
