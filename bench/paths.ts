import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * The repository root. bench/run.mjs sets BENCH_REPO_ROOT; npm scripts also run from the root, so
 * the working directory is the fallback.
 */
export const REPO_ROOT = process.env.BENCH_REPO_ROOT ?? process.cwd();

/** The bundled bench itself (bench/dist/bench.js), which the child processes run. */
export const BENCH_SCRIPT = join(REPO_ROOT, 'bench', 'dist', 'bench.js');

export const RESULTS_PATH = join(REPO_ROOT, 'bench', 'results.json');

/** `require` as the root package.json sees it: `./index.js`, `zapier-platform-core`. */
export const rootRequire = createRequire(join(REPO_ROOT, 'package.json'));

export type LambdaHandler = (event: unknown) => Promise<{ results: unknown }>;

interface CoreRuntime {
  version: string;
  createAppHandler: (app: unknown) => LambdaHandler;
}

/** zapier-platform-core, resolved from the root (its typings leave createAppHandler out). */
export const loadCore = (): CoreRuntime => rootRequire('zapier-platform-core') as CoreRuntime;

/**
 * The built app exactly as Zapier's production wrapper loads it: `require` of the root index.js,
 * no `.default` unwrapping (as sandbox/lambda.ts productionHandler does).
 */
export const loadBuiltApp = (): Record<string, unknown> =>
  rootRequire('./index.js') as Record<string, unknown>;
