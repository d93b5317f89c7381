/**
 * Requests per delivery: the instant trigger's verification against the Influitive sandbox, in
 * both list orders, through the built app and core's Lambda handler, with z.cache backed by the
 * RPC stand-in (scoped per connection, nx honoured). Real clock: the forged id really waits out
 * its re-checks, so its wall time is what a Zap would see.
 *
 * Goals (issue 8): a burst of 50 genuine webhooks with 300 pending ≤ 100 requests; a forged id
 * with 30 pending ≤ 12 requests and < 28 s.
 */
import {
  type InfluitiveSandbox,
  SANDBOX_ORG_ID,
  SANDBOX_TOKEN,
  startInfluitiveSandbox,
} from '../sandbox/influitive';
import { FakeZapierRpc } from '../sandbox/zapier-rpc';
import { type LambdaHandler, loadBuiltApp, loadCore } from './paths';

type Order = 'newest_first' | 'oldest_first';
const ORDERS: Order[] = ['newest_first', 'oldest_first'];
const HOOK = 'triggers.reward_redemption_requested.operation.perform';
const POLL = 'triggers.new_reward_redemption.operation.perform';

/** Each Influitive request takes this long (the sandbox waits before answering), in turn. */
export const LATENCIES_MS = [0, 300, 800] as const;

export const GOALS = {
  burst: { webhooks: 50, pending: 300, concurrency: 50, maxRequests: 100 },
  forged: { pending: 30, maxRequests: 12, maxSeconds: 28 },
  poll: { pending: 3_000 },
} as const;

export interface LatencyResult {
  latencyMs: number;
  burst: { requests: number; triggered: number; wallSeconds: number; met: boolean };
  forged: { requests: number; seconds: number; halted: boolean; met: boolean };
}

export interface OrderResult {
  order: Order;
  /** At no added latency (the figures the report's main rows show). */
  burst: LatencyResult['burst'];
  forged: LatencyResult['forged'];
  /** The same two measurements at each of LATENCIES_MS. */
  latencies: LatencyResult[];
  /** 3,000 pending: requests of each poll until a new redemption shows, then of the next poll. */
  polls: { requestsToFind: number[]; requestsAfter: number; pollsToFind: number };
}

export interface VerificationResult {
  method: string;
  goals: typeof GOALS;
  orders: OrderResult[];
  met: boolean;
}

const listRequests = (hub: InfluitiveSandbox): number =>
  hub.requestLog.filter((entry) => entry.path.startsWith('/reward_redemptions')).length;

const hubWith = async (order: Order, pending: number, latencyMs = 0, everyMs = 1_000) => {
  const hub = await startInfluitiveSandbox({
    seed: false,
    rateLimit: false,
    listOrder: order,
    latency:
      latencyMs > 0 ? () => new Promise((resolve) => setTimeout(resolve, latencyMs)) : undefined,
  });
  hub.seedPending(pending, { everyMs });
  return hub;
};

const addOne = (hub: InfluitiveSandbox): number => {
  const [member] = hub.members;
  const [reward] = hub.rewards;
  return hub.addRedemption({ rewardId: reward?.id ?? 0, contactId: member?.id ?? 0 }).id;
};

