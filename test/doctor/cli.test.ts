/**
 * The built `dist/doctor.js` (what `npm run doctor` runs) as a separate process, reading `.env`
 * from its working folder; and the guard that keeps every run to four GETs.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ZObject } from 'zapier-platform-core';
import {
  type InfluitiveSandbox,
  SANDBOX_ORG_ID,
  SANDBOX_TOKEN,
  startInfluitiveSandbox,
} from '../../sandbox/influitive';
import { guardedZ, type RequestMade } from '../../scripts/doctor/hub';

const ROOT = join(__dirname, '..', '..');
const DOCTOR = join(ROOT, 'dist', 'doctor.js');

let dir: string;
let sandbox: InfluitiveSandbox;

/** Runs dist/doctor.js in `dir` (async: the sandbox answers from this process). */
const runBuilt = async (env: Record<string, string> = {}) => {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  // Outside jest core prints a memory line per run unless told it runs from a CLI; check it does not.
  delete childEnv.NODE_ENV;
  for (const key of ['INFLUITIVE_API_URL', 'INFLUITIVE_API_TOKEN', 'INFLUITIVE_ORG_ID']) {
    if (!(key in env)) delete childEnv[key];
  }
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [DOCTOR], {
      cwd: dir,
      env: childEnv,
      timeout: 30_000,
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
};

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'doctor-cli-'));
  sandbox = await startInfluitiveSandbox();
  // The lines `npm start -- --serve` prints for `.env`.
  writeFileSync(
    join(dir, '.env'),
    `authData_api_token=${SANDBOX_TOKEN}\nauthData_org_id=${SANDBOX_ORG_ID}\nINFLUITIVE_API_URL=${sandbox.url}\n`,
  );
});

afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  await sandbox.close();
});

describe('npm run doctor', () => {
  it('is the built doctor, built first', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

    expect(pkg.scripts.doctor).toBe('node scripts/build.mjs && node dist/doctor.js');
    expect(existsSync(DOCTOR)).toBe(true);
  });

  it('checks the hub from .env and prints only the report', async () => {
    const { code, stdout } = await runBuilt();

    expect(code).toBe(0);
    expect(stdout).toMatch(/^Influitive doctor: does this hub match what the app assumes\?/);
    expect(stdout).toContain('connected as Jordan Reyes <jordan.reyes@brightline.example>');
    expect(stdout).not.toContain('RSSMEM');
    expect(sandbox.requestLog.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /members/me',
      'GET /external/rewards',
      'GET /reward_redemptions',
      'GET /reward_redemptions/48231',
    ]);
  });

  it('exits 1 on a rejected token, with the app message and nothing core appended', async () => {
    const { code, stdout } = await runBuilt({ INFLUITIVE_API_TOKEN: 'tok_rejected_1234' });

    expect(code).toBe(1);
    expect(stdout).toContain('FAILED  Influitive rejected the credentials (401)');
    expect(stdout).not.toMatch(/What happened|Console logs|tok_rejected_1234/);
    expect(stdout).not.toContain(SANDBOX_TOKEN);
  });
});

describe('guardedZ', () => {
  const fakeZ = () => {
    const request = jest.fn(async () => ({ status: 200, content: '{}' }));
    return { z: { request } as unknown as ZObject, request };
  };

  it('refuses anything but a GET before it is sent', async () => {
    const { z, request } = fakeZ();
    const requests: RequestMade[] = [];

    await expect(
      guardedZ(z, requests, []).request({ url: 'https://api.influitive.com/x', method: 'POST' }),
    ).rejects.toThrow('The doctor only reads: it refused POST https://api.influitive.com/x');
    expect(request).not.toHaveBeenCalled();
    expect(requests).toEqual([]);
  });

  it('refuses a fifth request', async () => {
    const { z, request } = fakeZ();
    const requests: RequestMade[] = [];
    const guarded = guardedZ(z, requests, []);

    for (const path of ['/a', '/b?page=2', '/c', '/d']) {
      await guarded.request({ url: `https://api.influitive.com${path}` });
    }
    await expect(guarded.request('https://api.influitive.com/e')).rejects.toThrow(
      '(request 5 of at most 4, GET only)',
    );
    expect(request).toHaveBeenCalledTimes(4);
    expect(requests.map((r) => r.path)).toEqual(['/a', '/b?page=2', '/c', '/d']);
  });
});
