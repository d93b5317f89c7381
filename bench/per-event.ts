/**
 * Per-event cost through core's Lambda handler (createAppHandler), one definition per process:
 *
 * - floor: a trivial app, one hook trigger whose perform hands back what Zapier parsed;
 * - trivial: this app's definition with both hook triggers' perform swapped for that do-nothing
 *   perform: what core charges for a definition of this size, with none of the app's code;
 * - app: the built app as Zapier loads it;
 * - doubled: the trivial definition with every trigger, create and search copied under a second
 *   key (shared objects stay shared, as in the original): how core's cost grows with the size of
 *   the definition.
 *
 * The app's own figure is app ÷ trivial (and app − trivial in µs): same definition size, same
 * bundles, only the performs differ. On every event core deep-copies the whole definition, walks
 * and freezes it (create-lambda-handler.js calls createApp and prepareApp per invocation; lodash
 * cloneDeep, recurseReplace, deepFreeze), which no app avoids; the floor and the doubled
 * definition show that cost, and each child also times that copy on its own.
 *
 * Honest timing:
 * - every event is followed by `await new Promise(setImmediate)`, a turn of the event loop as
 *   between two Lambda invocations. Back to back in one macrotask, V8 holds every event's Domain
 *   and bundle (4–5 KB) until the loop turns, which inflates the cost and once tripped core's
 *   memory kill switch; the first set of processes measures that retention both ways;
 * - each subject (definition × hook source) runs in its own warm child process, so core's shared
 *   code is only ever fed one definition and one kind of bundle, as in production;
 * - one child runs at a time, in chunks of 20 events, every subject's chunks taking turns, so each
 *   round of the app and of its do-nothing twin saw the same machine; fresh sets of processes put
 *   process-to-process variation (JIT, heap layout) into the spread too;
 * - the figure is CPU time (user + system of the child) per event over the round, turns of the
 *   event loop and garbage collection included. Wall time is recorded as well: on a shared
 *   machine it also holds the time the child waited for a core, which is other people's work.
 *
 * z.cache: both hook triggers claim each delivery with z.cache.set(…, nx). Here core's in-process
 * cache stand-in (`zcacheTestObj`, what createAppTester uses) answers, so no I/O is timed; a real
 * delivery over the sandbox and the RPC stand-in is bench/delivery.ts. Every event has its own lcId
 * or redemption id, so none is a duplicate. The Influitive events here have verify_with_api off, to
 * isolate the definition's cost; the default path (verification on) is timed in CPU and wall time
 * by bench/delivery.ts. Events carry no calledFromCli, as production's do.
 */

import { type BenchChild, type ChildMessage, forkBench, toParent } from './children';
import {
  deliveryBundle,
  HOOK_TRIGGER,
  hookMethod,
  influitiveBody,
  loudCrowdBody,
  SOURCES,
  type Source,
} from './events';
import { type LambdaHandler, loadBuiltApp, loadCore, rootRequire } from './paths';
import { pairRatios, round, roundSpread, type Spread, summarize } from './stats';

/** The app's performs may cost at most 30 % over the same definition with do-nothing performs. */
export const PER_EVENT_TARGET = 1.3;
/**
 * Fresh sets of child processes, and the rounds each set runs: one process's JIT and heap layout
 * can sit ~10 % off another's, so the spread needs several processes, not only several rounds.
 */
const GENERATIONS = 4;
const ROUNDS_PER_GENERATION = 5;
/**
 * Per round and subject: short chunks of sequential events, every subject's chunks interleaved,
 * so that each round of each subject sees the same share of whatever else the machine is doing.
 */
const CHUNKS_PER_ROUND = 12;
const EVENTS_PER_CHUNK = 20;
const EVENTS_PER_ROUND = CHUNKS_PER_ROUND * EVENTS_PER_CHUNK;
/**
 * Warm-up: V8 grows the young generation to its steady size over the first few hundred events
 * (about a thousand for the trivial app, which allocates least); up to 1,000 events or 600 ms.
 */
