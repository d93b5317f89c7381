/**
 * The zip that ships. `npm run package` writes build/build.zip and build/source.zip, the two files
 * `zapier-platform upload` sends. This suite packages them (under a 256 open-file limit, as a
 * fresh clone on a small machine would), checks what the zip holds, then unzips it into a
 * temporary folder and runs the product's loop from there: the zip's own zapierwrapper.js (the
 * Lambda entry point Zapier calls), its own zapier-platform-core and its bundle, against the
 * Influitive sandbox, a vendor and a stand-in for Zapier's cache RPC.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { type SandboxEnvironment, startSandboxEnvironment } from '../../sandbox/environment';
import type { LambdaHandler } from '../../sandbox/lambda';
import { runFulfillmentLoop } from '../../sandbox/loop';

const ROOT = join(__dirname, '..', '..');
const BUILD_ZIP = join(ROOT, 'build', 'build.zip');
const SOURCE_ZIP = join(ROOT, 'build', 'source.zip');
const OPEN_FILE_LIMIT = 256;
const MAX_ZIP_BYTES = 1_000_000;
const MAX_ZIP_FILES = 700;

/** The slice of adm-zip (the reader `zapier-platform upload` itself uses) this suite needs. */
interface Zip {
  getEntries(): { entryName: string; isDirectory: boolean }[];
  readAsText(entryName: string): string;
  extractAllTo(target: string, overwrite: boolean): void;
}
const AdmZip = require('adm-zip') as new (path: string) => Zip;

interface LockEntry {
  version?: string;
  dev?: boolean;
}
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockEntry>;
};
const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
};

const filesOf = (zip: Zip): string[] =>
  zip
    .getEntries()
    .filter((e) => !e.isDirectory)
    .map((e) => e.entryName);

/** `node_modules/a/node_modules/@s/b/lib/x.js` → `node_modules/a/node_modules/@s/b`. */
const packagePathOf = (file: string): string | undefined =>
  /^((?:node_modules\/(?:@[^/]+\/)?[^/]+\/)+)/.exec(file)?.[1]?.replace(/\/$/, '');

let buildZip: Zip;
let sourceZip: Zip;

