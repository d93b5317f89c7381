import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

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

  it('lists every trigger, action and search with zapier-platform describe, offline', () => {
    const cli = join(ROOT, 'node_modules', 'zapier-platform-cli', 'src', 'bin', 'run');
    const run = spawnSync(process.execPath, [cli, 'describe'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, DISABLE_ZAPIER_ANALYTICS: '1', FORCE_COLOR: '0', NO_COLOR: '1' },
    });
    expect(run.status).toBe(0);
    for (const label of [
      'Reward Redemption Requested (Instant)',
      'New Reward Redemption (Polling)',
      'New LoudCrowd Reward Event (Instant)',
      'Fulfill Reward Redemption',
      'Refuse Reward Redemption',
      'Find Reward Redemption',
      'Find Member',
    ]) {
      expect(run.stdout).toContain(label);
    }
  });
});