const WARMUP_EVENTS = 1000;
const WARMUP_MS = 600;
/** Events of each heap retention check (back to back, then with turns of the event loop). */
const RETENTION_EVENTS = 400;
/** Core's per-event copy of the definition (createApp + prepareApp) on its own, per round. */
const COPIES_PER_SAMPLE = 20;

export const DEFINITIONS = ['floor', 'trivial', 'app', 'doubled'] as const;
export type DefinitionName = (typeof DEFINITIONS)[number];

/**
 * What is measured, each in a process of its own: the app and its do-nothing twin with both
 * hooks' bundles; the floor and the doubled definition (context) with LoudCrowd's.
 */
export const SUBJECTS = [
  { definition: 'floor', source: 'loudcrowd' },
  { definition: 'trivial', source: 'loudcrowd' },
  { definition: 'app', source: 'loudcrowd' },
  { definition: 'trivial', source: 'influitive' },
  { definition: 'app', source: 'influitive' },
  { definition: 'doubled', source: 'loudcrowd' },
] as const satisfies readonly { definition: DefinitionName; source: Source }[];
type Subject = (typeof SUBJECTS)[number];

const DESCRIPTION: Record<DefinitionName, string> = {
  floor: 'trivial app: one hook trigger, do-nothing perform',
  trivial: "this app's definition, both hook performs do-nothing",
  app: 'the built app (index.js)',
  doubled: "this app's definition doubled, do-nothing performs",
};

const FLOOR_KEY = 'bench_floor';
const FLOOR_METHOD = `triggers.${FLOOR_KEY}.operation.perform`;

/** The do-nothing perform: hands back what Zapier parsed (one item, as the app's performs). */
const doNothing = (_z: unknown, bundle: { cleanedRequest?: unknown }) => [bundle.cleanedRequest];

type Definition = Record<string, unknown>;
type Operations = Record<string, Record<string, unknown>>;

/** The app's definition with both hook triggers' perform replaced by the do-nothing one. */
const withDoNothingPerforms = (app: Definition): Definition => {
  const triggers = { ...(app.triggers as Operations) };
  for (const key of Object.values(HOOK_TRIGGER)) {
    const trigger = triggers[key];
    if (!trigger) throw new Error(`the built app has no trigger ${key}`);
    triggers[key] = {
      ...trigger,
      operation: { ...(trigger.operation as Record<string, unknown>), perform: doNothing },
    };
  }
  return { ...app, triggers };
};

/**
 * A deep copy that keeps functions and keeps shared objects shared (an object reached twice is
 * copied once), so lodash cloneDeep, which also copies a shared object once, sees the same shape.
 */
const copyKeepingShape = (value: unknown, seen = new Map<object, unknown>()): unknown => {
  if (value === null || typeof value !== 'object') return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
  seen.set(value, copy);
  for (const [key, child] of Object.entries(value)) {
    (copy as Record<string, unknown>)[key] = copyKeepingShape(child, seen);
  }
  return copy;
};

/** Every trigger, create and search a second time, under `<key>_copy` (authentication is one). */
const doubled = (definition: Definition): Definition => {
  const kinds = ['triggers', 'creates', 'searches'] as const;
  const second = copyKeepingShape(
    Object.fromEntries(kinds.map((kind) => [kind, definition[kind] ?? {}])),
  ) as Record<string, Operations>;
  const result = { ...definition };
  for (const kind of kinds) {
    const copies = Object.entries(second[kind] ?? {}).map(([key, operation]) => [
      `${key}_copy`,
      { ...operation, key: `${key}_copy` },
    ]);
    result[kind] = { ...(definition[kind] as Operations), ...Object.fromEntries(copies) };
  }
  return result;
};

