/** The printed table: plain pipe tables, readable in a terminal and pasteable into markdown. */
import type { BuildSizeResult } from './build-size';
import type { ColdStartResult } from './cold-start';
import type { DeliveryResult } from './delivery';
import type { PerEventResult } from './per-event';
import type { RequestsPerPollResult } from './requests-per-poll';
import { type Spread, summarize } from './stats';
import { LATENCIES_MS, type VerificationResult } from './verification';

const summarizeMedian = (values: number[]) => summarize(values).median;

export interface BenchResults {
  takenAt: string;
  node: string;
  machine: { cpus: number; cpuModel: string; memoryBytes: number; platform: string; arch: string };
  durationSeconds: number;
  results: {
    coldStart: ColdStartResult;
    perEvent: PerEventResult;
    delivery: DeliveryResult;
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
const met = (value: boolean | null) => (value === null ? '—' : value ? 'yes' : 'NO');

const deliveryDetail = (s: DeliveryResult['sources'][number]): string => {
  const calls = Object.entries(s.cacheMethods)
    .map(([method, n]) => `${method} ×${fixed(n / s.deliveries, 0)}`)
    .join(', ');
  return `${s.source} ${ms(s.wallMs.median)} (p25–p75 ${fixed(s.wallMs.p25, 1)}–${fixed(s.wallMs.p75, 1)} ms; cache calls per delivery: ${calls}; the connection's first: ${ms(s.first.wallMs)}, ${s.first.apiRequests} API request(s), ${s.first.cacheCalls} cache call(s))`;
};

export const renderReport = (bench: BenchResults): string => {
  const {
    coldStart,
    perEvent,
    delivery,
    requestsPerPoll: poll,
    verification,
    buildSize,
  } = bench.results;
  const out: string[] = [];
  out.push(
    `Benchmarks: node ${bench.node}, ${bench.machine.cpus} CPU (${bench.machine.cpuModel}), ${fixed(bench.machine.memoryBytes / 2 ** 30, 1)} GiB, ${bench.takenAt}, ${fixed(bench.durationSeconds, 0)} s`,
    '',
  );

  const subject = (definition: string, source = 'loudcrowd') =>
    perEvent.subjects.find((s) => s.definition === definition && s.source === source);
  const definition = (name: string) => perEvent.definitions.find((d) => d.definition === name);
  const us = (value: number) => `${Math.round(value).toLocaleString('en-US')} µs`;
  const usRange = (s: Spread | undefined) =>
    s ? `${Math.round(s.p25).toLocaleString('en-US')}–${us(s.p75)}` : '—';
  const floor = subject('floor');
  const trivial = subject('trivial');
  const doubled = subject('doubled');
  const values = (name: string) => definition(name)?.stats.values ?? Number.NaN;
  const orders = (pick: (o: (typeof verification.orders)[number]) => string) =>
    verification.orders.map(pick).join(' / ');
  const hookTitle: Record<string, string> = {
    loudcrowd: 'LoudCrowd hook',
    influitive: 'Influitive hook (verify_with_api off)',
  };

  const summary: string[][] = [
    [
      'Cold start, fresh processes (index.js vs core; median pair ratio)',
      `index.js ${ms(coldStart.appMs.median)}`,
      `${fixed(coldStart.appMs.p25, 0)}–${fixed(coldStart.appMs.p75, 0)} ms`,
      `core alone ${ms(coldStart.coreMs.median)}`,
      `${fixed(coldStart.ratio, 3)} (${range(coldStart.pairRatio, 3)})`,
      `≤ ${coldStart.target}`,
      met(coldStart.met),
    ],
    [
      'Cold start, same process (index.js after core)',
      `+${ms(coldStart.appIncrementMs.median)}`,
      `+${range(coldStart.appIncrementMs, 1)} ms`,
      `core ${ms(summarizeMedian(coldStart.samples.splitCoreMs))}`,
      `${fixed(coldStart.incrementRatio, 3)} (${range(coldStart.incrementRatioSpread, 3)})`,
      `≤ ${coldStart.target}`,
      met(coldStart.incrementMet),
    ],
    ...perEvent.app.flatMap((row) => {
      const app = subject('app', row.source);
      const twin = subject('trivial', row.source);
      return [
        [
          `Per event: ${hookTitle[row.source] ?? row.source}, what the app adds`,
          `+${us(row.incrementUs.median)}`,
          `+${usRange(row.incrementUs)}`,
          `same definition, do-nothing perform ${twin ? us(twin.cpuUs.median) : '—'}`,
          `${fixed(row.ratio, 3)} (${range(row.pairRatio, 3)})`,
          `≤ ${row.target}`,
          met(row.met),
        ],
        [
          `Per event: ${hookTitle[row.source] ?? row.source}, whole event`,
          app ? us(app.cpuUs.median) : '—',
          usRange(app?.cpuUs),
          `trivial app ${floor ? us(floor.cpuUs.median) : '—'}`,
          `${fixed(row.ratioToFloor, 2)}×`,
          'info',
          '—',
        ],
      ];
    }),
    [
      'Per event: trivial app (floor, context)',
      floor ? us(floor.cpuUs.median) : '—',
      usRange(floor?.cpuUs),
      `${values('floor')} definition values`,
      '—',
      'info',
      '—',
    ],
    [
      "Per event: this app's definition, do-nothing performs",
      trivial ? us(trivial.cpuUs.median) : '—',
      usRange(trivial?.cpuUs),
      `trivial app; ${values('trivial')} values`,
      `${fixed((trivial?.cpuUs.median ?? Number.NaN) / (floor?.cpuUs.median ?? Number.NaN), 2)}× (${fixed(perEvent.scaling.usPerValueFromFloor, 2)} µs/value)`,
      'info',
      '—',
    ],
    [
      'Per event: that definition doubled, do-nothing performs',
      doubled ? us(doubled.cpuUs.median) : '—',
      usRange(doubled?.cpuUs),
      `definition once; ${values('doubled')} values`,
      `${fixed(perEvent.scaling.doubledRatio, 2)}× (${fixed(perEvent.scaling.usPerValueDoubling, 2)} µs/value)`,
      'info',
      '—',
    ],
    [
      "Core's copy of this app's definition alone",
      us(definition('trivial')?.coreCopyUs.median ?? Number.NaN),
      usRange(definition('trivial')?.coreCopyUs),
      'the do-nothing-perform event',
      `${fixed(perEvent.scaling.copyShareOfTrivial * 100, 0)} % of it`,
      'info',
      '—',
    ],
    ...delivery.sources.map((row) => [
      row.source === 'influitive'
        ? 'One delivery: Influitive hook, verify on, z.cache over RPC'
        : 'One delivery: LoudCrowd hook, z.cache over RPC',
      ms(row.wallMs.median),
      `${fixed(row.wallMs.p25, 1)}–${fixed(row.wallMs.p75, 1)} ms`,
      `CPU ${us(row.cpuUs.median)} (${usRange(row.cpuUs)}); ${row.apiRequests.median} API request(s), ${row.cacheCalls.median} cache call(s)`,
      '—',
      'info',
      '—',
    ]),
    [
      `Requests per delivery: ${delivery.pending}+ pending, one at a time`,
      `${delivery.sources.find((s) => s.source === 'influitive')?.apiRequests.median ?? '—'} request(s)`,
      `max ${delivery.sources.find((s) => s.source === 'influitive')?.apiRequests.max ?? '—'}`,
      'newest first, list layout cached',
      '—',
      'info',
      '—',
    ],
    [
      `Requests per delivery: burst of ${verification.goals.burst.webhooks} genuine, ${verification.goals.burst.pending} pending`,
      orders((o) => String(o.burst.requests)),
      'newest / oldest first',
      `${verification.goals.burst.concurrency} at a time`,
      orders((o) => `${fixed(o.burst.requests / verification.goals.burst.webhooks, 2)}/delivery`),
      `≤ ${verification.goals.burst.maxRequests}`,
      met(verification.orders.every((o) => o.burst.met)),
    ],
    [
      `Requests per delivery: forged id, ${verification.goals.forged.pending} pending (halted)`,
      orders((o) => String(o.forged.requests)),
      'newest / oldest first',
      orders((o) => `${fixed(o.forged.seconds, 1)} s`),
      '—',
      `≤ ${verification.goals.forged.maxRequests}, < ${verification.goals.forged.maxSeconds} s`,
      met(verification.orders.every((o) => o.forged.met)),
    ],
    ...LATENCIES_MS.filter((ms) => ms > 0).map((ms) => {
      const at = (o: (typeof verification.orders)[number]) =>
        o.latencies.find((l) => l.latencyMs === ms);
      return [
        `Requests at ${ms} ms a request: burst of ${verification.goals.burst.webhooks} / forged id`,
        orders((o) => `${at(o)?.burst.requests ?? '?'} / ${at(o)?.forged.requests ?? '?'}`),
        'newest / oldest first',
        orders((o) => `${fixed(at(o)?.forged.seconds ?? Number.NaN, 1)} s forged`),
        '—',
        `≤ ${verification.goals.burst.maxRequests} / ≤ ${verification.goals.forged.maxRequests}, < ${verification.goals.forged.maxSeconds} s`,
        met(
          verification.orders.every(
            (o) => (at(o)?.burst.met ?? false) && (at(o)?.forged.met ?? false),
          ),
        ),
      ];
    }),
    [
      `Polls until a new redemption shows, ${verification.goals.poll.pending.toLocaleString('en-US')} pending`,
      orders((o) => String(o.polls.pollsToFind)),
      'newest / oldest first',
      orders((o) => `${o.polls.requestsToFind.join(' + ')} requests`),
      '—',
      'info',
      '—',
    ],
    [
      'The poll after that',
      orders((o) => `${o.polls.requestsAfter}`),
      'newest / oldest first',
      'request(s)',
      '—',
      'info',
      '—',
    ],
    ...poll.sizes.map((size) => [
      `Requests per poll: ${size.pending.toLocaleString('en-US')} pending`,
      `${size.requests.median} request(s)`,
      `min–max ${size.requests.min}–${size.requests.max}`,
      `${size.expectedRequests} expected`,
      size.pending === poll.sizes[0]?.pending ? '—' : `${fixed(size.wallRatioToOne, 2)}× time`,
      size.pending <= poll.pageSize ? '1 request' : `≤ ${poll.bound.requests}`,
      met(size.requests.max <= Math.min(size.expectedRequests, poll.bound.requests)),
    ]),
    [
      'Build size (the shipped build.zip, npm run package)',
      buildSize.app ? kib(buildSize.app.bytes) : 'failed',
      'deterministic',
      buildSize.minimal
        ? `minimal core-19 app staged the same way ${kib(buildSize.minimal.bytes)}`
        : 'unavailable',
      buildSize.ratio === null ? '—' : fixed(buildSize.ratio, 3),
      'info',
      '—',
    ],
  ];
  out.push(
    table(
      ['Measure', 'Median', 'p25–p75', 'Compared with', 'Ratio (p25–p75)', 'Target', 'Met'],
      summary,
    ),
    '',
  );

  out.push(
    `Cold start: ${coldStart.runs} interleaved pairs of fresh processes. Wall: index.js ${ms(coldStart.appMs.median)} (p25–p75 ${range(coldStart.appMs, 1)}), core alone ${ms(coldStart.coreMs.median)} (${range(coldStart.coreMs, 1)}). CPU: ${ms(coldStart.appCpuMs.median)} vs ${ms(coldStart.coreCpuMs.median)}, ratio ${fixed(coldStart.cpuRatio, 3)}. Same process, index.js after core: +${ms(coldStart.appIncrementMs.median)} (${range(coldStart.appIncrementMs, 2)}), ratio ${fixed(coldStart.incrementRatio, 3)} over ${coldStart.incrementRatioSpread.n} runs.`,
    `  ${coldStart.dominatedBy}`,
    '',
    `Per event: CPU µs per event (user + system of the subject's own process, turns of the event loop and GC included), ${perEvent.rounds} rounds (${perEvent.generations} sets of fresh processes) × ${perEvent.eventsPerRound} events per subject, every subject's chunks interleaved. Ratios are the median of the rounds' app ÷ same-definition pairs.`,
    `  ${perEvent.summary}`,
    '',
    table(
      [
        'Subject (own process)',
        'Definition values',
        'CPU µs/event p50 (p25–p75)',
        'Wall µs/event p50 (p25–p75)',
        'Heap kept/event: back to back',
        'with a yield',
      ],
      perEvent.subjects.map((s) => [
        `${s.definition} / ${s.source}`,
        String(definition(s.definition)?.stats.values ?? '—'),
        `${fixed(s.cpuUs.median, 0)} (${range(s.cpuUs, 0)})`,
        `${fixed(s.wallUs.median, 0)} (${range(s.wallUs, 0)})`,
        `${s.retention.backToBackBytes} B`,
        `${s.retention.withYieldsBytes} B`,
      ]),
    ),
    `Heap kept = heapUsed after a full GC, before vs after ${perEvent.retentionEvents} events, per event (first set of processes): back to back in one macrotask V8 holds every event's Domain and bundle until the loop turns; with a yield after each event what is left is a few hundred bytes that do not grow with the number of events (GC noise).`,
    '',
    `One delivery: ${delivery.sources.map(deliveryDetail).join('; ')}. Loopback is faster than Zapier's RPC and Influitive over the Internet: a lower bound of what a Zap waits.`,
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
    `Page size ${poll.pageSize} (sandbox default); a poll reads at most ${poll.maxPages} pages = ${poll.bound.itemsListed} redemptions and returns every pending one requested in the last ${poll.windowHours} hours (the backlog is seeded one every 10 minutes). Peak heap rise = heapUsed + external over a post-GC baseline, garbage included; per extra redemption read: ${poll.memory.bytesPerListedItem.map((b) => `${b.bytes} B at ${b.pending.toLocaleString('en-US')}`).join(', ')} (ratio ${fixed(poll.memory.linearity, 2)}: ${poll.memory.linear ? 'linear' : 'NOT linear'}; bounded by the page cap).`,
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
  if (buildSize.error) out.push(`Build size problem: ${buildSize.error}`);
  return out.join('\n');
};
