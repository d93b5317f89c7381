/**
 * Requests per poll: the polling trigger (new_reward_redemption) through core's Lambda handler
 * against the Influitive sandbox with 1, 100 and 5,000 pending redemptions. The sandboxes live in
 * this (parent) process and count the requests they serve; each size polls from its own child
 * process (--expose-gc), so one size's heap never holds another's. Runs are interleaved across
 * sizes. Peak memory is sampled every millisecond and after every HTTP response
 * (diagnostics_channel) during the poll, as the rise over a post-GC baseline.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import {
  DEFAULT_PAGE_SIZE,
  type InfluitiveSandbox,
  SANDBOX_ORG_ID,
  SANDBOX_TOKEN,
  startInfluitiveSandbox,
} from '../sandbox/influitive';
import { MAX_REQUESTS_PER_RUN } from '../src/influitive/pending';
import { WINDOW_HOURS, WINDOW_MS } from '../src/influitive/pending/window';

/** One redemption every 10 minutes up to now: the poll's 48-hour window holds 289 of them. */
const SPACING_MS = 10 * 60_000;
const WINDOW_ITEMS = Math.floor(WINDOW_MS / SPACING_MS) + 1;

import { type BenchChild, type ChildMessage, forkBench, toParent } from './children';
import { loadBuiltApp, loadCore } from './paths';
import { round, roundSpread, type Spread, summarize } from './stats';

export const POLL_SIZES = [1, 100, 5000] as const;
const RUNS = 12;
const WARMUP_RUNS = 2;
const METHOD = 'triggers.new_reward_redemption.operation.perform';

interface PollRun {
  wallMs: number;
  peakHeapBytes: number;
  peakRssBytes: number;
  items: number;
}

/** Child side: one warm Lambda; polls whenever the bench says so. */
export const runPollChild = async (): Promise<void> => {
  const core = loadCore();
  const handler = core.createAppHandler(loadBuiltApp());
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the poll child needs --expose-gc');
  const bundle = () => ({
    authData: { api_token: SANDBOX_TOKEN, org_id: SANDBOX_ORG_ID },
    inputData: {},
    meta: { isLoadingSample: false, isFillingDynamicDropdown: false, isPopulatingDedupe: false },
  });

  const poll = async (): Promise<PollRun> => {
    gc();
    gc();
    const base = process.memoryUsage();
    let peakHeap = 0;
    let peakRss = 0;
    const sample = () => {
      const now = process.memoryUsage();
      peakHeap = Math.max(peakHeap, now.heapUsed + now.external - base.heapUsed - base.external);
      peakRss = Math.max(peakRss, now.rss - base.rss);
    };
    const timer = setInterval(sample, 1);
    subscribe('http.client.response.finish', sample);
    const started = performance.now();
    try {
      const { results } = await handler({
        command: 'execute',
        calledFromCli: true,
        method: METHOD,
        bundle: bundle(),
      });
      const wallMs = performance.now() - started;
      sample();
      if (!Array.isArray(results)) throw new Error('the poll did not return a list');
      return { wallMs, peakHeapBytes: peakHeap, peakRssBytes: peakRss, items: results.length };
    } finally {
      clearInterval(timer);
      unsubscribe('http.client.response.finish', sample);
    }
  };

  await new Promise<void>((resolve, reject) => {
    process.on('message', (raw) => {
      const message = raw as ChildMessage;
      if (message.type === 'stop') resolve();
      else if (message.type === 'run') {
        poll()
          .then((run) => toParent({ type: 'ran', ...run }))
          .catch(reject);
      }
    });
    toParent({ type: 'ready' }).catch(reject);
  });
};

export interface PollSizeResult {
  pending: number;
  pageSize: number;
  /**
   * ceil(pending / pageSize), capped at the pages that reach back past the 48-hour window: the
   * sandbox lists newest first, so each poll reads from the first page to the first older one.
   */
  expectedRequests: number;
  requests: Spread;
  /** Redemptions the poll read from Influitive: min(pending, those pages × pageSize). */
  itemsListed: number;
  itemsReturned: number;
  wallMs: Spread;
  peakHeapBytes: Spread;
  peakRssBytes: Spread;
  /** median wall time / median wall time of the 1-pending poll. */
  wallRatioToOne: number;
  samples: {
    requests: number[];
    wallMs: number[];
    peakHeapBytes: number[];
    peakRssBytes: number[];
  };
}

export interface RequestsPerPollResult {
  method: string;
  runs: number;
  maxPages: number;
  pageSize: number;
  /** Requests one poll can make at most, and the redemptions it reads at most. */
  bound: { requests: number; itemsListed: number };
  windowHours: number;
  onePerPollWhenOnePage: boolean;
  withinBound: boolean;
  sizes: PollSizeResult[];
  memory: {
    /** Median peak heap rise above the 1-pending poll, per extra redemption listed. */
    bytesPerListedItem: { pending: number; bytes: number }[];
    /** bytesPerListedItem at 5,000 ÷ at 100: about 1 when memory grows linearly with items read. */
    linearity: number;
    linear: boolean;
  };
}