const buildDefinition = (name: DefinitionName, coreVersion: string): Definition => {
  if (name === 'floor') {
    const trigger = {
      key: FLOOR_KEY,
      noun: 'Event',
      display: { label: 'Bench Floor', description: 'Triggers when the benchmark sends an event.' },
      operation: { type: 'hook', perform: doNothing },
    };
    return { version: '1.0.0', platformVersion: coreVersion, triggers: { [FLOOR_KEY]: trigger } };
  }
  const app = loadBuiltApp();
  if (name === 'app') return app;
  const trivial = withDoNothingPerforms(app);
  return name === 'trivial' ? trivial : doubled(trivial);
};

let sequence = 0;

/** The Lambda event, as sandbox/lambda.ts runThroughHandler builds it, with the in-process cache. */
const lambdaEvent = (definition: DefinitionName, source: Source) => {
  sequence += 1;
  const body = source === 'loudcrowd' ? loudCrowdBody(sequence) : influitiveBody(sequence);
  return {
    command: 'execute',
    method: definition === 'floor' ? FLOOR_METHOD : hookMethod(source),
    bundle: deliveryBundle(
      JSON.stringify(body),
      source === 'influitive' ? { verify_with_api: false } : {},
    ),
    zcacheTestObj: {},
  };
};

export interface DefinitionStats {
  /** JSON.stringify length (functions left out). */
  jsonBytes: number;
  /**
   * Values in the definition as a tree (objects, arrays, leaves, functions; a shared object once
   * per place it appears): what core's recurseReplace and deepFreeze walk on every event.
   */
  values: number;
}

const countValues = (value: unknown): number =>
  value !== null && typeof value === 'object'
    ? 1 + Object.values(value).reduce((sum: number, child) => sum + countValues(child), 0)
    : 1;

const definitionStats = (definition: Definition): DefinitionStats => ({
  jsonBytes: JSON.stringify(definition).length,
  values: countValues(definition),
});

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

interface WindowSample {
  /** CPU µs (user + system of the child) per event over the round, building events left out. */
  cpuUs: number;
  /** Wall µs per event of the chunks themselves, each event's turn of the event loop included. */
  wallUs: number;
}

interface Retention {
  /** Heap (after a full GC) still held per event, events run back to back in one macrotask. */
  backToBackBytes: number;
  /** The same with a turn of the event loop after each event (a few hundred bytes, not growing). */
  withYieldsBytes: number;
}

