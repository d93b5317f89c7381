/**
 * The one z.cache helper, through core's Lambda handler and its real RPC client against the
 * stand-in for Zapier's RPC: a claim is never mistaken for a repeat when its own answer was lost,
 * and no cache call can hold a run past its bound.
 */
import { claimKey, firstInWindow, releaseClaim } from '../../src/shared/cache';
import type { ZObject } from '../../src/shared/types';
import { hookBundle, LOUDCROWD_KEY } from '../helpers/bundle';
import { messageOf, rejectionOf } from '../helpers/errors';
import { runOperation } from '../helpers/run';
import { FakeZapierRpc } from '../helpers/zapier-rpc';

const PERFORM = 'triggers.loudcrowd_reward_event.operation.perform';
const event = { lcId: 'RWD-CACHE-1', email: 'ana@example.com', medias: [] };

let rpc: FakeZapierRpc;
beforeAll(async () => {
  rpc = await new FakeZapierRpc().start();
});
afterAll(() => rpc.stop());
afterEach(() => {
  rpc.reset();
  delete process.env.ZAPIER_CACHE_TIMEOUT_MS;
});

const deliver = () =>
  runOperation(
    PERFORM,
    // Zapier names the Zap: without it repeats are not stopped at all (dedupe.ts).
    hookBundle(event, { headers: { 'Http-X-Api-Key': LOUDCROWD_KEY }, zapId: 'zap-1' }),
    rpc.url,
  ) as Promise<{ id: string }[]>;

describe('claims through core and the RPC stand-in', () => {
  it('runs a first delivery whose claim was stored but answered 502, and halts the resend', async () => {
    rpc.mode = 'lose-answers';
    await expect(deliver()).resolves.toMatchObject([{ id: 'RWD-CACHE-1' }]);
    // Core retried the lost answer: the stand-in saw the set more than once, stored it once.
    expect(rpc.calls.filter((call) => call.method === 'zcache_set').length).toBeGreaterThan(1);
    rpc.mode = 'up';
    const error = await rejectionOf(deliver());
    expect(error.name).toBe('HaltedError');
    expect(messageOf(error)).toMatch(/^Repeat: LoudCrowd reward event RWD-CACHE-1/);
  });

  it('lets a delivery through within the bound when the cache never answers', async () => {
    process.env.ZAPIER_CACHE_TIMEOUT_MS = '150';
    rpc.mode = 'hang';
    await expect(deliver()).resolves.toMatchObject([{ id: 'RWD-CACHE-1' }]);
  });
});

/** An in-memory z.cache that honours nx and scope, with a switch for each failure. */
const memoryZ = () => {
  const store = new Map<string, string>();
  const state = { failSet: false, loseSetAnswer: false, throttled: false, failGet: false };
  const logs: string[] = [];
  const z = {
    console: { log: (line: string) => logs.push(line) },
    cache: {
      get: async (key: string) => {
        if (state.failGet) throw new Error('get failed');
        const value = store.get(key);
        return value === undefined ? null : JSON.parse(value);
      },
      set: async (key: string, value: unknown, _ttl: number, _scope: unknown, nx: boolean) => {
        if (state.throttled) return null;
        if (state.failSet) throw new Error('set failed');
        const exists = store.has(key);
        if (!(nx && exists)) store.set(key, JSON.stringify(value));
        if (state.loseSetAnswer) throw new Error('502');
        return !(nx && exists);
      },
      delete: async (key: string) => store.delete(key),
    },
  } as unknown as ZObject;
  return { z, store, state, logs };
};

describe('claimKey, releaseClaim and firstInWindow', () => {
  it('is first for the first run, a repeat for another run, and gives back only its own token', async () => {
    const { z, store } = memoryZ();
    const mine = await claimKey(z, 'k', 60);
    const theirs = await claimKey(z, 'k', 60);
    expect([mine.outcome, theirs.outcome]).toEqual(['first', 'repeat']);
    await releaseClaim(z, theirs);
    expect(store.has('k')).toBe(true);
    await releaseClaim(z, mine);
    expect(store.has('k')).toBe(false);
    expect((await claimKey(z, 'k', 60)).outcome).toBe('first');
  });

  it('reads back a write whose answer was lost, and calls it its own', async () => {
    const { z, state } = memoryZ();
    state.loseSetAnswer = true;
    expect((await claimKey(z, 'k', 60)).outcome).toBe('first');
    expect((await claimKey(z, 'k', 60)).outcome).toBe('unknown');
  });

  it('is unknown when throttled or down, never a repeat', async () => {
    const { z, state, logs } = memoryZ();
    state.throttled = true;
    expect((await claimKey(z, 'k', 60)).outcome).toBe('unknown');
    state.throttled = false;
    state.failSet = true;
    state.failGet = true;
    expect((await claimKey(z, 'k', 60)).outcome).toBe('unknown');
    expect(logs.join('\n')).toMatch(
      /Could not claim k: Zapier's cache is unavailable \(set failed\)/,
    );
  });

  it('is loud once per window, and loud whenever the cache cannot say', async () => {
    const { z, state } = memoryZ();
    expect(await firstInWindow(z, 'alarm', 3600)).toBe(true);
    expect(await firstInWindow(z, 'alarm', 3600)).toBe(false);
    state.throttled = true;
    expect(await firstInWindow(z, 'other', 3600)).toBe(true);
  });
});
