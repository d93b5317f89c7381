/**
 * Bursts of webhooks through core's Lambda handler, against the Influitive sandbox in both list
 * orders, on the discrete-event test clock: the sandbox's latency and the app's waits run on it,
 * so request counts and outcomes are the same on any machine.
 */
/**
 * (One file per list order: core's handler exits a process that has run 250 events with a large
 * heap, and three bursts of 50 in each order would pass that in one jest worker.)
 */
import {
  type InfluitiveSandbox,
  SANDBOX_ORG_ID,
  SANDBOX_TOKEN,
  startInfluitiveSandbox,
} from '../../../sandbox';
import type { SandboxRequest } from '../../../sandbox/http';
import { hookBundle, makeBundle } from '../../helpers/bundle';
import { testClock } from '../../helpers/clock';
import { runOperation } from '../../helpers/run';
import { FakeZapierRpc } from '../../helpers/zapier-rpc';

jest.setTimeout(120_000);

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

const _decide = (hub: InfluitiveSandbox, id: number) => hub.decideNow(id);

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
const deliverId = (id: number | string, zapId = 'zap-1') =>
  deliver({ reward_redemption: { id } }, zapId);

const _poll = (populating = false) =>
  runOperation(
    POLL,
    makeBundle({
      authData,
      meta: { ...makeBundle().meta, isPopulatingDedupe: populating },
    }),
    rpc.url,
  ) as Promise<Out[]>;

describe.each<Order>(['newest_first'])('a burst, listed %s', (order) => {
  it.each([0, 300, 800])(
    'confirms a burst of 50 genuine webhooks with 300 pending in at most 100 requests, at %i ms a request',
    async (latencyMs) => {
      const hub = await hubWith(order, 300, { latencyMs });
      const ids = Array.from({ length: 50 }, () => requestReward(hub));
      const results = await Promise.all(ids.map((id) => deliverId(id)));
      expect(results.map((r) => r[0]?.id)).toEqual(ids.map(String));
      expect(listRequests(hub)).toBeLessThanOrEqual(100);
    },
  );
});