/** Child side: one definition and one hook source; warms up, then does what the bench asks. */
export const runPerEventChild = async (): Promise<void> => {
  const name = process.env.BENCH_DEFINITION as DefinitionName;
  const source = process.env.BENCH_SOURCE as Source;
  if (!DEFINITIONS.includes(name) || !SOURCES.includes(source)) {
    throw new Error(`unknown subject ${String(name)}/${String(source)}`);
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the per-event child needs --expose-gc');
  const core = loadCore();
  const definition = buildDefinition(name, core.version);
  const handler: LambdaHandler = core.createAppHandler(definition);

  /** CPU µs spent building events: the bench's work, taken out of the figure. */
  let buildingUs = 0;
  const runEvents = async (count: number): Promise<number> => {
    const building = process.cpuUsage();
    const events = Array.from({ length: count }, () => lambdaEvent(name, source));
    const built = process.cpuUsage(building);
    buildingUs += built.user + built.system;
    const started = performance.now();
    for (const event of events) {
      const { results } = await handler(event);
      if (!Array.isArray(results) || results.length !== 1) {
        throw new Error(`${name}/${source}: expected one item, got ${JSON.stringify(results)}`);
      }
      await yieldToLoop();
    }
    return performance.now() - started;
  };

  const retainedPerEvent = async (yielding: boolean): Promise<number> => {
    await yieldToLoop();
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < RETENTION_EVENTS; i += 1) {
      await handler(lambdaEvent(name, source));
      if (yielding) await yieldToLoop();
    }
    // Back to back, this still runs in the macrotask of the events.
    gc();
    return (process.memoryUsage().heapUsed - before) / RETENTION_EVENTS;
  };

  // What core does to the definition on every event (create-lambda-handler.js: createApp(appRaw)
  // and schemaTools.prepareApp(appRaw)), on its own; core exports ./src/* for this.
  const createApp = rootRequire('zapier-platform-core/src/create-app') as (app: unknown) => unknown;
  const schema = rootRequire('zapier-platform-core/src/tools/schema') as {
    prepareApp: (app: unknown) => unknown;
  };
  const timeCopy = async (): Promise<number> => {
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < COPIES_PER_SAMPLE; i += 1) {
      createApp(definition);
      schema.prepareApp(definition);
      await yieldToLoop();
    }
    const cpu = process.cpuUsage(cpuBefore);
    return (cpu.user + cpu.system) / COPIES_PER_SAMPLE;
  };

  // A check that the event really triggers (the app's item is the delivered one), then warm-up.
  const check = lambdaEvent(name, source);
  const [item] = (await handler(check)).results as Record<string, unknown>[];
  if (name === 'app') {
    const body = JSON.parse(String(check.bundle.rawRequest.content)) as Record<string, unknown>;
    const expected =
      source === 'loudcrowd' ? body.lcId : String((body.reward_redemption as { id: number }).id);
    if (item?.id !== expected) {
      throw new Error(`app/${source}: expected item id ${expected}, got ${String(item?.id)}`);
    }
  }
  const warmupStarted = performance.now();
  for (let i = 0; i < WARMUP_EVENTS && performance.now() - warmupStarted < WARMUP_MS; i += 50) {
    await runEvents(50);
  }
  await timeCopy();
  let retention: Retention | undefined;
  if (process.env.BENCH_RETENTION === '1') {
    retention = {
      backToBackBytes: await retainedPerEvent(false),
      withYieldsBytes: await retainedPerEvent(true),
    };
    // The forced GCs leave V8's heap limits low; let them grow back before anything is timed.
    await runEvents(200);
  }

  // A window spans one round: this child's chunks and the waits between them (CPU that GC
  // threads spend while it waits for its next chunk counts too).
  let window:
    | { cpu: NodeJS.CpuUsage; building: number; events: number; wallMs: number }
    | undefined;
  const answer = async (message: ChildMessage): Promise<ChildMessage | undefined> => {
    if (message.type === 'begin') {
      window = { cpu: process.cpuUsage(), building: buildingUs, events: 0, wallMs: 0 };
      return { type: 'begun' };
    }
    if (message.type === 'run') {
      if (!window) throw new Error('run outside a window');
      const count = Number(message.count);
      window.wallMs += await runEvents(count);
      window.events += count;
      return { type: 'ran' };
    }
    if (message.type === 'end') {
      if (!window) throw new Error('end outside a window');
      const cpu = process.cpuUsage(window.cpu);
      const sample: WindowSample = {
        cpuUs: (cpu.user + cpu.system - (buildingUs - window.building)) / window.events,
        wallUs: (window.wallMs * 1000) / window.events,
      };
      window = undefined;
      return { type: 'ended', ...sample };
    }
    if (message.type === 'copy') return { type: 'copied', us: await timeCopy() };
    return undefined;
  };

  await new Promise<void>((resolve, reject) => {
    process.on('message', (raw) => {
      const message = raw as ChildMessage;
      if (message.type === 'stop') resolve();
      else {
        answer(message)
          .then((reply) => (reply ? toParent(reply) : undefined))
          .catch(reject);
      }
    });
    toParent({ type: 'ready', stats: definitionStats(definition), retention }).catch(reject);
  });
};

