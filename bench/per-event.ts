/**
 * Per-event cost through core's Lambda handler (createAppHandler), in one child process: each hook
 * trigger's perform against a trivial hook app (the floor) given the very same bundles, warmed up,
 * then timed in interleaved rounds of sequential events (one Lambda runs one event at a time).
 *
 * z.cache: both hook triggers claim each delivery with z.cache.set(…, nx). The headline rows use
 * core's in-process cache stand-in (`zcacheTestObj`, what createAppTester uses): the claim takes
 * the same code path as a first delivery in production, without I/O. The "loopback RPC" rows point
 * core at FakeZapierRpc, served by the parent process on 127.0.0.1, so each claim is a real HTTP
 * round trip; Zapier's RPC is remote, so those rows are a lower bound of that cost, shown apart.
 * Every event has its own lcId / redemption id, so none is a duplicate.
 */
import { randomUUID } from 'node:crypto';
import { SANDBOX_LOUDCROWD_KEY } from '../sandbox/environment';
import { hookBundle } from '../sandbox/gateway';
import { SANDBOX_ORG_ID, SANDBOX_TOKEN } from '../sandbox/influitive';
import type { FakeZapierRpc } from '../sandbox/zapier-rpc';
import { pendingRedemptionPage } from '../src/influitive/samples';
import { forkBench, toParent } from './children';
import { type LambdaHandler, loadBuiltApp, loadCore, rootRequire } from './paths';
import { pairRatios, round, roundSpread, type Spread, summarize } from './stats';

export const PER_EVENT_TARGET = 1.1;
const ROUNDS = 12;
const EVENTS_PER_ROUND = { 'in-process': 1000, rpc: 200 } as const;
const WARMUP_EVENTS = { 'in-process': 500, rpc: 100 } as const;
/** Direct calls of core's per-event definition compile, per round and definition. */
const COMPILES_PER_ROUND = 200;

type CacheMode = keyof typeof EVENTS_PER_ROUND;
type Source = 'loudcrowd' | 'influitive';
type Subject = 'floor' | 'app' | 'appDefinition';

interface Variant {
  name: string;
  subject: Subject;
  source: Source;
  cache: CacheMode;
}

const FLOOR_KEY = 'bench_floor';
const FLOOR_METHOD = `triggers.${FLOOR_KEY}.operation.perform`;
const APP_METHOD: Record<Source, string> = {
  loudcrowd: 'triggers.loudcrowd_reward_event.operation.perform',
  influitive: 'triggers.reward_redemption_requested.operation.perform',
};

/** The trivial hook trigger: hands back what Zapier parsed. */
const floorTrigger = {
  key: FLOOR_KEY,
  noun: 'Event',
  display: { label: 'Bench Floor', description: 'Triggers when the benchmark sends an event.' },
  operation: {
    type: 'hook',
    perform: (_z: unknown, bundle: { cleanedRequest?: unknown }) => [bundle.cleanedRequest],
  },
};

/** The connection, as the sandbox environment fills it in. */
const AUTH_DATA = {
  api_token: SANDBOX_TOKEN,
  org_id: SANDBOX_ORG_ID,
  loudcrowd_api_key: SANDBOX_LOUDCROWD_KEY,
};
const HOOK_URL = 'https://hooks.zapier.com/hooks/catch/1234567/abcdefg/';
const RUN_ID = randomUUID().slice(0, 8).toUpperCase();
let sequence = 0;

/** A LoudCrowd reward event as LoudCrowd posts it (test/loudcrowd/fixtures/reward_event_posts.json). */
const loudCrowdBody = (n: number) => ({
  lcId: `RWD-${RUN_ID}-${n}`,
  email: 'theo.lindqvist@nordlys-apparel.example',
  igUsername: 'theo.outdoors',
  ttUsername: 'theo.lindqvist',
  posts: [
    {
      lcid: `MED-${RUN_ID}-${n}-A`,
      postedAt: '2026-09-28T12:14:09.118640',
      postType: 'REEL',
      platform: 'instagram',
    },
    {
      lcid: `MED-${RUN_ID}-${n}-B`,
      postedAt: '2026-09-29T19:58:33.500000',
      postType: 'FEED',
      platform: 'tik_tok',
    },
  ],
});

/** Influitive's "Reward Redemption Requested" webhook body: the app's sample record, wrapped. */
const influitiveBody = (n: number) => ({
  event: 'reward_redemption_requested',
  reward_redemption: {
    ...pendingRedemptionPage.reward_redemptions[0],
    id: 1_000_000 + n,
    uuid: randomUUID(),
  },
  contact: pendingRedemptionPage.contacts[0],
});

