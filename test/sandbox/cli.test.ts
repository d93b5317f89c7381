import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { formatReport } from '../../sandbox/report';
import App from '../../src';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'sandbox.js');

describe('formatReport', () => {
  it('prints a line per step with its detail, and the counts', () => {
    const report = formatReport(
      [
        { step: '1. First', ok: true, detail: 'fine', ms: 3 },
        { step: '2. Second', ok: false, detail: 'the vendor answered 500', ms: 9 },
      ],
      41,
    );
    expect(report.split('\n').slice(2, 6)).toEqual([
      'PASS  1. First  (3 ms)',
      '      fine',
      'FAIL  2. Second  (9 ms)',
      '      the vendor answered 500',
    ]);
    expect(report.split('\n').at(-1)).toBe('1 passed, 1 failed in 41 ms');
  });

  it('wraps a long detail under its step', () => {
    const detail = 'word '.repeat(60).trim();
    const lines = formatReport([{ step: 's', ok: true, detail, ms: 1 }], 1).split('\n');
    const wrapped = lines.filter((line) => line.startsWith('      word'));
    expect(wrapped.length).toBeGreaterThan(2);
    expect(wrapped.every((line) => line.length <= 100)).toBe(true);
  });
});

describe('npm start (dist/sandbox.js)', () => {
  it('runs the loop, prints the report and exits 0', () => {
    const run = spawnSync(process.execPath, [CLI], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stdout).toMatch(/PASS {2}1\. Advocate requests a reward/);
    // The report calls each trigger what the Zap editor calls it.
    const labelOf = (key: string) =>
      (App.triggers[key] as unknown as { display: { label: string } }).display.label;
    for (const key of [
      'reward_redemption_requested',
      'new_reward_redemption',
      'loudcrowd_reward_event',
      'overdue_reward_redemption',
    ]) {
      expect(run.stdout).toContain(labelOf(key));
    }
    expect(run.stdout).toMatch(/^10 passed, 0 failed in \d+ ms$/m);
    expect(run.stdout).not.toMatch(/RSSMEM/);
    expect(run.status).toBe(0);
  });

  describe('--serve', () => {
    let child: ChildProcessWithoutNullStreams;
    let output = '';
    beforeAll(async () => {
      child = spawn(process.execPath, [CLI, '--serve'], { cwd: ROOT });
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      // Waits for the instructions however long a busy machine takes (jest's timeout bounds it);
      // a sandbox that exits first fails at once, with what it printed.
      await new Promise<void>((resolve, reject) => {
        child.once('exit', (code) =>
          reject(new Error(`the sandbox exited (${code}) before its instructions: ${output}`)),
        );
        child.stdout.on('data', () => {
          if (output.includes('Ctrl-C stops the sandbox.')) resolve();
        });
      });
    });
    afterAll(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });

    it('prints the URLs, a curl line that fires the LoudCrowd trigger, and the .env lines for invoke', async () => {
      expect(output).toMatch(/^Influitive sandbox {3}http:\/\/127\.0\.0\.1:\d+$/m);
      expect(output).toMatch(/^ {2}authData_api_token=\S+$/m);
      expect(output).toMatch(/^ {2}authData_org_id=\S+$/m);
      expect(output).toMatch(/^ {2}INFLUITIVE_API_URL=http:\/\/127\.0\.0\.1:\d+$/m);
      expect(output).toMatch(/npx zapier-platform invoke trigger new_reward_redemption/);

      // Send what the printed curl line sends.
      const hook = /curl -s -X POST '([^']+)' -H 'X-Api-Key: ([^']+)'/.exec(output);
      const body = / -d '(\{.+\})'/.exec(output);
      expect(hook && body).toBeTruthy();
      const response = await fetch(hook?.[1] ?? '', {
        method: 'POST',
        headers: { 'X-Api-Key': hook?.[2] ?? '', 'Content-Type': 'application/json' },
        body: body?.[1],
      });
      expect(await response.json()).toMatchObject({
        sandbox: { outcome: 'triggered', results: [{ id: 'LC-TEST-1' }] },
      });
    });

    it('serves the sandbox API with the printed credentials', async () => {
      const base = /INFLUITIVE_API_URL=(\S+)/.exec(output)?.[1] ?? '';
      const token = /authData_api_token=(\S+)/.exec(output)?.[1] ?? '';
      const org = /authData_org_id=(\S+)/.exec(output)?.[1] ?? '';
      const response = await fetch(`${base}/members/me`, {
        headers: { Authorization: `Token ${token}`, X_ORG_ID: org },
      });
      expect(response.status).toBe(200);
    });

    it('stops cleanly on SIGTERM', async () => {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await expect(exited).resolves.toBe(0);
    });
  });
});
