import { join } from 'node:path';

export type LambdaHandler = (event: unknown) => Promise<{ results: unknown }>;

/** The repository root, from sandbox/ (ts-jest) or dist/ (the bundled sandbox CLI) alike. */
export const REPO_ROOT = join(__dirname, '..');

/**
 * The built app exactly as Zapier's production wrapper loads it: `require` of the root index.js,
 * no `.default` unwrapping, run through core's Lambda handler. A packaging mistake fails here.
 */
export const productionHandler = (): LambdaHandler => {
  // Resolved at run time so esbuild leaves both to Node instead of bundling them.
  const load = require;
  const core = load('zapier-platform-core') as {
    createAppHandler: (app: unknown) => LambdaHandler;
  };
  const app: unknown = load(join(REPO_ROOT, 'index.js'));
  return core.createAppHandler(app);
};

/** One operation through the handler, e.g. `creates.fulfill_reward_redemption.operation.perform`. */
export interface OperationCall {
  method: string;
  bundle: Record<string, unknown>;
  /** The Zapier RPC stand-in, for z.cache and the log stream. */
  rpc?: { url: string; logUrl: string };
}

export const runThroughHandler = async (
  handler: LambdaHandler,
  call: OperationCall,
): Promise<unknown> => {
  const event = {
    command: 'execute',
    // As `zapier-platform invoke` does: core's output checks throw instead of only logging, and
    // the per-invocation memory line stays out of the report.
    calledFromCli: true,
    method: call.method,
    bundle: { inputData: {}, ...call.bundle },
    ...(call.rpc
      ? {
          rpc_base: call.rpc.url,
          token: 'sandbox-zapier-token',
          environment: { LOGGING_ENDPOINT: call.rpc.logUrl },
        }
      : {}),
  };
  return (await handler(event)).results;
};

export { zapierErrorMessage } from '../src/shared/zapier-errors';
