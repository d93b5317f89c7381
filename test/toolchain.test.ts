import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

describe('toolchain', () => {
  it('runs on Node 22, as Zapier does, from the node package the install provides', () => {
    expect(process.versions.node.split('.')[0]).toBe('22');
    expect(process.execPath).toBe(join(ROOT, 'node_modules', 'node', 'bin', 'node'));
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
      'Reward Requested (Needs Hub Webhook)',
      'Reward Requested (Checks Every Few Minutes)',
      'New LoudCrowd Reward Event',
      'Fulfill Reward Redemption',
      'Refuse Reward Redemption',
      'Find Reward Redemption',
      'Find Member',
    ]) {
      expect(run.stdout).toContain(label);
    }
  });
});
