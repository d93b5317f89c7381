/**
 * `npm run bench` (through bench/run.mjs): cold start, per-event cost, one delivery's wall time,
 * requests per delivery and per poll, and build size, each against its floor in the same run.
 * Prints a table and writes every raw sample to bench/results.json, which git ignores: the dated
 * summary worth keeping goes into bench/README.md by hand.
 * Offline: everything is on 127.0.0.1 or in child processes of this one, and every process refuses
 * HTTP requests to any other host (bench/children.ts guardOffline).
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { measureBuildSize } from './build-size';
import { assertStayedOffline, guardOffline, runChildMain } from './children';
import { measureColdStart } from './cold-start';
import { measureDelivery, runDeliveryChild } from './delivery';
import { RESULTS_PATH } from './paths';
import { measurePerEvent, runPerEventChild } from './per-event';
import { type BenchResults, renderReport } from './report';
import { measureRequestsPerPoll, runPollChild } from './requests-per-poll';
import { measureVerification } from './verification';

const started = performance.now();
const log = (line: string) =>
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)} s] ${line}\n`);

const main = async (): Promise<void> => {
  const takenAt = new Date().toISOString();
  log('cold start');
  const coldStart = measureColdStart(log);
  log('per-event cost (one process per definition)');
  const perEvent = await measurePerEvent(log);
  log('one delivery (Influitive sandbox and z.cache over the RPC stand-in)');
  const delivery = await measureDelivery(log);
  log('requests per poll');
  const requestsPerPoll = await measureRequestsPerPoll(log);
  log('requests per delivery (verification, both list orders)');
  const verification = await measureVerification(log);
  log('build size');
  const buildSize = measureBuildSize(log);
  assertStayedOffline();

  const [cpu] = cpus();
  const bench: BenchResults = {
    takenAt,
    node: process.version,
    machine: {
      cpus: cpus().length,
      cpuModel: cpu?.model.trim() ?? 'unknown',
      memoryBytes: totalmem(),
      platform: process.platform,
      arch: process.arch,
    },
    durationSeconds: Math.round((performance.now() - started) / 100) / 10,
    results: { coldStart, perEvent, delivery, requestsPerPoll, verification, buildSize },
  };
  writeFileSync(RESULTS_PATH, `${JSON.stringify(bench, null, 2)}\n`);
  process.stdout.write(
    `${renderReport(bench)}\n\nWrote bench/results.json (git-ignored; raw samples).\n`,
  );
};

const mode = process.argv[2];
if (mode === 'per-event') runChildMain(runPerEventChild);
else if (mode === 'delivery') runChildMain(runDeliveryChild);
else if (mode === 'poll') runChildMain(runPollChild);
else {
  guardOffline();
  main().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}