export interface SubjectResult {
  definition: DefinitionName;
  source: Source;
  /** CPU µs per event: the figure. */
  cpuUs: Spread;
  /** Wall µs per event (on a busy machine this also holds waits for a core). */
  wallUs: Spread;
  /** Measured once, in the first generation's process. */
  retention: Retention;
  samples: { cpuUs: number[]; wallUs: number[] };
}

export interface DefinitionResult {
  definition: DefinitionName;
  description: string;
  stats: DefinitionStats;
  /** core's createApp + prepareApp of this definition on its own: CPU µs. */
  coreCopyUs: Spread;
  coreCopySamples: number[];
}

export interface AppIncrement {
  source: Source;
  trigger: string;
  /** Median of the rounds' app ÷ trivial (each pair ran interleaved): the app's own figure. */
  ratio: number;
  pairRatio: Spread;
  /** app − trivial of each round, CPU µs per event. */
  incrementUs: Spread;
  target: number;
  met: boolean;
  /** The rounds' p75 is within target too. */
  repeatable: boolean;
  /** median(app) ÷ median(trivial), and the same from wall time, for reference. */
  ratioOfMedians: number;
  wallRatio: number;
  /** median(app) ÷ median(floor): context only. */
  ratioToFloor: number;
}

export interface PerEventResult {
  method: string;
  generations: number;
  rounds: number;
  eventsPerRound: number;
  /** Events of each heap retention check. */
  retentionEvents: number;
  definitions: DefinitionResult[];
  subjects: SubjectResult[];
  app: AppIncrement[];
  /** How core's per-event cost grows with the definition (LoudCrowd bundles, CPU µs). */
  scaling: {
    /** (trivial − floor) ÷ values added. */
    usPerValueFromFloor: number;
    /** (doubled − trivial) ÷ values added. */
    usPerValueDoubling: number;
    /** doubled ÷ trivial. */
    doubledRatio: number;
    /** Core's copy of the trivial definition on its own ÷ a whole trivial event. */
    copyShareOfTrivial: number;
  };
  summary: string;
}

interface Ready {
  stats: DefinitionStats;
  retention?: Retention;
}

const startGeneration = async (
  first: boolean,
  log: (line: string) => void,
): Promise<{ children: BenchChild[]; ready: Ready[] }> => {
  const children = SUBJECTS.map((subject) =>
    forkBench('per-event', {
      env: {
        BENCH_DEFINITION: subject.definition,
        BENCH_SOURCE: subject.source,
        BENCH_RETENTION: first ? '1' : '0',
      },
      execArgv: ['--expose-gc'],
      onProgress: log,
      // Without calledFromCli core prints a memory line per event, as on Lambda.
      quiet: true,
    }),
  );
  const ready: Ready[] = [];
  for (const child of children) ready.push((await child.next('ready')) as unknown as Ready);
  return { children, ready };
};

const stopChildren = async (children: BenchChild[]): Promise<void> => {
  for (const child of children) {
    if (child.process.connected) child.send({ type: 'stop' });
  }
  await Promise.all(children.map((child) => child.exited));
};

const ask = async (child: BenchChild, message: ChildMessage, reply: string) => {
  const answered = child.next(reply);
  child.send(message);
  return answered;
};

const median = (values: readonly number[] | undefined) => summarize(values ?? []).median;

