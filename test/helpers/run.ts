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
 */
export const runOperation = async (
  method: string,
  bundle: Bundle,
  rpcUrl?: string,
): Promise<unknown> => {
  const event = {
    command: 'execute',
    method,
    bundle,
    ...(rpcUrl ? { rpc_base: rpcUrl, token: 'fake-zapier-rpc-token' } : {}),
  };
  const response = await handler(event);
  return response.results;
};