beforeAll(() => {
  // Exactly what `npm run package` runs, in a shell with a small open-file limit.
  const run = spawnSync(
    '/bin/sh',
    ['-c', `ulimit -n ${OPEN_FILE_LIMIT} && exec "$0" scripts/package.mjs`, process.execPath],
    { cwd: ROOT, encoding: 'utf8', timeout: 180_000 },
  );
  if (run.status !== 0) {
    throw new Error(`npm run package failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  buildZip = new AdmZip(BUILD_ZIP);
  sourceZip = new AdmZip(SOURCE_ZIP);
}, 200_000);

describe('npm run package', () => {
  it(`writes a build.zip of at most 1 MB and ${MAX_ZIP_FILES} files`, () => {
    expect(statSync(BUILD_ZIP).size).toBeLessThanOrEqual(MAX_ZIP_BYTES);
    expect(filesOf(buildZip).length).toBeLessThanOrEqual(MAX_ZIP_FILES);
  });

  it("holds only what Zapier runs: the CLI's wrapper and definition, index.js, the bundle", () => {
    // Sorted: the CLI adds entries as its parallel file reads finish, so their order varies by load.
    expect(
      filesOf(buildZip)
        .filter((f) => !f.startsWith('node_modules/'))
        .sort(),
    ).toEqual(['definition.json', 'dist/index.js', 'index.js', 'package.json', 'zapierwrapper.js']);
    const shipped = JSON.parse(buildZip.readAsText('package.json')) as Record<string, unknown>;
    expect(shipped).not.toHaveProperty('devDependencies');
    expect(shipped).not.toHaveProperty('scripts');
    const definition = JSON.parse(buildZip.readAsText('definition.json')) as {
      version: string;
      triggers: Record<string, unknown>;
      creates: Record<string, unknown>;
    };
    expect(definition.version).toBe(rootPackage.version);
    expect(Object.keys(definition.triggers)).toEqual(
      expect.arrayContaining([
        'new_reward_redemption',
        'reward_redemption_requested',
        'loudcrowd_reward_event',
      ]),
    );
    expect(Object.keys(definition.creates)).toContain('fulfill_reward_redemption');
  });

  it('carries production dependencies only, as package-lock.json lists them', () => {
    const packages = new Set(filesOf(buildZip).flatMap((f) => packagePathOf(f) ?? []));
    expect(packages).toContain('node_modules/zapier-platform-core');
    const notProduction = [...packages].filter((p) => !lock.packages[p] || lock.packages[p].dev);
    expect(notProduction).toEqual([]);
    const core = JSON.parse(
      buildZip.readAsText('node_modules/zapier-platform-core/package.json'),
    ) as { version: string };
    expect(core.version).toBe(lock.packages['node_modules/zapier-platform-core']?.version);
  });

  it("lists every trigger, action and search in the CLI's definition.json, as the editor will", () => {
    // What `zapier-platform describe` prints, read from the definition the CLI built into the zip
    // (the file Zapier reads), instead of starting the CLI once more.
    const definition = JSON.parse(buildZip.readAsText('definition.json')) as Record<
      'triggers' | 'creates' | 'searches',
      Record<string, { display: { label: string; hidden?: boolean } }>
    >;
    const labels = (kind: 'triggers' | 'creates' | 'searches') =>
      Object.values(definition[kind]).map(({ display }) => display.label);
    expect(labels('triggers')).toEqual(
      expect.arrayContaining([
        'Reward Requested (Needs Hub Webhook)',
        'Reward Requested (Checks Every Few Minutes)',
        'Reward Request Still Waiting',
        'Daily Pending Rewards Summary',
        'New LoudCrowd Reward Event',
      ]),
    );
    expect(labels('creates').sort()).toEqual(
      ['Fulfill Reward Redemption', 'Refuse Reward Redemption'].sort(),
    );
    expect(labels('searches').sort()).toEqual(['Find Member', 'Find Reward Redemption'].sort());
  });

  it('writes a source.zip of the project source, without dependencies or build output', () => {
    const files = filesOf(sourceZip);
    expect(files).toEqual(
      expect.arrayContaining(['src/index.ts', 'package.json', 'package-lock.json', 'README.md']),
    );
    expect(
      files.filter((f) => /^(node_modules|build|dist|coverage)\//.test(f) || f.endsWith('.zip')),
    ).toEqual([]);
  });
});

describe('the app inside build.zip, unzipped', () => {
  let dir: string;
  let env: SandboxEnvironment;
  const methods: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'reward-fulfillment-build-'));
    buildZip.extractAllTo(dir, true);
    // What the wrapper loads is resolved from the unzipped folder, never from this repository.
    const { handler } = require(join(dir, 'zapierwrapper.js')) as {
      handler: (event: unknown, context: object) => ReturnType<LambdaHandler>;
    };
    const recorded: LambdaHandler = (event) => {
      methods.push((event as { method: string }).method);
      return handler(event, {});
    };
    env = await startSandboxEnvironment({ handler: recorded });
  });

  afterAll(async () => {
    await env?.close();
    delete process.env.INFLUITIVE_API_URL;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('resolves zapier-platform-core from inside the unzipped folder', () => {
    const core = require.resolve('zapier-platform-core', { paths: [dir] });
    expect(core.startsWith(`${dir}${sep}node_modules${sep}zapier-platform-core${sep}`)).toBe(true);
  });

  it('runs the poll, the instant trigger, fulfill and the LoudCrowd trigger against the sandbox', async () => {
    const steps = await runFulfillmentLoop(env);
    expect(steps.filter((s) => !s.ok)).toEqual([]);
    expect(steps.length).toBeGreaterThan(0);
    expect(methods).toEqual(
      expect.arrayContaining([
        'triggers.new_reward_redemption.operation.perform',
        'triggers.reward_redemption_requested.operation.perform',
        'creates.fulfill_reward_redemption.operation.perform',
        'triggers.loudcrowd_reward_event.operation.perform',
      ]),
    );
    // What the zip's app did, seen from the sandboxes: a fulfilled redemption, one vendor order,
    // repeats halted through z.cache over the RPC stand-in.
    const fulfilled = env.influitive.decisions.filter((d) => d.applied && d.decision === 'fulfill');
    expect(fulfilled).toHaveLength(1);
    expect(env.vendor.orders).toHaveLength(1);
    expect(env.gateway.deliveries.map((d) => `${d.trigger}:${d.outcome}`)).toEqual(
      expect.arrayContaining([
        'reward_redemption_requested:triggered',
        'reward_redemption_requested:halted',
        'loudcrowd_reward_event:triggered',
      ]),
    );
    expect(env.rpc.calls.map((c) => c.method)).toContain('zcache_set');
  });
});