/** Parent side: generation by generation, every subject's chunks interleaved in each round. */
export const measurePerEvent = async (log: (line: string) => void): Promise<PerEventResult> => {
  const cpu = SUBJECTS.map(() => [] as number[]);
  const wall = SUBJECTS.map(() => [] as number[]);
  const copies = new Map<DefinitionName, number[]>(DEFINITIONS.map((d) => [d, []]));
  const stats = new Map<DefinitionName, DefinitionStats>();
  const retention: (Retention | undefined)[] = SUBJECTS.map(() => undefined);
  const rounds = GENERATIONS * ROUNDS_PER_GENERATION;
  let roundIndex = 0;
  for (let g = 0; g < GENERATIONS; g += 1) {
    const { children, ready } = await startGeneration(g === 0, log);
    try {
      ready.forEach((answer, i) => {
        const subject = SUBJECTS[i] as Subject;
        stats.set(subject.definition, answer.stats);
        if (answer.retention) retention[i] = answer.retention;
      });
      for (let r = 0; r < ROUNDS_PER_GENERATION; r += 1) {
        for (const child of children) await ask(child, { type: 'begin' }, 'begun');
        // One chunk of every subject in turn, the order flipping every chunk, so every window
        // sees the same share of whatever else the machine is doing.
        for (let c = 0; c < CHUNKS_PER_ROUND; c += 1) {
          const indexes = SUBJECTS.map((_, i) => i);
          for (const i of (c + roundIndex) % 2 === 0 ? indexes : indexes.reverse()) {
            await ask(children[i] as BenchChild, { type: 'run', count: EVENTS_PER_CHUNK }, 'ran');
          }
        }
        for (const [i, child] of children.entries()) {
          const sample = (await ask(child, { type: 'end' }, 'ended')) as unknown as WindowSample;
          cpu[i]?.push(sample.cpuUs);
          wall[i]?.push(sample.wallUs);
        }
        // Core's copy of each definition on its own, in its LoudCrowd process, outside the window.
        for (const [i, child] of children.entries()) {
          const subject = SUBJECTS[i] as Subject;
          if (subject.source !== 'loudcrowd') continue;
          const { us } = await ask(child, { type: 'copy' }, 'copied');
          copies.get(subject.definition)?.push(Number(us));
        }
        roundIndex += 1;
        log(`per-event: round ${roundIndex}/${rounds}`);
      }
    } finally {
      await stopChildren(children);
    }
  }

  const indexOf = (definition: DefinitionName, source: Source) =>
    SUBJECTS.findIndex((s) => s.definition === definition && s.source === source);
  const cpuOf = (definition: DefinitionName, source: Source) =>
    cpu[indexOf(definition, source)] ?? [];
  const wallOf = (definition: DefinitionName, source: Source) =>
    wall[indexOf(definition, source)] ?? [];

  const subjects: SubjectResult[] = SUBJECTS.map((subject, i) => ({
    definition: subject.definition,
    source: subject.source,
    cpuUs: roundSpread(summarize(cpu[i] ?? []), 1),
    wallUs: roundSpread(summarize(wall[i] ?? []), 1),
    retention: {
      backToBackBytes: Math.round(retention[i]?.backToBackBytes ?? Number.NaN),
      withYieldsBytes: Math.round(retention[i]?.withYieldsBytes ?? Number.NaN),
    },
    samples: {
      cpuUs: (cpu[i] ?? []).map((v) => round(v, 1)),
      wallUs: (wall[i] ?? []).map((v) => round(v, 1)),
    },
  }));

  const definitions: DefinitionResult[] = DEFINITIONS.map((definition) => ({
    definition,
    description: DESCRIPTION[definition],
    stats: stats.get(definition) as DefinitionStats,
    coreCopyUs: roundSpread(summarize(copies.get(definition) ?? []), 1),
    coreCopySamples: (copies.get(definition) ?? []).map((v) => round(v, 1)),
  }));

  const app: AppIncrement[] = SOURCES.map((source) => {
    const appUs = cpuOf('app', source);
    const trivialUs = cpuOf('trivial', source);
    const pairRatio = summarize(pairRatios(appUs, trivialUs));
    const ratio = pairRatio.median;
    return {
      source,
      trigger: HOOK_TRIGGER[source],
      ratio: round(ratio),
      pairRatio: roundSpread(pairRatio),
      incrementUs: roundSpread(summarize(appUs.map((v, i) => v - (trivialUs[i] ?? Number.NaN))), 1),
      target: PER_EVENT_TARGET,
      met: ratio <= PER_EVENT_TARGET,
      repeatable: pairRatio.p75 <= PER_EVENT_TARGET,
      ratioOfMedians: round(median(appUs) / median(trivialUs)),
      wallRatio: round(median(wallOf('app', source)) / median(wallOf('trivial', source))),
      ratioToFloor: round(median(appUs) / median(cpuOf('floor', 'loudcrowd'))),
    };
  });

  const values = (name: DefinitionName) => stats.get(name)?.values ?? Number.NaN;
  const lc = (name: DefinitionName) => median(cpuOf(name, 'loudcrowd'));
  const scaling = {
    usPerValueFromFloor: round(
      (lc('trivial') - lc('floor')) / (values('trivial') - values('floor')),
      3,
    ),
    usPerValueDoubling: round(
      (lc('doubled') - lc('trivial')) / (values('doubled') - values('trivial')),
      3,
    ),
    doubledRatio: round(lc('doubled') / lc('trivial'), 3),
    copyShareOfTrivial: round(median(copies.get('trivial')) / lc('trivial'), 3),
  };

  const [lcApp, infApp] = app;
  const kib = (bytes: number | undefined) => `${((bytes ?? 0) / 1024).toFixed(1)} KiB`;
  const summary = [
    `Core copies, walks and freezes the whole definition on every event: ${values('trivial')} values for this app (${kib(stats.get('trivial')?.jsonBytes)} as JSON), ${values('floor')} for the trivial app.`,
    `With do-nothing performs this definition costs ${lc('trivial').toFixed(0)} µs an event against the trivial app's ${lc('floor').toFixed(0)} µs (${scaling.usPerValueFromFloor.toFixed(2)} µs per value); doubled (${values('doubled')} values) ${lc('doubled').toFixed(0)} µs (${scaling.usPerValueDoubling.toFixed(2)} µs per value added).`,
    `Core's copy on its own takes ${median(copies.get('trivial')).toFixed(0)} µs of the ${lc('trivial').toFixed(0)}.`,
    `On top, the app's performs add ${lcApp ? `${lcApp.incrementUs.median.toFixed(0)} µs (LoudCrowd, ×${lcApp.ratio.toFixed(2)})` : '?'} and ${infApp ? `${infApp.incrementUs.median.toFixed(0)} µs (Influitive, ×${infApp.ratio.toFixed(2)})` : '?'}.`,
  ].join(' ');

  return {
    method: `One warm child process per subject (definition × hook source; ${DEFINITIONS.map((d) => `${d}: ${DESCRIPTION[d]}`).join('; ')}), --expose-gc. ${GENERATIONS} generations of fresh processes × ${ROUNDS_PER_GENERATION} rounds; in a round every subject runs ${CHUNKS_PER_ROUND} chunks of ${EVENTS_PER_CHUNK} sequential events through createAppHandler, the subjects' chunks interleaved (order flipping every chunk), every event followed by await new Promise(setImmediate); up to ${WARMUP_EVENTS} warm-up events (or ${WARMUP_MS} ms) first. Figure = CPU µs per event over the round (process.cpuUsage of the child, user + system, from the round's start to its end: event-loop turns and GC, also while waiting, included; building the events left out); wall µs of the chunks recorded too. App ratio = median over rounds of app ÷ trivial. Bundles as Zapier builds them (sandbox/gateway.ts hookBundle, unique ids, no calledFromCli: production's path), z.cache = core's zcacheTestObj (no I/O), Influitive verify_with_api off. Core copy = createApp + prepareApp of the definition, ${COPIES_PER_SAMPLE}× per round in the definition's LoudCrowd process, after the round's window. Retention = heapUsed after a full GC, before vs after ${RETENTION_EVENTS} events, per event, first generation only.`,
    generations: GENERATIONS,
    rounds,
    eventsPerRound: EVENTS_PER_ROUND,
    retentionEvents: RETENTION_EVENTS,
    definitions,
    subjects,
    app,
    scaling,
    summary,
  };
};