interface SizeState {
  pending: number;
  sandbox: InfluitiveSandbox;
  child: BenchChild;
  runs: (PollRun & { requests: number })[];
}

const pollOnce = async (state: SizeState): Promise<PollRun & { requests: number }> => {
  const before = state.sandbox.requestLog.length;
  const ran = state.child.next('ran');
  state.child.send({ type: 'run' });
  const run = (await ran) as unknown as PollRun;
  const requests = state.sandbox.requestLog.length - before;
  const failed = state.sandbox.requestLog.slice(before).filter((entry) => entry.status !== 200);
  if (failed.length > 0) throw new Error(`poll of ${state.pending}: ${JSON.stringify(failed)}`);
  return { ...run, requests };
};

export const measureRequestsPerPoll = async (
  log: (line: string) => void,
): Promise<RequestsPerPollResult> => {
  const pageSize = DEFAULT_PAGE_SIZE;
  const states: SizeState[] = [];
  try {
    for (const pending of POLL_SIZES) {
      const sandbox = await startInfluitiveSandbox({ rateLimit: false, seed: false, pageSize });
      sandbox.seedPending(pending, { everyMs: SPACING_MS });
      const child = forkBench('poll', {
        env: { INFLUITIVE_API_URL: sandbox.url },
        execArgv: ['--expose-gc'],
        quiet: true,
      });
      states.push({ pending, sandbox, child, runs: [] });
      await child.next('ready');
    }
    for (let i = 0; i < WARMUP_RUNS; i += 1) {
      for (const state of states) await pollOnce(state);
    }
    for (let i = 0; i < RUNS; i += 1) {
      const order = i % 2 === 0 ? states : [...states].reverse();
      for (const state of order) state.runs.push(await pollOnce(state));
      log(`requests per poll: run ${i + 1}/${RUNS}`);
    }
  } finally {
    for (const state of states) {
      if (state.child.process.connected) state.child.send({ type: 'stop' });
      await state.child.exited;
      await state.sandbox.close();
    }
  }

  const newestPages = Math.ceil((WINDOW_ITEMS + 1) / pageSize);
  const oneWall = summarize(states[0]?.runs.map((r) => r.wallMs) ?? []).median;
  const sizes: PollSizeResult[] = states.map(({ pending, runs }) => {
    const wallMs = summarize(runs.map((r) => r.wallMs));
    return {
      pending,
      pageSize,
      expectedRequests: Math.min(Math.max(1, Math.ceil(pending / pageSize)), newestPages),
      requests: summarize(runs.map((r) => r.requests)),
      itemsListed: Math.min(pending, newestPages * pageSize),
      itemsReturned: runs[0]?.items ?? 0,
      wallMs: roundSpread(wallMs, 3),
      peakHeapBytes: roundSpread(summarize(runs.map((r) => r.peakHeapBytes)), 0),
      peakRssBytes: roundSpread(summarize(runs.map((r) => r.peakRssBytes)), 0),
      wallRatioToOne: round(wallMs.median / oneWall, 3),
      samples: {
        requests: runs.map((r) => r.requests),
        wallMs: runs.map((r) => round(r.wallMs, 3)),
        peakHeapBytes: runs.map((r) => r.peakHeapBytes),
        peakRssBytes: runs.map((r) => r.peakRssBytes),
      },
    };
  });
  const [one, ...rest] = sizes;
  const bytesPerListedItem = rest.map((size) => ({
    pending: size.pending,
    bytes: Math.round(
      (size.peakHeapBytes.median - (one?.peakHeapBytes.median ?? 0)) /
        (size.itemsListed - (one?.itemsListed ?? 0)),
    ),
  }));
  const first = bytesPerListedItem[0]?.bytes ?? Number.NaN;
  const last = bytesPerListedItem[bytesPerListedItem.length - 1]?.bytes ?? Number.NaN;
  const linearity = last / first;
  return {
    method:
      'Sandbox (rateLimit off, seed off, seedPending n) in the bench process counts requests it serves during each poll; one child per size runs the built app through createAppHandler (warm, --expose-gc); 2 warm-up polls each, then runs interleaved across sizes; peak = max(heapUsed + external) − post-GC baseline, sampled every 1 ms and after each HTTP response.',
    runs: RUNS,
    maxPages: MAX_REQUESTS_PER_RUN,
    pageSize,
    bound: { requests: MAX_REQUESTS_PER_RUN, itemsListed: MAX_REQUESTS_PER_RUN * pageSize },
    windowHours: WINDOW_HOURS,
    onePerPollWhenOnePage: sizes
      .filter((s) => s.pending <= pageSize)
      .every((s) => s.requests.max === 1 && s.requests.min === 1),
    withinBound: sizes.every(
      (s) => s.requests.max <= MAX_REQUESTS_PER_RUN && s.requests.max <= s.expectedRequests,
    ),
    sizes,
    memory: {
      bytesPerListedItem,
      linearity: round(linearity, 3),
      // Peaks are sampled and GC timing moves them, so "linear" allows ±50 % per item.
      linear: linearity > 0.5 && linearity < 1.5,
    },
  };
};