/** One delivery's bundle, built as Zapier builds it for a static hook (sandbox/gateway.ts). */
const deliveryBundle = (source: Source) => {
  sequence += 1;
  const body = source === 'loudcrowd' ? loudCrowdBody(sequence) : influitiveBody(sequence);
  return {
    authData: AUTH_DATA,
    inputData: source === 'influitive' ? { verify_with_api: false } : {},
    ...hookBundle({
      method: 'POST',
      url: new URL(HOOK_URL),
      headers: { 'content-type': 'application/json', 'x-api-key': SANDBOX_LOUDCROWD_KEY },
      content: JSON.stringify(body),
    }),
  };
};

/** The Lambda event, as sandbox/lambda.ts runThroughHandler builds it, plus the cache choice. */
const lambdaEvent = (variant: Variant, rpc: { url: string; logUrl: string }) => ({
  command: 'execute',
  calledFromCli: true,
  method: variant.subject === 'app' ? APP_METHOD[variant.source] : FLOOR_METHOD,
  bundle: deliveryBundle(variant.source),
  ...(variant.cache === 'in-process'
    ? { zcacheTestObj: {} }
    : {
        rpc_base: rpc.url,
        token: 'bench-zapier-token',
        environment: { LOGGING_ENDPOINT: rpc.logUrl },
      }),
});

const VARIANTS: Variant[] = (['in-process', 'rpc'] as const).flatMap((cache) => [
  ...(['loudcrowd', 'influitive'] as const).flatMap((source) => [
    { name: `floor/${source}/${cache}`, subject: 'floor' as const, source, cache },
    { name: `app/${source}/${cache}`, subject: 'app' as const, source, cache },
  ]),
  ...(cache === 'in-process'
    ? [
        {
          name: 'appDefinition/loudcrowd/in-process',
          subject: 'appDefinition' as const,
          source: 'loudcrowd' as const,
          cache,
        },
      ]
    : []),
]);

export interface DefinitionStats {
  /** JSON.stringify length (functions left out). */
  jsonBytes: number;
  /** Values core walks when it copies the definition (objects, arrays, leaves, functions). */
  nodes: number;
  /** The biggest operations, as `triggers.key` with their JSON bytes. */
  largest: { key: string; jsonBytes: number }[];
}

const countNodes = (value: unknown): number =>
  value !== null && typeof value === 'object'
    ? 1 + Object.values(value).reduce((sum: number, child) => sum + countNodes(child), 0)
    : 1;

const definitionStats = (definition: Record<string, unknown>): DefinitionStats => {
  const operations = ['triggers', 'creates', 'searches'].flatMap((kind) =>
    Object.entries((definition[kind] as Record<string, unknown> | undefined) ?? {}).map(
      ([key, value]) => ({ key: `${kind}.${key}`, jsonBytes: JSON.stringify(value).length }),
    ),
  );
  return {
    jsonBytes: JSON.stringify(definition).length,
    nodes: countNodes(definition),
    largest: operations.sort((a, b) => b.jsonBytes - a.jsonBytes).slice(0, 4),
  };
};

