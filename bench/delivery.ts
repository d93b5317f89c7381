/**
 * One delivery as a Zap sees it: the wall time of one hook event through core's Lambda handler with
 * the app's defaults (Influitive: confirmed pending through the API; both: the delivery claimed in
 * z.cache), against the Influitive sandbox and the Zapier RPC stand-in, both on 127.0.0.1 in this
 * (parent) process, while the app runs warm in a child process of its own. Each Influitive
 * delivery is a redemption just requested in the sandbox (30 already pending, newest first), sent
 * with the webhook body the hub sends; each LoudCrowd delivery is a new reward event with the
 * connection's key. The sandbox counts the API requests and the stand-in the cache calls of each
 * delivery, so the time comes with what it paid for.
 *
 * Loopback is faster than Zapier's RPC and Influitive over the Internet, so these times are a
 * lower bound of what a Zap waits; the request counts are what it pays.
 */
import { type InfluitiveSandbox, startInfluitiveSandbox } from '../sandbox/influitive';
import { FakeZapierRpc } from '../sandbox/zapier-rpc';
import { type ChildMessage, forkBench, toParent } from './children';
import {
  deliveryBundle,
  HOOK_TRIGGER,
  hookMethod,
  loudCrowdBody,
  SOURCES,
  type Source,
} from './events';
import { loadBuiltApp, loadCore } from './paths';
import { round, roundSpread, type Spread, summarize } from './stats';

const PENDING = 30;
const WARMUP_DELIVERIES = 10;
/** Measured deliveries per source, the two sources alternating. */
const DELIVERIES = 100;

/** Child side: the built app, warm; delivers whatever the bench sends and times it. */
export const runDeliveryChild = async (): Promise<void> => {
  const core = loadCore();
  const handler = core.createAppHandler(loadBuiltApp());
  const rpcUrl = process.env.BENCH_RPC_URL ?? '';
  const logUrl = process.env.BENCH_RPC_LOG_URL ?? '';
  const token = process.env.BENCH_RPC_TOKEN ?? '';
  if (!rpcUrl || !logUrl || !token || !process.env.INFLUITIVE_API_URL) {
    throw new Error('the delivery child needs the sandbox and RPC addresses');
  }

  const deliver = async (source: Source, content: string) => {
    // No calledFromCli: production's path, with core's per-event HTTP patching and memory check.
    const event = {
      command: 'execute',
      method: hookMethod(source),
      bundle: {
        ...deliveryBundle(content, {
          ...(source === 'influitive' ? { verify_with_api: true } : {}),
          stop_repeats: true,
        }),
        meta: { zap: { id: `bench-delivery-${source}` } },
      },
      rpc_base: rpcUrl,
      token,
      // With a token core streams its logs: to the stand-in, never to Zapier.
      environment: { LOGGING_ENDPOINT: logUrl },
    };
    const cpu = process.cpuUsage();
    const started = performance.now();
    const { results } = await handler(event);
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const items = Array.isArray(results) ? (results as { id?: unknown }[]) : [];
    return {
      ms,
      cpuUs: used.user + used.system,
      items: items.length,
      id: String(items[0]?.id ?? ''),
    };
  };

  await new Promise<void>((resolve, reject) => {
    process.on('message', (raw) => {
      const message = raw as ChildMessage;
      if (message.type === 'stop') resolve();
      else if (message.type === 'deliver') {
        deliver(message.source as Source, String(message.content))
          .then((answer) => toParent({ type: 'delivered', ...answer }))
          .catch(reject);
      }
    });
    toParent({ type: 'ready' }).catch(reject);
  });
};

export interface DeliverySourceResult {
  source: Source;
  trigger: string;
  what: string;
  deliveries: number;
  wallMs: Spread;
  /** CPU µs of the child (user + system) per delivery: what the default path costs the Lambda. */
  cpuUs: Spread;
  /** GET /reward_redemptions the sandbox served per delivery. */
  apiRequests: Spread;
  /** Calls to Zapier's RPC (z.cache) per delivery, and by method over all measured deliveries. */
  cacheCalls: Spread;
  cacheMethods: Record<string, number>;
  logLinesPerDelivery: number;
  /** The connection's very first delivery (before the warm-up): it learns the list's layout. */
  first: { wallMs: number; apiRequests: number; cacheCalls: number };
  samples: { wallMs: number[]; cpuUs: number[]; apiRequests: number[]; cacheCalls: number[] };
}

export interface DeliveryResult {
  method: string;
  pending: number;
  sources: DeliverySourceResult[];
}

const apiRequests = (hub: InfluitiveSandbox): number =>
  hub.requestLog.filter((entry) => entry.path.startsWith('/reward_redemptions')).length;

/** The "Reward Redemption Requested" webhook body for a redemption just requested in the hub. */
const newRedemptionWebhook = (hub: InfluitiveSandbox): { content: string; id: string } => {
  const [reward] = hub.rewards;
  const [member] = hub.members;
  const added = hub.addRedemption({ rewardId: reward?.id ?? 0, contactId: member?.id ?? 0 });
  const contact = hub.members.find((m) => m.id === added.contact_id) ?? null;
  return {
    id: String(added.id),
    content: JSON.stringify({
      event: 'reward_redemption_requested',
      reward_redemption: added,
      contact,
    }),
  };
};

