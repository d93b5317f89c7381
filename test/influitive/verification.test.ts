/**
 * Verification and polling against the Influitive sandbox in both list orders, through core's
 * Lambda handler, on the injected clock: the three outcomes, the run's deadline, the request
 * budget, and a backlog of any size.
 */
import {
  type InfluitiveSandbox,
  SANDBOX_ORG_ID,
  SANDBOX_TOKEN,
  startInfluitiveSandbox,
} from '../../sandbox';
import { MAX_REQUESTS_PER_RUN } from '../../src/influitive/pending-redemptions';
import { DEFAULT_RECHECK_GAPS_MS, recheckGaps } from '../../src/influitive/verify-pending';
import { hookBundle, makeBundle } from '../helpers/bundle';
import { testClock } from '../helpers/clock';
import { messageOf, rejectionOf } from '../helpers/errors';
import { runOperation } from '../helpers/run';
import { FakeZapierRpc } from '../helpers/zapier-rpc';

const HOOK = 'triggers.reward_redemption_requested.operation.perform';
const POLL = 'triggers.new_reward_redemption.operation.perform';
const authData = { api_token: SANDBOX_TOKEN, org_id: SANDBOX_ORG_ID };
type Out = { id: string; status: string; idempotency_key: string };
type Order = 'newest_first' | 'oldest_first';

let rpc: FakeZapierRpc;
let sandbox: InfluitiveSandbox | undefined;

beforeAll(async () => {
  rpc = await new FakeZapierRpc().start();
});
afterAll(() => rpc.stop());
afterEach(async () => {
  rpc.reset();
  await sandbox?.close();
  sandbox = undefined;
  delete process.env.INFLUITIVE_API_URL;
});

/** A hub with `pending` redemptions, one a second up to now, listed in `order`, 25 a page. */
const hubWith = async (order: Order, pending: number): Promise<InfluitiveSandbox> => {
  sandbox = await startInfluitiveSandbox({
    seed: false,
    rateLimit: false,
    listOrder: order,
    now: () => new Date(testClock.now()),
  });
  sandbox.seedPending(pending);
  process.env.INFLUITIVE_API_URL = sandbox.url;
  return sandbox;
};

/** An advocate requests a reward a second later: the new redemption's id. */
const requestReward = (hub: InfluitiveSandbox, listedAfterMs = 0): number => {
  testClock.advance(1_000);
  const [member] = hub.members;
  const [reward] = hub.rewards;
  return hub.addRedemption({
    rewardId: reward?.id ?? 0,
    contactId: member?.id ?? 0,
    listedAfterMs,
  }).id;
};

const listRequests = (hub: InfluitiveSandbox): number =>
  hub.requestLog.filter((entry) => entry.path.startsWith('/reward_redemptions')).length;

const deliver = (id: number | string, zapId = 'zap-1') =>
  runOperation(
    HOOK,
    hookBundle({ reward_redemption: { id } }, { authData, zapId }),
    rpc.url,
  ) as Promise<Out[]>;

const poll = () => runOperation(POLL, makeBundle({ authData }), rpc.url) as Promise<Out[]>;

