import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const readJson = (path: string): unknown => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));

interface PackageJson {
  scripts: Record<string, string>;
  allowScripts?: Record<string, boolean>;
}
interface LockEntry {
  version?: string;
  hasInstallScript?: boolean;
}
const pkg = readJson('package.json') as PackageJson;
const lock = readJson('package-lock.json') as { packages: Record<string, LockEntry> };

/** The package name of a lock path: `node_modules/a/node_modules/@s/b` → `@s/b`. */
const nameOf = (lockPath: string): string => lockPath.split('node_modules/').at(-1) ?? lockPath;

describe('toolchain', () => {
  it('runs on Node 22, as Zapier does', () => {
    expect(process.versions.node.split('.')[0]).toBe('22');
  });

  it("provides Node 22 through the install's node package, whatever Node the machine has", () => {
    const run = spawnSync(join(ROOT, 'node_modules', '.bin', 'node'), ['--version'], {
      encoding: 'utf8',
    });
    expect(run.stdout.trim()).toMatch(/^v22\.\d+\.\d+$/);
  });

  it('approves in allowScripts every installed package that has an install script', () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([path, entry]) => path.startsWith('node_modules/') && entry.hasInstallScript)
      .map(([path, entry]) => ({ name: nameOf(path), version: entry.version }));
    // node provides Node 22; esbuild the bundler; unrs-resolver jest's resolver.
    expect(withScripts.map((p) => p.name)).toEqual(
      expect.arrayContaining(['node', 'esbuild', 'unrs-resolver']),
    );
    const allowed = pkg.allowScripts ?? {};
    const unapproved = withScripts.filter(
      ({ name, version }) => allowed[name] !== true && allowed[`${name}@${version}`] !== true,
    );
    expect(unapproved).toEqual([]);
  });

  it('runs no script of its own on install, so a production install needs no dev tool', () => {
    const lifecycle = [
      'preinstall',
      'install',
      'postinstall',
      'prepublish',
      'preprepare',
      'prepare',
      'postprepare',
    ];
    expect(Object.keys(pkg.scripts).filter((name) => lifecycle.includes(name))).toEqual([]);
  });

  // npm test's validate step, run here beside the other suites on the dist/ jest's global setup
  // built, instead of after jest (where it rebuilt dist/ first and ran alone).
  it('passes zapier-platform validate --without-style on the build under test, offline', () => {
    const cli = join(ROOT, 'node_modules', 'zapier-platform-cli', 'src', 'bin', 'run');
    const run = spawnSync(process.execPath, [cli, 'validate', '--without-style', '--skip-build'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, DISABLE_ZAPIER_ANALYTICS: '1', FORCE_COLOR: '0', NO_COLOR: '1' },
    });
    expect({ status: run.status, stdout: run.stdout }).toMatchObject({ status: 0 });
    expect(run.stdout).toContain('This project is structurally sound!');
  });

  it('runs every test file sized by the fuzz helper in the fuzz tier, and nothing else there', () => {
    const fuzzTier = new RegExp(
      (require('../jest.fuzz.config.js') as { testRegex: string }).testRegex,
    );
    const tests = (readdirSync(join(ROOT, 'test'), { recursive: true }) as string[])
      .filter((file) => file.endsWith('.test.ts'))
      .map((file) => `/test/${file}`);
    const sized = tests.filter((file) =>
      /from '(\.\.\/)+helpers\/fuzz'/.test(readFileSync(join(ROOT, file), 'utf8')),
    );

    expect(tests.filter((file) => fuzzTier.test(file)).sort()).toEqual(sized.sort());
    expect(sized.length).toBeGreaterThan(0);
    expect(pkg.scripts['test:fuzz']).toBe('FUZZ=full jest --config jest.fuzz.config.js');
  });
});
