/** The printed table: plain pipe tables, readable in a terminal and pasteable into markdown. */
import type { BuildSizeResult } from './build-size';
import type { ColdStartResult } from './cold-start';
import type { PerEventResult } from './per-event';
import type { RequestsPerPollResult } from './requests-per-poll';
import { type Spread, summarize } from './stats';
import type { VerificationResult } from './verification';

const summarizeMedian = (values: number[]) => summarize(values).median;

export interface BenchResults {
  takenAt: string;
  node: string;
  machine: { cpus: number; cpuModel: string; memoryBytes: number; platform: string; arch: string };
  durationSeconds: number;
  results: {
    coldStart: ColdStartResult;
    perEvent: PerEventResult;
    requestsPerPoll: RequestsPerPollResult;
    verification: VerificationResult;
    buildSize: BuildSizeResult;
  };
}

const table = (header: string[], rows: string[][]): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
};

const fixed = (value: number, digits: number) => value.toFixed(digits);
const range = (s: Spread, digits: number) => `${fixed(s.p25, digits)}–${fixed(s.p75, digits)}`;
const ms = (value: number) =>
  value < 1 ? `${fixed(value * 1000, 1)} µs` : `${fixed(value, 1)} ms`;
const kib = (bytes: number) => `${fixed(bytes / 1024, 1)} KiB`;
const perSecond = (value: number) => `${value.toLocaleString('en-US')}/s`;
const met = (value: boolean | null) => (value === null ? '—' : value ? 'yes' : 'NO');

