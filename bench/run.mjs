// `npm run bench`: builds the app (dist/), bundles the TypeScript bench with esbuild (core stays
// external, as in scripts/build.mjs) into bench/dist/ (git-ignored, outside lint) and runs it on this Node.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (args) => {
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, BENCH_REPO_ROOT: root.replace(/\/$/, '') },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

run(['scripts/build.mjs']);
await build({
  entryPoints: [fileURLToPath(new URL('main.ts', import.meta.url))],
  outfile: fileURLToPath(new URL('dist/bench.js', import.meta.url)),
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  external: ['zapier-platform-core'],
  sourcemap: 'inline',
  logLevel: 'warning',
});
run(['--enable-source-maps', 'bench/dist/bench.js']);
