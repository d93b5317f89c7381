// `npm run package`: writes build/build.zip and build/source.zip, the two files `zapier-platform
// upload` sends, offline and within a small open-file limit.
//
// `zapier-platform build` cannot do it in place: without --skip-dep-install it copies the whole
// project, node_modules included, all at once (EMFILE; zapier/zapier-platform#820), and with it the
// zip carries every dev dependency's package.json. So the app is staged first with only what Zapier
// runs (index.js, the bundle, a production package.json, .zapierapprc and the production
// dependencies, copied one file at a time from the installed node_modules as package-lock.json lists
// them), and the CLI's own build runs there: its wrapper, definition.json, file detection, and its
// "Testing build" check. source.zip is the CLI's own, of the project (git-ignored files left out).
//
// For the bench (bench/build-size.ts), which must leave build/ alone: `--out <dir>` writes the zip
// (and its staging folder) there instead, without source.zip; `--minimal` stages a minimal core-19
// app (one trivial hook trigger, zapier-platform-core and what it needs) the same way, the floor the
// shipped zip is compared with.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './build.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const OUT = outIndex >= 0 ? resolve(args[outIndex + 1] ?? '') : undefined;
const MINIMAL = args.includes('--minimal');
const BUILD_DIR = OUT ?? join(ROOT, 'build');
const STAGE = join(BUILD_DIR, 'stage');
const CLI = join(ROOT, 'node_modules', 'zapier-platform-cli', 'src', 'bin', 'run');
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** package.json as Zapier needs it: what the app is and what it depends on, no dev tooling. */
const productionPackageJson = (pkg) => {
  const { name, version, description, private: isPrivate, license, main, type, dependencies } = pkg;
  return { name, version, description, private: isPrivate, license, main, type, dependencies };
};

/** Copies a package's own files, one at a time; its nested node_modules are separate lock entries. */
const copyPackage = (from, to) => {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const source = join(from, entry.name);
    if (entry.isDirectory()) copyPackage(source, join(to, entry.name));
    else if (entry.isFile()) copyFileSync(source, join(to, entry.name));
  }
};

/** Every production package path (`node_modules/a/node_modules/b`) that package-lock.json lists. */
const productionPackages = () => {
  const lock = readJson(join(ROOT, 'package-lock.json'));
  if (!lock.packages)
    throw new Error('package-lock.json has no "packages" (lockfile v2 or later).');
  const paths = [];
  for (const [path, meta] of Object.entries(lock.packages)) {
    if (!path.startsWith('node_modules/') || meta.dev || meta.link) continue;
    const manifest = join(ROOT, path, 'package.json');
    if (!existsSync(manifest)) {
      // An optional dependency for another platform is legitimately absent.
      if (meta.optional || meta.devOptional) continue;
      throw new Error(`${path} is missing: run \`npm ci\` first.`);
    }
    // Some packages write their own version with a leading `v` (json-metaschema: "v1.3.0").
    const installed = String(readJson(manifest).version).replace(/^v/, '');
    if (installed !== meta.version) {
      throw new Error(
        `${path} is ${installed} but package-lock.json says ${meta.version}: run \`npm ci\` first.`,
      );
    }
    paths.push(path);
  }
  return paths;
};

/** Size and entry count of a zip, from its end-of-central-directory record. */
const zipSummary = (path) => {
  const zip = readFileSync(path);
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i -= 1) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      return `${(zip.length / 1e6).toFixed(2)} MB, ${zip.readUInt16LE(i + 10)} files`;
    }
  }
  throw new Error(`${path} is not a zip file`);
};

/** The lock paths `roots` need, resolved as Node does (nearest node_modules upwards). */
const dependencyClosure = (roots) => {
  const { packages } = readJson(join(ROOT, 'package-lock.json'));
  const needed = new Set();
  const visit = (from, name) => {
    for (let base = from; ; ) {
      const path = `${base ? `${base}/` : ''}node_modules/${name}`;
      const meta = packages[path];
      if (meta) {
        if (needed.has(path)) return;
        needed.add(path);
        for (const dep of Object.keys({ ...meta.dependencies, ...meta.optionalDependencies })) {
          visit(path, dep);
        }
        return;
      }
      if (!base) return;
      const up = base.lastIndexOf('/node_modules/');
      base = up >= 0 ? base.slice(0, up) : '';
    }
  };
  for (const root of roots) visit('', root);
  return needed;
};