export const measureDelivery = async (log: (line: string) => void): Promise<DeliveryResult> => {
  const hub = await startInfluitiveSandbox({ seed: false, rateLimit: false });
  hub.seedPending(PENDING);
  const rpc = await new FakeZapierRpc().start();
  const child = forkBench('delivery', {
    env: {
      INFLUITIVE_API_URL: hub.url,
      BENCH_RPC_URL: rpc.url,
      BENCH_RPC_LOG_URL: rpc.logUrl,
      BENCH_RPC_TOKEN: rpc.tokenFor({ userId: 'bench-delivery', authId: 'bench-delivery' }),
    },
    onProgress: log,
    // Without calledFromCli core prints a memory line per event, as on Lambda.
    quiet: true,
  });
  const runs: Record<
    Source,
    {
      wallMs: number;
      cpuUs: number;
      apiRequests: number;
      cacheCalls: number;
      methods: string[];
      logs: number;
    }[]
  > = { loudcrowd: [], influitive: [] };
  let serial = 0;
  const deliverOne = async (source: Source) => {
    serial += 1;
    const webhook =
      source === 'influitive'
        ? newRedemptionWebhook(hub)
        : (() => {
            const body = loudCrowdBody(serial, 'DELIVERY');
            return { id: body.lcId, content: JSON.stringify(body) };
          })();
    const requestsBefore = apiRequests(hub);
    const callsBefore = rpc.calls.length;
    const logsBefore = rpc.logLines.length;
    const answered = child.next('delivered');
    child.send({ type: 'deliver', source, content: webhook.content });
    const answer = (await answered) as unknown as {
      ms: number;
      cpuUs: number;
      items: number;
      id: string;
    };
    if (answer.items !== 1 || answer.id !== webhook.id) {
      throw new Error(
        `delivery of ${source} ${webhook.id} did not trigger (got ${answer.items} item(s), id ${answer.id})`,
      );
    }
    return {
      wallMs: answer.ms,
      cpuUs: answer.cpuUs,
      apiRequests: apiRequests(hub) - requestsBefore,
      cacheCalls: rpc.calls.length - callsBefore,
      methods: rpc.calls.slice(callsBefore).map((call) => call.method),
      logs: rpc.logLines.length - logsBefore,
    };
  };

  let firsts: Partial<Record<Source, Awaited<ReturnType<typeof deliverOne>>>> = {};
  try {
    await child.next('ready');
    firsts = {
      influitive: await deliverOne('influitive'),
      loudcrowd: await deliverOne('loudcrowd'),
    };
    for (let i = 0; i < WARMUP_DELIVERIES; i += 1) {
      for (const source of SOURCES) await deliverOne(source);
    }
    for (let i = 0; i < DELIVERIES; i += 1) {
      const order = i % 2 === 0 ? SOURCES : [...SOURCES].reverse();
      for (const source of order) runs[source].push(await deliverOne(source));
      if ((i + 1) % 25 === 0) log(`one delivery: ${i + 1}/${DELIVERIES} of each hook`);
    }
  } finally {
    if (child.process.connected) child.send({ type: 'stop' });
    await child.exited;
    await rpc.stop();
    await hub.close();
  }

  const sources = SOURCES.map((source): DeliverySourceResult => {
    const measured = runs[source];
    const cacheMethods: Record<string, number> = {};
    for (const run of measured) {
      for (const method of run.methods) cacheMethods[method] = (cacheMethods[method] ?? 0) + 1;
    }
    const first = firsts[source];
    return {
      source,
      trigger: HOOK_TRIGGER[source],
      what:
        source === 'influitive'
          ? 'verify_with_api on (pending list read through the API, its layout kept in z.cache) and stop_repeats on (z.cache set-if-absent)'
          : 'connection key checked and stop_repeats on (z.cache set-if-absent)',
      deliveries: measured.length,
      wallMs: roundSpread(summarize(measured.map((r) => r.wallMs)), 3),
      cpuUs: roundSpread(summarize(measured.map((r) => r.cpuUs)), 0),
      apiRequests: summarize(measured.map((r) => r.apiRequests)),
      cacheCalls: summarize(measured.map((r) => r.cacheCalls)),
      cacheMethods,
      logLinesPerDelivery: round(measured.reduce((sum, r) => sum + r.logs, 0) / measured.length, 2),
      first: {
        wallMs: round(first?.wallMs ?? Number.NaN, 3),
        apiRequests: first?.apiRequests ?? Number.NaN,
        cacheCalls: first?.cacheCalls ?? Number.NaN,
      },
      samples: {
        wallMs: measured.map((r) => round(r.wallMs, 3)),
        cpuUs: measured.map((r) => r.cpuUs),
        apiRequests: measured.map((r) => r.apiRequests),
        cacheCalls: measured.map((r) => r.cacheCalls),
      },
    };
  });
  return {
    method: `Built app in a warm child process through createAppHandler with a Zapier token (rpc_base = FakeZapierRpc, LOGGING_ENDPOINT = its log input) and INFLUITIVE_API_URL = the Influitive sandbox (${PENDING} pending, newest first, rate limit off), both served by the bench process on 127.0.0.1. The app's defaults: verify_with_api and stop_repeats on, bundle.meta.zap.id set. One connection's first delivery of each hook, ${WARMUP_DELIVERIES} warm-up deliveries each, then ${DELIVERIES} of each hook alternating; wall time = performance.now() and CPU time = process.cpuUsage() (user + system) around the handler call in the child. Events without calledFromCli, as production sends them.`,
    pending: PENDING,
    sources,
  };
};