describe.each<Order>(['newest_first', 'oldest_first'])('listed %s', (order) => {
  it('confirms a new redemption with 300 pending, and the next ones at a request or two each', async () => {
    const hub = await hubWith(order, 300);
    const first = requestReward(hub);
    await expect(deliver(first)).resolves.toMatchObject([{ id: String(first), status: 'pending' }]);
    // Newest first, the new one is on page 1; oldest first, the first run walks to the tail.
    expect(listRequests(hub)).toBe(order === 'newest_first' ? 1 : 13);
    const before = listRequests(hub);
    for (let i = 0; i < 5; i += 1) {
      const id = requestReward(hub);
      await expect(deliver(id)).resolves.toMatchObject([{ id: String(id) }]);
    }
    expect(listRequests(hub) - before).toBeLessThanOrEqual(10);
  });

  it('with 3,000 pending, says it could not tell until the list is known, then confirms', async () => {
    const hub = await hubWith(order, 3_000);
    const id = requestReward(hub);
    if (order === 'newest_first') {
      await expect(deliver(id)).resolves.toMatchObject([{ id: String(id) }]);
      expect(listRequests(hub)).toBe(1);
      return;
    }
    // 121 pages: more than one run may read. Each run says so, loudly, and continues the walk.
    for (let run = 0; run < 3; run += 1) {
      const error = await rejectionOf(deliver(id));
      expect(error.name).not.toBe('HaltedError');
      expect(messageOf(error)).toMatch(
        /^Could not tell whether reward redemption \d+ is pending: the pending list is longer than one run may read \(40 requests.*Replay this run from the Zap history/,
      );
    }
    expect(listRequests(hub)).toBe(3 * MAX_REQUESTS_PER_RUN);
    await expect(deliver(id)).resolves.toMatchObject([{ id: String(id) }]);
    // From then on a new redemption costs the tail only.
    const before = listRequests(hub);
    const next = requestReward(hub);
    await expect(deliver(next)).resolves.toMatchObject([{ id: String(next) }]);
    expect(listRequests(hub) - before).toBeLessThanOrEqual(2);
  });

  it('triggers for a redemption the API lists 12 s after its webhook', async () => {
    const hub = await hubWith(order, 30);
    const started = testClock.now();
    const id = requestReward(hub, 12_000);
    await expect(deliver(id)).resolves.toMatchObject([{ id: String(id) }]);
    expect(testClock.now() - started).toBeGreaterThanOrEqual(12_000);
    expect(testClock.now() - started).toBeLessThan(25_000);
  });

  it('halts a forged id with 30 pending within 12 requests and 28 s', async () => {
    const hub = await hubWith(order, 30);
    const started = testClock.now();
    const error = await rejectionOf(deliver(99_999_999));
    expect(error.name).toBe('HaltedError');
    expect(messageOf(error)).toMatch(/^Not pending: reward redemption 99999999/);
    expect(listRequests(hub)).toBeLessThanOrEqual(12);
    expect(testClock.now() - started).toBeLessThan(28_000);
  });

  it('lets 5 forged posts at once share their reads, so they cannot drain the firewall budget', async () => {
    const hub = await hubWith(order, 30);
    const errors = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => rejectionOf(deliver(90_000_000 + n, `zap-${n}`))),
    );
    expect(errors.map((error) => error.name)).toEqual(Array(5).fill('HaltedError'));
    expect(listRequests(hub)).toBeLessThanOrEqual(30);
  });

  it('confirms a burst of 50 genuine webhooks with 300 pending in at most 100 requests', async () => {
    const hub = await hubWith(order, 300);
    const ids = Array.from({ length: 50 }, () => requestReward(hub));
    // Ten at a time: the runs that wait for another's walk need real time to pass (1 s → 40 ms).
    testClock.realWaitRatio = 0.04;
    try {
      for (let start = 0; start < ids.length; start += 10) {
        const wave = ids.slice(start, start + 10);
        const results = await Promise.all(wave.map((id) => deliver(id)));
        expect(results.map((r) => r[0]?.id)).toEqual(wave.map(String));
      }
    } finally {
      testClock.realWaitRatio = 0;
    }
    expect(listRequests(hub)).toBeLessThanOrEqual(100);
  });

  it('halts a late delivery of a redemption decided since, and confirms an older pending one', async () => {
    const hub = await hubWith(order, 300);
    const [oldest] = hub.redemptions('pending').slice(-1);
    const [decided] = hub.redemptions('pending').slice(-2, -1);
    if (!oldest || !decided) throw new Error('seed');
    await fetch(`${hub.url}/reward_redemptions/${decided.id}/decision/fulfill`, {
      method: 'POST',
      headers: { Authorization: `Token ${SANDBOX_TOKEN}`, X_ORG_ID: SANDBOX_ORG_ID },
    });
    await expect(deliver(oldest.id)).resolves.toMatchObject([{ id: String(oldest.id) }]);
    const error = await rejectionOf(deliver(decided.id));
    expect(error.name).toBe('HaltedError');
  });

  it('brings a redemption requested after the Zap was turned on to the next poll', async () => {
    const hub = await hubWith(order, 300);
    const firstPoll = await poll();
    expect(firstPoll).toHaveLength(100);
    const id = requestReward(hub);
    const before = listRequests(hub);
    const next = await poll();
    expect(next.map((r) => r.id)).toContain(String(id));
    expect(next[0]?.id).toBe(String(id));
    expect(listRequests(hub) - before).toBeLessThanOrEqual(2);
  });

  it('with 3,000 pending, reaches a new redemption within four polls of 40 requests at most', async () => {
    const hub = await hubWith(order, 3_000);
    const id = requestReward(hub);
    const seen: string[][] = [];
    for (let n = 0; n < 4 && !seen.flat().includes(String(id)); n += 1) {
      const before = listRequests(hub);
      seen.push((await poll()).map((r) => r.id));
      expect(listRequests(hub) - before).toBeLessThanOrEqual(MAX_REQUESTS_PER_RUN);
    }
    expect(seen.flat()).toContain(String(id));
    expect(seen.length).toBe(order === 'newest_first' ? 1 : 4);
  });
});

