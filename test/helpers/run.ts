import type { Bundle } from 'zapier-platform-core';
import * as core from 'zapier-platform-core';
import App from '../../src';

type LambdaHandler = (event: unknown) => Promise<{ results: unknown }>;
// core exports createAppHandler at runtime but its typings leave it out.
const { createAppHandler } = core as unknown as {
  createAppHandler: (app: unknown) => LambdaHandler;
};

export const handlerFor = (app: unknown): LambdaHandler => createAppHandler(app);
const handler = handlerFor(App);

/**
 * Runs one operation (`triggers.x.operation.perform`) through core's Lambda handler, the entry point
 * Zapier runs in production, with `z.cache` backed by an RPC server (see FakeZapierRpc) when given.
 * `logs`, when given, collects every log entry core writes (HTTP details included), after core's
 * own secret scrubbing, as JSON lines.
 */
export const runOperation = async (
  method: string,
  bundle: Bundle,
  rpc?: string | { url: string; token: string },
  logs?: string[],
): Promise<unknown> => {
  // A bare URL runs as the stand-in's default user and connection; `token` names another
  // (FakeZapierRpc.tokenFor), as Zapier's token names the invocation's own.
  const rpcUrl = typeof rpc === 'string' ? rpc : rpc?.url;
  const token = typeof rpc === 'string' ? 'fake-zapier-rpc-token' : rpc?.token;
  const event = {
    command: 'execute',
    method,
    bundle,
    // With a token core also streams logs to Zapier; the fake RPC server takes them on loopback.
    ...(rpcUrl
      ? {
          rpc_base: rpcUrl,
          token,
          environment: { LOGGING_ENDPOINT: rpcUrl.replace(/\/rpc$/, '/input') },
        }
      : {}),
    ...(logs
      ? {
          customLogger: (message: string, data: unknown) =>
            logs.push(JSON.stringify({ message, data })),
        }
      : {}),
  };
  const response = await handler(event);
  return response.results;
};
