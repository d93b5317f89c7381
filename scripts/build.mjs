// Bundles src/ into one CommonJS file: one module to resolve on a cold Lambda start, and only the
// parts of zod/mini the app uses. zapier-platform-core stays external because Zapier's wrapper
// loads it anyway. Type-checking is `npm run typecheck`; esbuild only strips types.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  external: ['zapier-platform-core'],
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
};

/** The app bundle that root index.js loads; `npm run package` writes it into its staging folder. */
export const buildApp = (outfile = 'dist/index.js') =>
  build({ ...common, entryPoints: ['src/index.ts'], outfile });

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await Promise.all([
    buildApp(),
    // The local sandbox (`npm start`); it loads the app through the root index.js at run time.
    build({ ...common, entryPoints: ['sandbox/cli.ts'], outfile: 'dist/sandbox.js' }),
    // `npm run doctor`: checks a real hub with the app's own client and normaliser.
    build({ ...common, entryPoints: ['scripts/doctor/cli.ts'], outfile: 'dist/doctor.js' }),
  ]);
}