describe('when the list or the cache misbehave', () => {
  it("reads directly, within the same cap, when Zapier's cache is down", async () => {
    const hub = await hubWith('oldest_first', 30);
    rpc.mode = 'down';
    const id = requestReward(hub);
    await expect(deliver(id)).resolves.toMatchObject([{ id: String(id) }]);
    const error = await rejectionOf(deliver(99_999_999));
    expect(error.name).toBe('HaltedError');
    // Two pages, 7 checks, no layout to share: 2 + 2 + 7 × 2 at most.
    expect(listRequests(hub)).toBeLessThanOrEqual(2 + 7 * 2);
  });

  it('steps back from a tail that moved when older redemptions were decided', async () => {
    const hub = await hubWith('oldest_first', 300);
    const first = requestReward(hub);
    await expect(deliver(first)).resolves.toHaveLength(1);
    // 30 of the oldest are fulfilled: every page shifts and the known last page is now empty.
    for (const record of hub.redemptions('pending').slice(-30)) {
      await fetch(`${hub.url}/reward_redemptions/${record.id}/decision/fulfill`, {
        method: 'POST',
        headers: { Authorization: `Token ${SANDBOX_TOKEN}`, X_ORG_ID: SANDBOX_ORG_ID },
      });
    }
    const before = listRequests(hub);
    const id = requestReward(hub);
    await expect(deliver(id)).resolves.toMatchObject([{ id: String(id) }]);
    expect(listRequests(hub) - before).toBeLessThanOrEqual(4);
  });

  it('waits at most 8 s for a walk lock a crashed run left behind, then walks itself', async () => {
    const hub = await hubWith('newest_first', 30);
    await runOperation(
      HOOK,
      hookBundle({ reward_redemption: { id: requestReward(hub) } }, { authData, zapId: 'warm' }),
      rpc.url,
    );
    rpc.reset();
    // The lock of a run that never finished, as the cache still holds it.
    rpc.store.set(
      FakeZapierRpc.scopedKey('influitive-pending-walk', ['auth'], {
        userId: 'user-1',
        authId: 'auth-1',
      }),
      {
        value: '{"at":0}',
        expiresAt: undefined,
      },
    );
    const started = testClock.now();
    const id = requestReward(hub);
    await expect(deliver(id)).resolves.toMatchObject([{ id: String(id) }]);
    expect(testClock.now() - started - 1_000).toBeGreaterThanOrEqual(8_000);
    expect(testClock.now() - started).toBeLessThan(12_000);
  });

  it('calls an unknown id on a list too long for one run "could not tell", cheaply', async () => {
    const hub = await hubWith('oldest_first', 1_100);
    const id = requestReward(hub);
    await rejectionOf(deliver(id));
    await expect(deliver(id)).resolves.toHaveLength(1);
    const before = listRequests(hub);
    const error = await rejectionOf(deliver(99_999_999));
    expect(error.name).not.toBe('HaltedError');
    expect(messageOf(error)).toMatch(/^Could not tell whether reward redemption 99999999/);
    // Only the tail is read at each of the 7 checks; the 45 pages are never walked again.
    expect(listRequests(hub) - before).toBeLessThanOrEqual(7 * 2);
  });
});

describe('the re-check schedule', () => {
  it('spreads seven checks over 22.5 s by default, and takes shorter gaps from the environment', () => {
    expect(recheckGaps()).toEqual(DEFAULT_RECHECK_GAPS_MS);
    expect(DEFAULT_RECHECK_GAPS_MS.reduce((sum, gap) => sum + gap, 0)).toBe(22_500);
    process.env.INFLUITIVE_VERIFY_RETRY_DELAYS_MS = '100, x, -1,200';
    try {
      expect(recheckGaps()).toEqual([100, 200]);
    } finally {
      delete process.env.INFLUITIVE_VERIFY_RETRY_DELAYS_MS;
    }
  });
});

describe('the run deadline', () => {
  it('ends a walk over slow pages with an error before Zapier stops the run', async () => {
    const hub = await hubWith('oldest_first', 300);
    // Every page the sandbox serves takes 4 s of the app's clock: 13 pages would take 52 s.
    const realNow = testClock.now.bind(testClock);
    const slow = jest
      .spyOn(testClock, 'now')
      .mockImplementation(() => realNow() + listRequests(hub) * 4_000);
    try {
      const error = await rejectionOf(deliver(99_999_999));
      expect(error.name).not.toBe('HaltedError');
      expect(messageOf(error)).toMatch(
        /^Could not tell whether reward redemption 99999999 is pending: Influitive did not answer fast enough to read the pending list to its end before this run's deadline/,
      );
      // No request was started with less than a second of the 25 s left.
      expect(listRequests(hub)).toBe(7);
    } finally {
      slow.mockRestore();
    }
  });
});
