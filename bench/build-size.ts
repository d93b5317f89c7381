/**
 * Build size: the zip that ships against the zip of a minimal core-19 app (one trivial hook
 * trigger), both staged the same way by `npm run package` (scripts/package.mjs: production
 * dependencies only, then the CLI's own build in the staging folder), offline. Both are written
 * into a temporary folder (`--out`), never build/: a bare `zapier-platform upload` after the bench
 * must still send what `npm run package` last wrote, or nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { REPO_ROOT } from './paths';
import { round } from './stats';

const PACKAGE_TIMEOUT_MS = 300_000;

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

/** `npm run package` into `out`, of the app or (`--minimal`) of the minimal core-19 app. */
const packageInto = (out: string, minimal: boolean): ZipBreakdown => {
  const result = spawnSync(
    process.execPath,
    ['scripts/package.mjs', '--out', out, ...(minimal ? ['--minimal'] : [])],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        DISABLE_ZAPIER_ANALYTICS: '1',
        // The CLI tests the build with `node`: Node 22 first.
        PATH: [join(REPO_ROOT, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter),
      },
      encoding: 'utf8',
      timeout: PACKAGE_TIMEOUT_MS,
    },
  );
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-8);
    throw new Error(
      `scripts/package.mjs --out ${out}${minimal ? ' --minimal' : ''} failed (${result.error?.message ?? `exit ${result.status}`}): ${output.join(' | ')}`,
    );
  }
  return breakdown(join(out, 'build.zip'));
};

export const measureBuildSize = (log: (line: string) => void): BuildSizeResult => {
  const method =
    '`npm run package` (scripts/package.mjs --out <temporary folder>) for the app, and with --minimal for a minimal core-19 app (one trivial hook trigger; zapier-platform-core and its dependencies), both staged the same way: production dependencies only, then `zapier-platform build --skip-validation --skip-dep-install` in the staging folder. Bytes of each build.zip and of its entries (compressed) from the zip central directory. build/ is not touched.';
  const work = mkdtempSync(join(tmpdir(), 'bench-build-size-'));
  let app: ZipBreakdown | null = null;
  let minimal: ZipBreakdown | null = null;
  const errors: string[] = [];
  try {
    try {
      log('build size: npm run package (the app, into a temporary folder)');
      app = packageInto(join(work, 'app'), false);
    } catch (error) {
      errors.push((error as Error).message);
    }
    try {
      log('build size: npm run package --minimal (a minimal core-19 app)');
      minimal = packageInto(join(work, 'minimal'), true);
    } catch (error) {
      errors.push(`minimal app: ${(error as Error).message}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
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
