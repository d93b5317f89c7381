import { hookBundle, startHookGateway, zapierHeaderName } from '../../sandbox/gateway';
import type { LambdaHandler } from '../../sandbox/lambda';
import { FakeZapierRpc } from '../../sandbox/zapier-rpc';

describe('zapierHeaderName', () => {
  it.each([
    ['x-api-key', 'Http-X-Api-Key'],
    ['authorization', 'Http-Authorization'],
    ['api-key', 'Http-Api-Key'],
    ['content-type', 'Content-Type'],
    ['content-length', 'Content-Length'],
  ])('renames %s to %s as Zapier does', (name, renamed) => {
    expect(zapierHeaderName(name)).toBe(renamed);
  });
});

describe('hookBundle', () => {
  const url = new URL('http://127.0.0.1/hooks/x?api_key=k1&verbose=1');

  it('puts the parsed body and the query string in cleanedRequest, and the raw request beside it', () => {
    const bundle = hookBundle({
      method: 'POST',
      url,
      headers: { 'x-api-key': 'k2' },
      content: '{"lcId":"A1"}',
    });
    expect(bundle).toEqual({
      rawRequest: {
        method: 'POST',
        querystring: 'api_key=k1&verbose=1',
        headers: { 'Http-X-Api-Key': 'k2' },
        content: '{"lcId":"A1"}',
      },
      cleanedRequest: { lcId: 'A1', querystring: { api_key: 'k1', verbose: '1' } },
    });
  });

  it('keeps an array body as it is, and a non-JSON body as only the query string', () => {
    expect(hookBundle({ method: 'POST', url, headers: {}, content: '[1]' }).cleanedRequest).toEqual(
      [1],
    );
    expect(hookBundle({ method: 'POST', url, headers: {}, content: 'a=b' }).cleanedRequest).toEqual(
      {
        querystring: { api_key: 'k1', verbose: '1' },
      },
    );
  });
});

describe('startHookGateway', () => {
  let rpc: FakeZapierRpc;
  beforeAll(async () => {
    rpc = await new FakeZapierRpc().start();
  });
  afterAll(() => rpc.stop());

  const gatewayWith = (handler: LambdaHandler) =>
    startHookGateway({
      handler,
      rpc,
      authData: { loudcrowd_api_key: 'k' },
      inputData: { loudcrowd_reward_event: { x: 1 } },
    });

  it('runs the trigger for the path with the hook bundle and answers the sender 200 with the outcome', async () => {
    const events: unknown[] = [];
    const gateway = await gatewayWith(async (event) => {
      events.push(event);
      return { results: [{ id: 'A1' }] };
    });
    try {
      const response = await fetch(`${gateway.hookUrl('loudcrowd_reward_event')}?key=k`, {
        method: 'POST',
        headers: { 'X-Api-Key': 'k', 'Content-Type': 'application/json' },
        body: '{"lcId":"A1"}',
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        status: 'success',
        sandbox: {
          trigger: 'loudcrowd_reward_event',
          outcome: 'triggered',
          results: [{ id: 'A1' }],
        },
      });
      expect(events[0]).toMatchObject({
        command: 'execute',
        method: 'triggers.loudcrowd_reward_event.operation.perform',
        rpc_base: rpc.url,
        bundle: {
          authData: { loudcrowd_api_key: 'k' },
          inputData: { x: 1 },
          meta: { zap: { id: 'sandbox-zap-loudcrowd_reward_event' } },
          rawRequest: {
            querystring: 'key=k',
            headers: expect.objectContaining({ 'Http-X-Api-Key': 'k' }),
          },
        },
      });
    } finally {
      await gateway.close();
    }
  });

  it('gives each Zap its own URL and names the Zap in the bundle, as Zapier does', async () => {
    const zaps: unknown[] = [];
    const gateway = await gatewayWith(async (event) => {
      zaps.push((event as { bundle: { meta: { zap: { id: string } } } }).bundle.meta.zap.id);
      return { results: [] };
    });
    try {
      const post = (url: string) => fetch(url, { method: 'POST', body: '{}' });
      await post(gateway.hookUrl('reward_redemption_requested', 'zap-orders'));
      await post(gateway.hookUrl('reward_redemption_requested', 'zap-sheet'));
      await post(gateway.hookUrl('reward_redemption_requested'));
      expect(zaps).toEqual(['zap-orders', 'zap-sheet', 'sandbox-zap-reward_redemption_requested']);
      expect(gateway.hookUrl('reward_redemption_requested', 'zap-orders')).toBe(
        `${gateway.url}/hooks/reward_redemption_requested/zap-orders`,
      );
    } finally {
      await gateway.close();
    }
  });

  it('records a halt with its reason and any other failure as an error', async () => {
    const halted = Object.assign(new Error('Stopped: duplicate'), { name: 'HaltedError' });
    const failures = [
      halted,
      new Error(JSON.stringify({ message: 'Influitive had a server error 502' })),
    ];
    const gateway = await gatewayWith(async () => {
      throw failures.shift();
    });
    try {
      for (let i = 0; i < 2; i += 1) {
        await fetch(gateway.hookUrl('reward_redemption_requested'), { method: 'POST', body: '{}' });
      }
      expect(gateway.deliveries).toEqual([
        { trigger: 'reward_redemption_requested', outcome: 'halted', reason: 'Stopped: duplicate' },
        {
          trigger: 'reward_redemption_requested',
          outcome: 'error',
          reason: 'Influitive had a server error 502',
        },
      ]);
    } finally {
      await gateway.close();
    }
  });

  it('answers 404 with the hook paths for anything else', async () => {
    const gateway = await gatewayWith(async () => ({ results: [] }));
    try {
      const response = await fetch(`${gateway.url}/hooks/unknown`, { method: 'POST', body: '{}' });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        error: 'POST to one of /hooks/reward_redemption_requested, /hooks/loudcrowd_reward_event',
      });
      expect(gateway.deliveries).toEqual([]);
    } finally {
      await gateway.close();
    }
  });
});