const MINIMAL_INDEX = `// A minimal zapier-platform-core 19 app: one trivial static hook trigger.
const { version: platformVersion } = require('zapier-platform-core');

module.exports = {
  version: require('./package.json').version,
  platformVersion,
  triggers: {
    bench_floor: {
      key: 'bench_floor',
      noun: 'Event',
      display: { label: 'Bench Floor', description: 'Triggers when the benchmark sends an event.' },
      operation: { type: 'hook', perform: (z, bundle) => [bundle.cleanedRequest] },
    },
  },
};
`;

/** The app, or the minimal app, with only what Zapier runs. */
const stage = async () => {
  rmSync(STAGE, { recursive: true, force: true });
  mkdirSync(STAGE, { recursive: true });
  const rootPackage = readJson(join(ROOT, 'package.json'));
  let pkg = productionPackageJson(rootPackage);
  if (MINIMAL) {
    const core = 'zapier-platform-core';
    pkg = { ...pkg, name: 'minimal-core-19-app', dependencies: { [core]: pkg.dependencies[core] } };
    writeFileSync(join(STAGE, 'index.js'), MINIMAL_INDEX);
  } else {
    await buildApp(join(STAGE, 'dist', 'index.js'));
    copyFileSync(join(ROOT, 'index.js'), join(STAGE, 'index.js'));
  }
  // The app's link to its Zapier integration (after `register`) and the build's includeInBuild.
  copyFileSync(join(ROOT, '.zapierapprc'), join(STAGE, '.zapierapprc'));
  writeFileSync(join(STAGE, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  // Keeps the CLI's source.zip of the staging folder (not the one shipped) from zipping node_modules.
  writeFileSync(join(STAGE, '.gitignore'), 'node_modules/\n');
  // The app ships every production package the lock lists; the minimal app what core needs.
  const needed = MINIMAL ? dependencyClosure(Object.keys(pkg.dependencies)) : undefined;
  const packages = productionPackages().filter((path) => needed?.has(path) ?? true);
  for (const path of packages) copyPackage(join(ROOT, path), join(STAGE, path));
  return packages.length;
};

const zapierBuild = () => {
  const result = spawnSync(
    process.execPath,
    [CLI, 'build', '--skip-validation', '--skip-dep-install'],
    {
      cwd: STAGE,
      stdio: 'inherit',
      env: {
        ...process.env,
        DISABLE_ZAPIER_ANALYTICS: '1',
        NO_UPDATE_NOTIFIER: '1',
        // The CLI needs Node 22; the node package provides it when the machine's is older.
        PATH: [join(ROOT, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter),
      },
    },
  );
  if (result.status !== 0) {
    throw new Error(
      `zapier-platform build in ${STAGE} failed (${result.error?.message ?? `exit ${result.status}`}).`,
    );
  }
};

const main = async () => {
  // A failed run must not leave an older zip behind for `zapier-platform upload` to send.
  for (const zip of ['build.zip', 'source.zip']) rmSync(join(BUILD_DIR, zip), { force: true });
  const packages = await stage();
  zapierBuild();
  mkdirSync(BUILD_DIR, { recursive: true });
  renameSync(join(STAGE, 'build', 'build.zip'), join(BUILD_DIR, 'build.zip'));
  const lines = [
    `Packaged ${packages} production packages${MINIMAL ? ' (minimal core-19 app)' : ''}.`,
    `${OUT === undefined ? 'build/build.zip' : join(OUT, 'build.zip')}: ${zipSummary(join(BUILD_DIR, 'build.zip'))}`,
  ];
  if (OUT === undefined) {
    // The helper the CLI's in-place build uses for source.zip (the CLI is pinned to one version).
    const { makeSourceZip } = createRequire(CLI)('../utils/build.js');
    await makeSourceZip(ROOT, join(BUILD_DIR, 'source.zip'));
    lines.push(`build/source.zip: ${zipSummary(join(BUILD_DIR, 'source.zip'))}`);
  }
  rmSync(STAGE, { recursive: true, force: true });
  console.log(lines.join('\n'));
};

await main();
