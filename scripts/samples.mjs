// `npm run samples`: writes src/editor-samples.json, the editor's samples computed by the app's own
// normalisers from the documented payloads (scripts/editor-samples.ts). Run it after changing a
// normaliser or a sample payload; test/editor-samples.test.ts says when it is due.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const { outputFiles } = await build({
  absWorkingDir: root,
  entryPoints: ['scripts/editor-samples.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  external: ['zapier-platform-core'],
  write: false,
  logLevel: 'warning',
});
const module = { exports: {} };
new Function('module', 'exports', 'require', outputFiles[0].text)(
  module,
  module.exports,
  createRequire(`${root}package.json`),
);
const target = new URL('../src/editor-samples.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(module.exports.computeEditorSamples(), null, 2)}\n`);
process.stdout.write(`Wrote ${fileURLToPath(target)}\n`);
