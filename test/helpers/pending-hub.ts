/**
 * The harness the pending-list suites share: an Influitive sandbox on the discrete-event test clock
 * (its latency parked on that clock), the stand-in for Zapier's RPC, and the hook and the poll run
 * through core's Lambda handler. Call `usePendingHub()` once at the top of a test file.
 */
import {
  type InfluitiveSandbox,
  SANDBOX_ORG_ID,
  SANDBOX_TOKEN,
  startInfluitiveSandbox,
} from '../../sandbox';
import type { SandboxRequest } from '../../sandbox/http';
import { hookBundle, makeBundle } from './bundle';
import { testClock } from './clock';
import { runOperation } from './run';
import { FakeZapierRpc } from './zapier-rpc';

export const HOOK = 'triggers.reward_redemption_requested.operation.perform';
export const POLL = 'triggers.new_reward_redemption.operation.perform';
export const authData = { api_token: SANDBOX_TOKEN, org_id: SANDBOX_ORG_ID };
export type Out = { id: string; status: string; idempotency_key: string };
export type Order = 'newest_first' | 'oldest_first';

export interface HubOptions {
  /** Each Influitive request takes this long on the test clock. */
  latencyMs?: number;
  /** The backlog is this far apart up to now (default a second). */
  spacingMs?: number;
  /** Runs before each answer instead of the latency (to change the hub between page reads). */
  beforeAnswer?: (request: SandboxRequest) => Promise<void>;
  /** The hub answers GET /reward_redemptions/{id}. */
  singleRecord?: boolean;
}

export const usePendingHub = () => {
  const state: { rpc?: FakeZapierRpc; sandbox?: InfluitiveSandbox; order: Order } = {
    order: 'newest_first',
  };
  beforeAll(async () => {
    state.rpc = await new FakeZapierRpc().start();
  });
  afterAll(() => state.rpc?.stop());
  afterEach(async () => {
    state.rpc?.reset();
    await state.sandbox?.close();
    state.sandbox = undefined;
    delete process.env.INFLUITIVE_API_URL;
  });
  const rpc = (): FakeZapierRpc => {
    if (!state.rpc) throw new Error('usePendingHub() must be called at the top of the file');
    return state.rpc;
  };

  /** A hub with `pending` redemptions listed in `order`, 25 a page. */
  const hubWith = async (
    order: Order,
    pending: number,
    options: HubOptions = {},
  ): Promise<InfluitiveSandbox> => {
    const latency = options.latencyMs ?? 0;
    state.order = order;
    state.sandbox = await startInfluitiveSandbox({
      seed: false,
      rateLimit: false,
      listOrder: order,
      singleRecord: options.singleRecord ?? false,
      now: () => new Date(testClock.now()),
      latency: options.beforeAnswer ?? (latency > 0 ? () => testClock.park(latency) : undefined),
    });
    state.sandbox.seedPending(pending, { everyMs: options.spacingMs });
    process.env.INFLUITIVE_API_URL = state.sandbox.url;
    return state.sandbox;
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

  /** The pending redemptions in the order the hub lists them. */
  const inListOrder = (hub: InfluitiveSandbox) => {
    const newest = hub.redemptions('pending');
    return state.order === 'newest_first' ? newest : newest.slice().reverse();
  };

  const listRequests = (hub: InfluitiveSandbox): number =>
    hub.requestLog.filter((entry) => entry.path.startsWith('/reward_redemptions')).length;

  const deliver = (body: unknown, zapId = 'zap-1', inputData: Record<string, unknown> = {}) =>
    runOperation(HOOK, hookBundle(body, { authData, zapId, inputData }), rpc().url) as Promise<
      Out[]
    >;
  const deliverId = (id: number | string, zapId = 'zap-1') =>
    deliver({ reward_redemption: { id } }, zapId);

  const poll = (populating = false) =>
    runOperation(
      POLL,
      makeBundle({ authData, meta: { ...makeBundle().meta, isPopulatingDedupe: populating } }),
      rpc().url,
    ) as Promise<Out[]>;

  return { rpc, hubWith, requestReward, inListOrder, listRequests, deliver, deliverId, poll };
};