/** Child side: runs every variant and sends the per-round ms/event samples. */
export const runPerEventChild = async (): Promise<void> => {
  const rpc = { url: process.env.BENCH_RPC_URL ?? '', logUrl: process.env.BENCH_RPC_LOG_URL ?? '' };
  const core = loadCore();
  const app = loadBuiltApp();
  const appTriggers = app.triggers as Record<string, unknown>;
  const floorApp = {
    version: '1.0.0',
    platformVersion: core.version,
    triggers: { [FLOOR_KEY]: floorTrigger },
  };
  const handlers: Record<Subject, LambdaHandler> = {
    floor: core.createAppHandler(floorApp),
    app: core.createAppHandler(app),
    // The whole app definition with the trivial trigger added: what core's per-event compile of a
    // larger definition costs, without any of the app's perform work.
    appDefinition: core.createAppHandler({
      ...app,
      triggers: { ...appTriggers, [FLOOR_KEY]: floorTrigger },
    }),
  };

  // What core does to the definition on every event (create-lambda-handler.js: createApp(appRaw)
  // and schemaTools.prepareApp(appRaw)), called directly; core exports ./src/* for this.
  const createApp = rootRequire('zapier-platform-core/src/create-app') as (app: unknown) => unknown;
  const schema = rootRequire('zapier-platform-core/src/tools/schema') as {
    prepareApp: (app: unknown) => unknown;
  };
  const timeCompile = (definition: unknown): number => {
    const started = performance.now();
    for (let i = 0; i < COMPILES_PER_ROUND; i += 1) {
      createApp(definition);
      schema.prepareApp(definition);
    }
    return ((performance.now() - started) / COMPILES_PER_ROUND) * 1000;
  };
  const compileUs = { app: [] as number[], floor: [] as number[] };

  const runBatch = async (variant: Variant, count: number): Promise<number> => {
    const events = Array.from({ length: count }, () => lambdaEvent(variant, rpc));
    const handler = handlers[variant.subject];
    const started = performance.now();
    for (const event of events) {
      const { results } = await handler(event);
      if (!Array.isArray(results) || results.length !== 1) {
        throw new Error(
          `${variant.name}: expected one trigger item, got ${JSON.stringify(results)}`,
        );
      }
    }
    return (performance.now() - started) / count;
  };

  // Warm-up, and a check that the app really triggers (not halts) on these bundles.
  for (const variant of VARIANTS) {
    const event = lambdaEvent(variant, rpc);
    const { results } = await handlers[variant.subject](event);
    const [item] = results as Record<string, unknown>[];
    if (variant.subject === 'app') {
      const body = JSON.parse(String(event.bundle.rawRequest.content)) as Record<string, unknown>;
      const expected =
        variant.source === 'loudcrowd'
          ? body.lcId
          : String((body.reward_redemption as { id: number }).id);
      if (item?.id !== expected) {
        throw new Error(`${variant.name}: expected item id ${expected}, got ${String(item?.id)}`);
      }
    }
    await runBatch(variant, WARMUP_EVENTS[variant.cache]);
  }
  timeCompile(app);
  timeCompile(floorApp);

  const samples: Record<string, number[]> = Object.fromEntries(VARIANTS.map((v) => [v.name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    // Rotate the order each round so no variant always runs first or after the same neighbour.
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length] as Variant);
    for (const variant of order) {
      samples[variant.name]?.push(await runBatch(variant, EVENTS_PER_ROUND[variant.cache]));
    }
    const appFirst = round % 2 === 0;
    if (appFirst) compileUs.app.push(timeCompile(app));
    compileUs.floor.push(timeCompile(floorApp));
    if (!appFirst) compileUs.app.push(timeCompile(app));
    await toParent({ type: 'progress', line: `per-event: round ${round + 1}/${ROUNDS}` });
  }
  await toParent({
    type: 'samples',
    samples,
    compileUs,
    definition: { app: definitionStats(app), floor: definitionStats(floorApp) },
  });
};

export interface PerEventRow {
  label: string;
  trigger: string;
  cache: CacheMode;
  /** median(app ms/event) / median(floor ms/event). */
  ratio: number;
  pairRatio: Spread;
  target: number | null;
  met: boolean | null;
  appMsPerEvent: Spread;
  floorMsPerEvent: Spread;
  appEventsPerSecond: number;
  floorEventsPerSecond: number;
  samples: { appMsPerEvent: number[]; floorMsPerEvent: number[] };
}

export interface PerEventResult {
  method: string;
  rounds: number;
  eventsPerRound: Record<CacheMode, number>;
  rows: PerEventRow[];
  /** core's createApp + prepareApp of the definition, called directly: µs per event. */
  coreCompile: {
    appUs: Spread;
    floorUs: Spread;
    app: DefinitionStats;
    floor: DefinitionStats;
    samples: { appUs: number[]; floorUs: number[] };
  };
  dominatedBy: string;
  /** What the loopback RPC rows' app events sent to FakeZapierRpc (the floor sends nothing). */
  rpcTraffic: {
    appEvents: number;
    cacheCallsPerEvent: number;
    logLinesPerEvent: number;
    methods: string[];
  };
}

const row = (
  label: string,
  trigger: string,
  cache: CacheMode,
  app: number[],
  floor: number[],
  target: number | null,
): PerEventRow => {
  const appMs = summarize(app);
  const floorMs = summarize(floor);
  const ratio = appMs.median / floorMs.median;
  return {
    label,
    trigger,
    cache,
    ratio: round(ratio),
    pairRatio: roundSpread(summarize(pairRatios(app, floor))),
    target,
    met: target === null ? null : ratio <= target,
    appMsPerEvent: roundSpread(appMs, 5),
    floorMsPerEvent: roundSpread(floorMs, 5),
    appEventsPerSecond: Math.round(1000 / appMs.median),
    floorEventsPerSecond: Math.round(1000 / floorMs.median),
    samples: {
      appMsPerEvent: app.map((v) => round(v, 5)),
      floorMsPerEvent: floor.map((v) => round(v, 5)),
    },
  };
};

