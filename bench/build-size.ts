/**
 * Build size: build/build.zip of the app against the build.zip of a minimal core-19 app (one
 * trivial hook trigger), both from `zapier-platform build --skip-validation --skip-dep-install`
 * (the CLI's in-place build, not `npm run package`'s staged one), offline.
 *
 * The minimal app is generated in bench/dist/minimal-app/ (git-ignored, outside lint, removed afterwards). Its
 * node_modules is a hard-linked copy of the project's, not a symlink: the CLI's file walk does not
 * enter a symlinked node_modules (so `includeInBuild` and every package.json are missed and the
 * build's own test fails on node_modules/async-function/require.mjs), and esbuild resolves the
 * symlink to paths outside the app. Hard links keep the same files under the app's own directory.
 * With --skip-dep-install the CLI zips every package.json under node_modules (dev dependencies
 * too); both builds see the same node_modules, so that part cancels out of the comparison.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, join } from 'node:path';
import { REPO_ROOT } from './paths';
import { round } from './stats';

const MINIMAL_DIR = join(REPO_ROOT, 'bench', 'dist', 'minimal-app');
const BUILD_TIMEOUT_MS = 120_000;

export interface ZipBreakdown {
  bytes: number;
  entries: number;
  /** Compressed bytes of entries outside node_modules (the app's own files), by name. */
  ownFiles: Record<string, number>;
  nodeModulesBytes: number;
  /** Of which package.json files (the CLI zips every one it finds). */
  packageJsonBytes: number;
}

export interface BuildSizeResult {
  method: string;
  /** Output size is deterministic for the same inputs: one build each, no timing involved. */
  builds: number;
  app: ZipBreakdown | null;
  minimal: ZipBreakdown | null;
  /** app bytes / minimal bytes. */
  ratio: number | null;
  deltaBytes: number | null;
  error?: string;
}

/** Entries of a zip from its central directory (no ZIP64: these builds are far below 4 GiB). */
export const zipEntries = (zip: Buffer): { name: string; compressed: number }[] => {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i -= 1) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const entries: { name: string; compressed: number }[] = [];
  for (let i = 0; i < count; i += 1) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error('corrupt central directory');
    const compressed = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.push({ name, compressed });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
};

const breakdown = (zipPath: string): ZipBreakdown => {
  const zip = readFileSync(zipPath);
  const entries = zipEntries(zip);
  const ownFiles: Record<string, number> = {};
  let nodeModulesBytes = 0;
  let packageJsonBytes = 0;
  for (const { name, compressed } of entries) {
    if (name.startsWith('node_modules/')) {
      nodeModulesBytes += compressed;
      if (name.endsWith('/package.json')) packageJsonBytes += compressed;
    } else {
      ownFiles[name] = compressed;
    }
  }
  return {
    bytes: zip.length,
    entries: entries.length,
    ownFiles,
    nodeModulesBytes,
    packageJsonBytes,
  };
};

const zapierBuild = (cwd: string): void => {
  const bin = join(REPO_ROOT, 'node_modules', 'zapier-platform-cli', 'src', 'bin', 'run');
  const result = spawnSync(
    process.execPath,
    [bin, 'build', '--skip-validation', '--skip-dep-install'],
    {
      cwd,
      env: {
        ...process.env,
        DISABLE_ZAPIER_ANALYTICS: '1',
        // The CLI runs `npm run _zapier-build` and tests the build with `node`: Node 22 first.
        PATH: [join(REPO_ROOT, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter),
      },
      encoding: 'utf8',
      timeout: BUILD_TIMEOUT_MS,
    },
  );
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-8);
    throw new Error(
      `zapier-platform build in ${cwd} failed (${result.error?.message ?? `exit ${result.status}`}): ${output.join(' | ')}`,
    );
  }
};

/** A hard-linked copy of a directory tree (symlinks recreated as they are). */
const linkTree = (from: string, to: string): void => {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else if (entry.isDirectory()) linkTree(source, target);
    else if (entry.isFile()) {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
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

const buildMinimalApp = (): ZipBreakdown => {
  rmSync(MINIMAL_DIR, { recursive: true, force: true });
  const rootPackage = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  mkdirSync(MINIMAL_DIR, { recursive: true });
  writeFileSync(
    join(MINIMAL_DIR, 'package.json'),
    `${JSON.stringify(
      {
        name: 'minimal-core-19-app',
        version: '1.0.0',
        private: true,
        main: 'index.js',
        dependencies: {
          'zapier-platform-core': rootPackage.dependencies?.['zapier-platform-core'] ?? '19.1.0',
        },
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(join(MINIMAL_DIR, 'index.js'), MINIMAL_INDEX);
  // Without a .gitignore the CLI puts all of node_modules into source.zip (a minute of zipping).
  writeFileSync(join(MINIMAL_DIR, '.gitignore'), 'node_modules/\nbuild/\n');
  // The same work-around for CLI 19.1.0's build test as the app (see docs/zapier-platform.md).
  const rc = join(REPO_ROOT, '.zapierapprc');
  if (existsSync(rc)) copyFileSync(rc, join(MINIMAL_DIR, '.zapierapprc'));
  linkTree(join(REPO_ROOT, 'node_modules'), join(MINIMAL_DIR, 'node_modules'));
  zapierBuild(MINIMAL_DIR);
  return breakdown(join(MINIMAL_DIR, 'build', 'build.zip'));
};

export const measureBuildSize = (log: (line: string) => void): BuildSizeResult => {
  const method =
    "`zapier-platform build --skip-validation --skip-dep-install` in place for the app and for a generated minimal core-19 app (one trivial hook trigger) whose node_modules is a hard-linked copy of the project's; bytes of build/build.zip and of its entries (compressed) from the zip central directory.";
  let app: ZipBreakdown | null = null;
  let minimal: ZipBreakdown | null = null;
  const errors: string[] = [];
  try {
    log('build size: zapier-platform build (app)');
    zapierBuild(REPO_ROOT);
    app = breakdown(join(REPO_ROOT, 'build', 'build.zip'));
  } catch (error) {
    errors.push((error as Error).message);
  }
  try {
    log('build size: zapier-platform build (minimal core-19 app)');
    minimal = buildMinimalApp();
  } catch (error) {
    errors.push(`minimal app: ${(error as Error).message}`);
  } finally {
    rmSync(MINIMAL_DIR, { recursive: true, force: true });
  }
  const ratio = app && minimal ? round(app.bytes / minimal.bytes) : null;
  return {
    method,
    builds: 1,
    app,
    minimal,
    ratio,
    deltaBytes: app && minimal ? app.bytes - minimal.bytes : null,
    ...(errors.length > 0 ? { error: errors.join('; ') } : {}),
  };
};
