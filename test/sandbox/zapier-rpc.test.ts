import { FakeZapierRpc } from '../../sandbox/zapier-rpc';

/** One RPC call as core makes it: JSON with id, method, params and storeKey, the token in X-Token. */
const call = async (
  rpc: FakeZapierRpc,
  method: string,
  params: unknown[],
  options: { token?: string; storeKey?: string } = {},
): Promise<unknown> => {
  const response = await fetch(rpc.url, {
    method: 'POST',
    headers: { 'X-Token': options.token ?? 'fake-zapier-rpc-token' },
    body: JSON.stringify({ id: 'call-1', method, params, storeKey: options.storeKey }),
  });
  const body = (await response.json()) as { id: string; result: unknown };
  expect(body.id).toBe('call-1');
  return body.result;
};

let rpc: FakeZapierRpc;
beforeAll(async () => {
  rpc = await new FakeZapierRpc().start();
});
afterAll(() => rpc.stop());
beforeEach(() => rpc.reset());

describe('FakeZapierRpc, as Zapier scopes z.cache', () => {
  const alice1 = () => rpc.tokenFor({ userId: 'alice', authId: 'conn-1' });
  const alice2 = () => rpc.tokenFor({ userId: 'alice', authId: 'conn-2' });
  const bob1 = () => rpc.tokenFor({ userId: 'bob', authId: 'conn-1b' });

  it("keeps an ['auth'] key to its connection", async () => {
    await call(rpc, 'zcache_set', ['k', '"one"', 60, ['auth'], null], { token: alice1() });
    expect(await call(rpc, 'zcache_get', ['k', ['auth']], { token: alice1() })).toBe('"one"');
    expect(await call(rpc, 'zcache_get', ['k', ['auth']], { token: alice2() })).toBeNull();
  });

  it("shares a ['user'] key between one user's connections, not with another user", async () => {
    await call(rpc, 'zcache_set', ['k', '"u"', 60, ['user'], null], { token: alice1() });
    expect(await call(rpc, 'zcache_get', ['k', ['user']], { token: alice2() })).toBe('"u"');
    expect(await call(rpc, 'zcache_get', ['k', ['user']], { token: bob1() })).toBeNull();
  });

  it('shares an unscoped key across the whole app, and keeps scopes apart', async () => {
    await call(rpc, 'zcache_set', ['k', '"app"', 60, null, null], { token: alice1() });
    expect(await call(rpc, 'zcache_get', ['k', null], { token: bob1() })).toBe('"app"');
    expect(await call(rpc, 'zcache_get', ['k', ['auth']], { token: alice1() })).toBeNull();
    expect(FakeZapierRpc.scopedKey('k', ['user', 'auth'], { userId: 'u', authId: 'a' })).toBe(
      'app/user=u/auth=a::k',
    );
  });

  it('honours nx and ttl, per scope', async () => {
    const setAt = Date.parse('2026-11-23T12:00:00Z');
    let clock = setAt;
    rpc.now = () => clock;
    const set = (token: string, ttl: number) =>
      call(rpc, 'zcache_set', ['claim', '{}', ttl, ['auth'], true], { token });
    expect(await set(alice1(), 60)).toBe(true);
    expect(await set(alice1(), 60)).toBe(false);
    expect(await set(alice2(), 60)).toBe(true);
    // A key is held until its ttl has passed, then absent again.
    clock = setAt + 59_999;
    expect(await set(alice1(), 60)).toBe(false);
    clock = setAt + 60_000;
    expect(await set(alice1(), 60)).toBe(true);
  });

  it('answers null when throttled and 500 when down', async () => {
    rpc.mode = 'throttled';
    expect(await call(rpc, 'zcache_set', ['k', '1', 60, ['auth'], true])).toBeNull();
    rpc.mode = 'down';
    const response = await fetch(rpc.url, {
      method: 'POST',
      body: JSON.stringify({ id: 'x', method: 'zcache_get', params: ['k', null] }),
    });
    expect(response.status).toBe(500);
  });

  it('keeps a cursor per storeKey (one per Zap)', async () => {
    await call(rpc, 'set_cursor', ['page-3'], { storeKey: 'zap-1' });
    expect(await call(rpc, 'get_cursor', [], { storeKey: 'zap-1' })).toBe('page-3');
    expect(await call(rpc, 'get_cursor', [], { storeKey: 'zap-2' })).toBeNull();
  });
});