/** Parent side: hosts the loopback RPC, runs the child, turns samples into rows. */
export const measurePerEvent = async (
  rpc: FakeZapierRpc,
  log: (line: string) => void,
): Promise<PerEventResult> => {
  const child = forkBench('per-event', {
    env: { BENCH_RPC_URL: rpc.url, BENCH_RPC_LOG_URL: rpc.logUrl },
    onProgress: log,
  });
  const { samples, compileUs, definition } = (await child.next('samples')) as unknown as {
    samples: Record<string, number[]>;
    compileUs: { app: number[]; floor: number[] };
    definition: { app: DefinitionStats; floor: DefinitionStats };
  };
  await child.exited;
  // Every app event through the loopback RPC: the warm-up check, the warm-up batch and the rounds.
  const rpcAppEvents = 2 * (1 + WARMUP_EVENTS.rpc + ROUNDS * EVENTS_PER_ROUND.rpc);
  const rpcTraffic = {
    appEvents: rpcAppEvents,
    cacheCallsPerEvent: round(rpc.calls.length / rpcAppEvents, 3),
    logLinesPerEvent: round(rpc.logLines.length / rpcAppEvents, 3),
    methods: [...new Set(rpc.calls.map((call) => call.method))],
  };
  const get = (name: string) => samples[name] ?? [];
  const rows: PerEventRow[] = [];
  for (const cache of ['in-process', 'rpc'] as const) {
    for (const [source, trigger, title] of [
      ['loudcrowd', 'loudcrowd_reward_event', 'LoudCrowd hook'],
      ['influitive', 'reward_redemption_requested', 'Influitive hook (verify_with_api off)'],
    ] as const) {
      rows.push(
        row(
          `${title}, ${cache === 'in-process' ? 'in-process cache' : 'loopback RPC cache'}`,
          trigger,
          cache,
          get(`app/${source}/${cache}`),
          get(`floor/${source}/${cache}`),
          cache === 'in-process' ? PER_EVENT_TARGET : null,
        ),
      );
    }
    if (cache === 'in-process') {
      rows.push(
        row(
          'App definition + trivial perform (diagnostic)',
          FLOOR_KEY,
          cache,
          get('appDefinition/loudcrowd/in-process'),
          get('floor/loudcrowd/in-process'),
          null,
        ),
      );
    }
  }
  const appUs = summarize(compileUs.app);
  const floorUs = summarize(compileUs.floor);
  const median = (name: string) => summarize(get(name)).median * 1000;
  const lcUs = median('app/loudcrowd/in-process');
  const infUs = median('app/influitive/in-process');
  const definitionUs = median('appDefinition/loudcrowd/in-process');
  const floorLcUs = median('floor/loudcrowd/in-process');
  const compileExtraUs = appUs.median - floorUs.median;
  const dominatedBy =
    `Core re-compiles the whole definition on every event (createAppHandler calls createApp and prepareApp per invocation: lodash cloneDeep, deepFreeze and recurseReplace over it). ` +
    `For this app's definition (${(definition.app.jsonBytes / 1024).toFixed(1)} KiB as JSON, ${definition.app.nodes} values; largest: ${definition.app.largest.map((o) => `${o.key} ${(o.jsonBytes / 1024).toFixed(1)} KiB`).join(', ')}) that takes ${appUs.median.toFixed(0)} µs against ${floorUs.median.toFixed(0)} µs for the floor's (${definition.floor.nodes} values): ` +
    `${compileExtraUs.toFixed(0)} µs of the ${(lcUs - floorLcUs).toFixed(0)} µs the LoudCrowd event costs over the floor. ` +
    `The app's performs themselves add ${(lcUs - definitionUs).toFixed(0)} µs (LoudCrowd) and ${(infUs - definitionUs).toFixed(0)} µs (Influitive) over the app definition with a trivial perform (${definitionUs.toFixed(0)} µs).`;
  return {
    dominatedBy,
    rpcTraffic,
    coreCompile: {
      appUs: roundSpread(appUs, 2),
      floorUs: roundSpread(floorUs, 2),
      app: definition.app,
      floor: definition.floor,
      samples: {
        appUs: compileUs.app.map((v) => round(v, 2)),
        floorUs: compileUs.floor.map((v) => round(v, 2)),
      },
    },
    method:
      "One child process; createAppHandler(require('./index.js')) against createAppHandler(trivial hook app), identical Zapier hook bundles (sandbox/gateway.ts hookBundle, unique ids); calledFromCli as sandbox/lambda.ts runThroughHandler; warm-up, then rounds of sequential events, variant order rotated each round; figure = ms/event per round. Cache: in-process = core's zcacheTestObj stand-in (no I/O); loopback RPC = FakeZapierRpc in the parent process.",
    rounds: ROUNDS,
    eventsPerRound: { ...EVENTS_PER_ROUND },
    rows,
  };
};