/** Runs every measurement of one order, each against its own sandbox and rpc connection. */
const measureOrder = async (
  handler: LambdaHandler,
  rpc: FakeZapierRpc,
  order: Order,
  log: (line: string) => void,
): Promise<OrderResult> => {
  const authData = { api_token: SANDBOX_TOKEN, org_id: SANDBOX_ORG_ID };
  let serial = 0;
  /** A new connection in the stand-in, so no layout carries over between measurements. */
  const connection = () => {
    serial += 1;
    const id = `bench-${order}-${serial}`;
    return rpc.tokenFor({ userId: id, authId: id });
  };
  const run = (token: string, method: string, bundle: Record<string, unknown>) =>
    handler({
      command: 'execute',
      calledFromCli: true,
      method,
      bundle: { authData, inputData: {}, ...bundle },
      rpc_base: rpc.url,
      token,
      // With a token core streams logs; they go to the stand-in, never to Zapier.
      environment: { LOGGING_ENDPOINT: rpc.logUrl },
    });
  const deliver = (token: string, id: number, zap: string) =>
    run(token, HOOK, {
      meta: { zap: { id: zap } },
      rawRequest: {
        method: 'POST',
        querystring: '',
        headers: { 'Content-Type': 'application/json' },
        content: JSON.stringify({ reward_redemption: { id } }),
      },
      cleanedRequest: { reward_redemption: { id } },
    });
  const useHub = async (pending: number, latencyMs = 0, everyMs = 1_000) => {
    const hub = await hubWith(order, pending, latencyMs, everyMs);
    process.env.INFLUITIVE_API_URL = hub.url;
    return hub;
  };

  const latencies: LatencyResult[] = [];
  for (const latencyMs of LATENCIES_MS) {
    latencies.push(await measureLatency(latencyMs));
  }

  async function measureLatency(latencyMs: number): Promise<LatencyResult> {
    // A burst: 50 redemptions requested, their webhooks arriving all at once.
    const burstHub = await useHub(GOALS.burst.pending, latencyMs);
    let triggered = 0;
    const burstStarted = performance.now();
    try {
      const token = connection();
      const ids = Array.from({ length: GOALS.burst.webhooks }, () => addOne(burstHub));
      for (let i = 0; i < ids.length; i += GOALS.burst.concurrency) {
        const wave = ids.slice(i, i + GOALS.burst.concurrency);
        const results = await Promise.all(wave.map((id) => deliver(token, id, 'bench-burst')));
        triggered += results.filter(
          (r) => Array.isArray(r.results) && r.results.length === 1,
        ).length;
      }
    } finally {
      await burstHub.close();
    }
    const burstSeconds = (performance.now() - burstStarted) / 1000;
    const burstRequests = listRequests(burstHub);
    log(
      `verification, ${order}, ${latencyMs} ms a request: a burst of 50 webhooks took ${burstRequests} requests`,
    );

    // A forged id, 30 pending: re-checked until the deadline, then halted.
    const forgedHub = await useHub(GOALS.forged.pending, latencyMs);
    let halted = false;
    const forgedStarted = performance.now();
    try {
      await deliver(connection(), 990_000_001, 'bench-forged');
    } catch (error) {
      halted = error instanceof Error && error.name === 'HaltedError';
    } finally {
      await forgedHub.close();
    }
    const forgedSeconds = (performance.now() - forgedStarted) / 1000;
    const forgedRequests = listRequests(forgedHub);
    log(
      `verification, ${order}, ${latencyMs} ms a request: a forged id took ${forgedRequests} requests and ${forgedSeconds.toFixed(1)} s`,
    );
    return {
      latencyMs,
      burst: {
        requests: burstRequests,
        triggered,
        wallSeconds: Math.round(burstSeconds * 10) / 10,
        met: burstRequests <= GOALS.burst.maxRequests && triggered === GOALS.burst.webhooks,
      },
      forged: {
        requests: forgedRequests,
        seconds: Math.round(forgedSeconds * 10) / 10,
        halted,
        met:
          halted &&
          forgedRequests <= GOALS.forged.maxRequests &&
          forgedSeconds < GOALS.forged.maxSeconds,
      },
    };
  }

  // Polls with 3,000 pending, one every 10 minutes (the 48-hour window holds 289), until a
  // redemption requested after the Zap was turned on shows up.
  const pollHub = await useHub(GOALS.poll.pending, 0, 10 * 60_000);
  const requestsToFind: number[] = [];
  let requestsAfter = 0;
  try {
    const token = connection();
    const newId = String(addOne(pollHub));
    for (let n = 0; n < 10; n += 1) {
      const before = listRequests(pollHub);
      // An oldest-first list longer than one poll reads is read on over a few polls, each of
      // which errors to say so (the Zap shows it); the bench counts them like the others.
      const results = await run(token, POLL, {}).then(
        (answer) => answer.results as { id: string }[],
        () => [],
      );
      requestsToFind.push(listRequests(pollHub) - before);
      if (results.some((item) => item.id === newId)) break;
    }
    const before = listRequests(pollHub);
    await run(token, POLL, {});
    requestsAfter = listRequests(pollHub) - before;
  } finally {
    await pollHub.close();
  }

  const [atZero] = latencies;
  if (atZero === undefined) throw new Error('no latency measured');
  return {
    order,
    burst: atZero.burst,
    forged: atZero.forged,
    latencies,
    polls: { requestsToFind, requestsAfter, pollsToFind: requestsToFind.length },
  };
};

export const measureVerification = async (
  log: (line: string) => void,
): Promise<VerificationResult> => {
  const core = loadCore();
  const handler = core.createAppHandler(loadBuiltApp());
  const rpc = await new FakeZapierRpc().start();
  const previousUrl = process.env.INFLUITIVE_API_URL;
  try {
    // One order after the other: the app reads its API address from the environment.
    const orders: OrderResult[] = [];
    for (const order of ORDERS) orders.push(await measureOrder(handler, rpc, order, log));
    return {
      method:
        'Built app through createAppHandler in the bench process; an Influitive sandbox (25 a page, rate limit off) per measurement, in each order; FakeZapierRpc for z.cache with a fresh connection per measurement; real clock and the production re-check schedule; each burst and forged id is measured with every Influitive request taking 0, 300 and 800 ms. Requests are the GET /reward_redemptions the sandbox served.',
      goals: GOALS,
      orders,
      met: orders.every((o) => o.latencies.every((l) => l.burst.met && l.forged.met)),
    };
  } finally {
    await rpc.stop();
    if (previousUrl === undefined) delete process.env.INFLUITIVE_API_URL;
    else process.env.INFLUITIVE_API_URL = previousUrl;
  }
};