export const renderReport = (bench: BenchResults): string => {
  const { coldStart, perEvent, requestsPerPoll: poll, buildSize } = bench.results;
  const out: string[] = [];
  out.push(
    `Benchmarks: node ${bench.node}, ${bench.machine.cpus} CPU (${bench.machine.cpuModel}), ${fixed(bench.machine.memoryBytes / 2 ** 30, 1)} GiB, ${bench.takenAt}, ${fixed(bench.durationSeconds, 0)} s`,
    '',
  );

  const summary: string[][] = [
    [
      'Cold start, fresh processes (index.js vs core)',
      `index.js ${ms(coldStart.appMs.median)}`,
      `core ${ms(coldStart.coreMs.median)}`,
      fixed(coldStart.ratio, 3),
      range(coldStart.pairRatio, 3),
      `≤ ${coldStart.target}`,
      met(coldStart.met),
    ],
    [
      'Cold start, same process (core, then index.js)',
      `+${ms(coldStart.appIncrementMs.median)}`,
      `core ${ms(summarizeMedian(coldStart.samples.splitCoreMs))}`,
      fixed(coldStart.incrementRatio, 3),
      range(coldStart.incrementRatioSpread, 3),
      `≤ ${coldStart.target}`,
      met(coldStart.incrementMet),
    ],
    ...perEvent.rows.map((row) => [
      `Per event: ${row.label}`,
      `${ms(row.appMsPerEvent.median)} (${perSecond(row.appEventsPerSecond)})`,
      `${ms(row.floorMsPerEvent.median)} (${perSecond(row.floorEventsPerSecond)})`,
      fixed(row.ratio, 3),
      range(row.pairRatio, 3),
      row.target === null ? 'info' : `≤ ${row.target}`,
      met(row.met),
    ]),
    ...poll.sizes.map((size) => [
      `Requests per poll: ${size.pending.toLocaleString('en-US')} pending`,
      `${size.requests.median} request(s)`,
      `${size.expectedRequests} expected`,
      size.pending === poll.sizes[0]?.pending ? '—' : `${fixed(size.wallRatioToOne, 2)}× time`,
      `min–max ${size.requests.min}–${size.requests.max}`,
      size.pending <= poll.pageSize ? '1 request' : `≤ ${poll.bound.requests}`,
      met(size.requests.max <= Math.min(size.expectedRequests, poll.bound.requests)),
    ]),
    [
      'Build size (build.zip)',
      buildSize.app ? kib(buildSize.app.bytes) : 'failed',
      buildSize.minimal ? `${kib(buildSize.minimal.bytes)} minimal` : 'unavailable',
      buildSize.ratio === null ? '—' : fixed(buildSize.ratio, 3),
      'deterministic',
      'info',
      '—',
    ],
  ];
  out.push(
    table(
      ['Measure', 'Subject (median)', 'Floor (median)', 'Ratio', 'Spread p25–p75', 'Target', 'Met'],
      summary,
    ),
    '',
  );

  out.push(
    `Cold start: ${coldStart.runs} interleaved pairs of fresh processes. Wall: index.js ${ms(coldStart.appMs.median)} (p25–p75 ${range(coldStart.appMs, 1)}), core alone ${ms(coldStart.coreMs.median)} (${range(coldStart.coreMs, 1)}). CPU: ${ms(coldStart.appCpuMs.median)} vs ${ms(coldStart.coreCpuMs.median)}, ratio ${fixed(coldStart.cpuRatio, 3)}. Same process, index.js after core: +${ms(coldStart.appIncrementMs.median)} (${range(coldStart.appIncrementMs, 2)}), ratio ${fixed(coldStart.incrementRatio, 3)} over ${coldStart.incrementRatioSpread.n} runs.`,
    `  ${coldStart.dominatedBy}`,
    '',
    `Per event: ${perEvent.rounds} rounds × ${perEvent.eventsPerRound['in-process']} sequential events (in-process cache) / ${perEvent.eventsPerRound.rpc} (loopback RPC) per variant, through createAppHandler. Core's per-event compile of the definition, called directly: app ${ms(perEvent.coreCompile.appUs.median / 1000)} (p25–p75 ${range(perEvent.coreCompile.appUs, 0)} µs), floor ${ms(perEvent.coreCompile.floorUs.median / 1000)}.`,
    `  ${perEvent.dominatedBy}`,
    `  Loopback RPC rows: each app event made ${perEvent.rpcTraffic.cacheCallsPerEvent} cache call(s) (${perEvent.rpcTraffic.methods.join(', ')}) and sent ${perEvent.rpcTraffic.logLinesPerEvent} log line(s) to FakeZapierRpc in the parent process; the floor makes none.`,
    '',
  );

  out.push(
    table(
      [
        'Pending',
        'Requests',
        'Listed / returned',
        'Wall ms p50 (p25–p75)',
        'Peak heap rise p50 (p25–p75)',
        'Peak RSS rise p50',
      ],
      poll.sizes.map((size) => [
        size.pending.toLocaleString('en-US'),
        `${size.requests.median} (bound ${poll.bound.requests})`,
        `${size.itemsListed} / ${size.itemsReturned}`,
        `${fixed(size.wallMs.median, 1)} (${range(size.wallMs, 1)})`,
        `${kib(size.peakHeapBytes.median)} (${kib(size.peakHeapBytes.p25)}–${kib(size.peakHeapBytes.p75)})`,
        kib(size.peakRssBytes.median),
      ]),
    ),
    `Page size ${poll.pageSize} (sandbox default); a poll reads at most ${poll.maxPages} pages = ${poll.bound.itemsListed} redemptions and returns the newest ≤ ${poll.pollLimit}. Peak heap rise = heapUsed + external over a post-GC baseline, garbage included; per extra redemption read: ${poll.memory.bytesPerListedItem.map((b) => `${b.bytes} B at ${b.pending.toLocaleString('en-US')}`).join(', ')} (ratio ${fixed(poll.memory.linearity, 2)}: ${poll.memory.linear ? 'linear' : 'NOT linear'}; bounded by the page cap).`,
    '',
  );

  if (buildSize.app && buildSize.minimal) {
    const own = (files: Record<string, number>) =>
      Object.entries(files)
        .map(([name, bytes]) => `${name} ${kib(bytes)}`)
        .join(', ');
    out.push(
      table(
        [
          'Build',
          'build.zip',
          'Entries',
          'Own files (compressed)',
          'node_modules (of which package.json)',
        ],
        [
          [
            'app',
            String(buildSize.app.bytes),
            String(buildSize.app.entries),
            own(buildSize.app.ownFiles),
            `${kib(buildSize.app.nodeModulesBytes)} (${kib(buildSize.app.packageJsonBytes)})`,
          ],
          [
            'minimal core 19',
            String(buildSize.minimal.bytes),
            String(buildSize.minimal.entries),
            own(buildSize.minimal.ownFiles),
            `${kib(buildSize.minimal.nodeModulesBytes)} (${kib(buildSize.minimal.packageJsonBytes)})`,
          ],
        ],
      ),
      `Build size: app ÷ minimal = ${buildSize.ratio} (+${kib(buildSize.deltaBytes ?? 0)}); one build each (the bytes do not vary between runs).`,
    );
  }
  const { verification } = bench.results;
  const { goals } = verification;
  out.push(
    '',
    table(
      ['Requests per delivery and per poll', 'Newest first', 'Oldest first', 'Goal', 'Met'],
      [
        [
          `Burst of ${goals.burst.webhooks} genuine webhooks, ${goals.burst.pending} pending (${goals.burst.concurrency} at a time)`,
          ...verification.orders.map(
            (o) => `${o.burst.requests} requests, ${fixed(o.burst.wallSeconds, 1)} s`,
          ),
          `≤ ${goals.burst.maxRequests}`,
          met(verification.orders.every((o) => o.burst.met)),
        ],
        [
          `Forged id, ${goals.forged.pending} pending (halted)`,
          ...verification.orders.map(
            (o) => `${o.forged.requests} requests, ${fixed(o.forged.seconds, 1)} s`,
          ),
          `≤ ${goals.forged.maxRequests}, < ${goals.forged.maxSeconds} s`,
          met(verification.orders.every((o) => o.forged.met)),
        ],
        [
          `Polls until a new redemption shows, ${goals.poll.pending.toLocaleString('en-US')} pending`,
          ...verification.orders.map(
            (o) => `${o.polls.pollsToFind} (${o.polls.requestsToFind.join(' + ')} requests)`,
          ),
          '—',
          '—',
        ],
        [
          'The poll after that',
          ...verification.orders.map((o) => `${o.polls.requestsAfter} request(s)`),
          '—',
          '—',
        ],
      ],
    ),
  );
  if (buildSize.error) out.push(`Build size problem: ${buildSize.error}`);
  return out.join('\n');
};
