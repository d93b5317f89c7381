import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Builds dist/ before any suite runs: several suites load the built app through the root index.js,
 * as Zapier does, and must test the current src/, never skip or run a stale bundle.
 */
export default function buildDist(): void {
  const run = spawnSync(process.execPath, ['scripts/build.mjs'], {
    cwd: join(__dirname, '..'),
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    throw new Error(`scripts/build.mjs failed (${run.error?.message ?? `exit ${run.status}`})`);
  }
}
