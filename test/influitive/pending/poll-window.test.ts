/**
 * The poll window through core's Lambda handler, against the Influitive sandbox in both list
 * orders, on the discrete-event test clock: the sandbox's latency and the app's waits run on it,
 * so request counts and outcomes are the same on any machine.
 */
import {
  type InfluitiveSandbox,
  SANDBOX_ORG_ID,
  SANDBOX_TOKEN,
  startInfluitiveSandbox,
} from '../../../sandbox';
import type { SandboxRequest } from '../../../sandbox/http';
import { WINDOW_MS } from '../../../src/influitive/pending/window';
import { hookBundle, makeBundle } from '../../helpers/bundle';
import { testClock } from '../../helpers/clock';
import { PollingZap } from '../../helpers/polling-zap';
import { runOperation } from '../../helpers/run';
import { FakeZapierRpc } from '../../helpers/zapier-rpc';

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

/**
 * A hub with `pending` redemptions listed in `order`, 25 a page, each request taking `latencyMs`
 * on the test clock; the backlog is `spacingMs` apart up to now.
 */
const hubWith = async (
  order: Order,
  pending: number,
  options: {
    latencyMs?: number;
    spacingMs?: number;
    beforeAnswer?: (request: SandboxRequest) => Promise<void>;
  } = {},
): Promise<InfluitiveSandbox> => {
  const latency = options.latencyMs ?? 0;
  hubOrder = order;
  sandbox = await startInfluitiveSandbox({
    seed: false,
    rateLimit: false,
    listOrder: order,
    now: () => new Date(testClock.now()),
    latency: options.beforeAnswer ?? (latency > 0 ? () => testClock.park(latency) : undefined),
  });
  sandbox.seedPending(pending, { everyMs: options.spacingMs });
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

const decide = (hub: InfluitiveSandbox, id: number) => hub.decideNow(id);

/** The pending redemptions in the order the hub lists them. */
const _inListOrder = (hub: InfluitiveSandbox) => {
  const newest = hub.redemptions('pending');
  return hubOrder === 'newest_first' ? newest : newest.slice().reverse();
};
let hubOrder: Order = 'newest_first';

const listRequests = (hub: InfluitiveSandbox): number =>
  hub.requestLog.filter((entry) => entry.path.startsWith('/reward_redemptions')).length;

const deliver = (body: unknown, zapId = 'zap-1') =>
  runOperation(HOOK, hookBundle(body, { authData, zapId }), rpc.url) as Promise<Out[]>;
const _deliverId = (id: number | string, zapId = 'zap-1') =>
  deliver({ reward_redemption: { id } }, zapId);

const poll = (populating = false) =>
  runOperation(
    POLL,
    makeBundle({
      authData,
      meta: { ...makeBundle().meta, isPopulatingDedupe: populating },
    }),
    rpc.url,
  ) as Promise<Out[]>;

describe.each<Order>(['newest_first', 'oldest_first'])('the poll, listed %s', (order) => {
  const zapOn = () => new PollingZap<Out>((populating) => poll(populating));

  it('never fires the backlog, and fires each redemption requested while on exactly once', async () => {
    // 3,000 pending, one every 10 minutes: the oldest are three weeks old.
    const hub = await hubWith(order, 3_000, { spacingMs: 10 * 60_000 });
    const zap = zapOn();
    // Oldest first, 120 pages take a few polls to read to the end; each says so loudly. What is
    // requested meanwhile joins the baseline (the still-waiting trigger reports it), never the
    // backlog's way into the Zap.
    const meanwhile: number[] = [];
    for (let poll = 0; poll < 6; poll += 1) {
      expect(await zap.run()).toEqual([]);
      if (zap.errors.length === poll) break;
      meanwhile.push(requestReward(hub));
    }
    if (order === 'newest_first') expect(zap.errors).toEqual([]);
    else expect(zap.errors.slice(4)).toEqual([]);
    expect(zap.errors[0] ?? '').not.toMatch(/replay/i);
    const ids = Array.from({ length: 3 }, () => requestReward(hub));
    const fired = await zap.run();
    expect(fired.map((r) => r.id).sort()).toEqual(ids.map(String).sort());
    for (const id of meanwhile) expect(fired.map((r) => r.id)).not.toContain(String(id));
    expect(await zap.run()).toEqual([]);
  });

  it('returns every one of 130 redemptions requested between two polls', async () => {
    const hub = await hubWith(order, 300, { spacingMs: 60 * 60_000 });
    const zap = zapOn();
    await zap.run();
    const ids = Array.from({ length: 130 }, () => requestReward(hub));
    const fired = await zap.run();
    expect(fired).toHaveLength(130);
    expect(new Set(fired.map((r) => r.id))).toEqual(new Set(ids.map(String)));
  });

  it('fires nothing while an admin works the backlog, or after the cache is lost', async () => {
    const hub = await hubWith(order, 200, { spacingMs: 30 * 60_000 });
    const zap = zapOn();
    await zap.run();
    // The admin decides the 40 newest of the backlog, then the cache is lost.
    for (const record of hub.redemptions('pending').slice(0, 40)) decide(hub, record.id);
    expect(await zap.run()).toEqual([]);
    rpc.reset();
    expect(await zap.run()).toEqual([]);
    const second = zapOn();
    await second.run();
    const id = requestReward(hub);
    expect((await zap.run()).map((r) => r.id)).toEqual([String(id)]);
    expect((await second.run()).map((r) => r.id)).toEqual([String(id)]);
  });

  it(`keeps a poll to a few requests once the window is known, whatever the backlog`, async () => {
    const hub = await hubWith(order, 3_000, { spacingMs: 10 * 60_000 });
    const zap = zapOn();
    for (let poll = 0; poll < 6 && zap.errors.length === poll; poll += 1) await zap.run();
    await zap.run();
    requestReward(hub);
    const before = listRequests(hub);
    expect(await zap.run()).toHaveLength(1);
    // The window (48 h, one every 10 minutes: about 290) is 12 pages; oldest first adds one.
    expect(listRequests(hub) - before).toBeLessThanOrEqual(Math.ceil(WINDOW_MS / 600_000 / 25) + 2);
  });
});
