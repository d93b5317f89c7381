/**
 * `npm run doctor` against the local Influitive sandbox, in-process: what it reports for each list
 * order, with and without Reward Metadata, for a backlog, for every failure the client maps, and
 * that it never makes more than four requests, all GETs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type InfluitiveSandbox,
  type InfluitiveSandboxOptions,
  SANDBOX_ORG_ID,
  SANDBOX_TOKEN,
  startInfluitiveSandbox,
  wafBlockPage,
} from '../../sandbox/influitive';
import { EXIT, runDoctor } from '../../scripts/doctor/doctor';
import { flat, line, warnings } from './report-text';

const ENV_KEYS = [
  'INFLUITIVE_API_URL',
  'INFLUITIVE_API_TOKEN',
  'INFLUITIVE_ORG_ID',
  'authData_api_token',
  'authData_org_id',
] as const;
const WRONG_ORG = '00000000-0000-4000-8000-0000000000ff';
const THREE_GETS = [
  { method: 'GET', path: '/members/me' },
  { method: 'GET', path: '/external/rewards' },
  { method: 'GET', path: '/reward_redemptions' },
];

/** The three reads, then (when the page held a redemption) the single-record check. */
const expectReads = (requests: { method: string; path: string }[]) => {
  expect(requests.slice(0, 3)).toEqual(THREE_GETS);
  expect(requests.length).toBeLessThanOrEqual(4);
  for (const extra of requests.slice(3)) {
    expect(extra).toMatchObject({
      method: 'GET',
      path: expect.stringMatching(/^\/reward_redemptions\/[\w-]+$/),
    });
  }
};

let dir: string;
const started: InfluitiveSandbox[] = [];

const start = async (options: InfluitiveSandboxOptions = {}) => {
  const sandbox = await startInfluitiveSandbox(options);
  started.push(sandbox);
  return sandbox;
};

/** Runs the doctor against `sandbox` with the sandbox's credentials unless `env` says otherwise. */
const doctor = async (
  sandbox: InfluitiveSandbox,
  argv: string[] = [],
  env: Partial<Record<(typeof ENV_KEYS)[number], string>> = {},
) => {
  Object.assign(process.env, {
    INFLUITIVE_API_URL: sandbox.url,
    INFLUITIVE_API_TOKEN: SANDBOX_TOKEN,
    INFLUITIVE_ORG_ID: SANDBOX_ORG_ID,
    ...env,
  });
  let out = '';
  const code = await runDoctor(argv, { cwd: dir, write: (text) => (out += text) });
  return { code, out, requests: sandbox.requestLog.map(({ method, path }) => ({ method, path })) };
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'doctor-'));
});

afterEach(async () => {
  for (const key of ENV_KEYS) delete process.env[key];
  rmSync(dir, { recursive: true, force: true });
  await Promise.all(started.splice(0).map((sandbox) => sandbox.close()));
});

describe('against a healthy hub', () => {
  it('says who it is connected as and reads the seed hub in four GETs', async () => {
    const sandbox = await start();

    const { code, out, requests } = await doctor(sandbox);

    expect(code).toBe(EXIT.ok);
    expectReads(requests);
    expect(line(out, 'ok')).toBe(
      'connected as Jordan Reyes <jordan.reyes@brightline.example>, member 90001',
    );
    expect(line(out, 'Zapier label')).toBe('Jordan Reyes (jordan.reyes@brightline.example)');
    expect(out).toContain('4 rewards (3 published), a bare list, no next link');
    expect(line(out, 'per page')).toBe(
      '3 redemptions (in `reward_redemptions`), 3 members side-loaded in `contacts`; no next link: every pending redemption is on this page',
    );
    expect(line(out, 'list order')).toBe('newest first (by request date)');
    expect(line(out, 'id')).toBe('`id` (3 of 3)');
    expect(line(out, 'member')).toBe(
      'side-loaded in `contacts`, referenced by `contact_id` (3 of 3)',
    );
    expect(line(out, 'reward')).toBe(
      'id from `reward_id` or `reward.id` (the same value in each), name from `reward.name` (3 of 3)',
    );
    expect(line(out, 'request date')).toBe('`created_at` (3 of 3)');
    expect(line(out, 'Reward Metadata')).toBe('`metadata`, an object (2 of 3); none (1 of 3)');
    expect(line(out, 'metadata keys')).toBe('amount, currency, vendor_product_id (2 of 3)');
    expect(line(out, 'not read')).toBe(
      'decided_at, decision_message, points, uuid (3 of 3); address, address_2, city, country, phone_number, state, zip (1 of 3) (the Zap gets these as they are)',
    );
    expect(line(out, 'statuses')).toBe('pending (from `status`) (3 of 3)');
    expect(flat(out)).toContain(
      '4 requests (GET /members/me 200, GET /external/rewards 200, GET /reward_redemptions 200, GET /reward_redemptions/48231 404); nothing in the hub was changed.',
    );
  });

  it('asks the hub once for a pending redemption by id, and says to turn the single-record input on when it answers', async () => {
    const sandbox = await start({ singleRecord: true });
    const { code, out, requests } = await doctor(sandbox);
    expect(code).toBe(EXIT.ok);
    expect(requests.at(-1)).toEqual({ method: 'GET', path: '/reward_redemptions/48231' });
    expect(flat(out)).toContain('answered 200 with redemption 48231 itself');
    expect(flat(out)).toContain('turn on "Influitive Answers Single Redemptions"');
  });

  it('says to leave the single-record input off when the hub answers 404', async () => {
    const sandbox = await start();
    const { out } = await doctor(sandbox);
    expect(flat(out)).toContain(
      'answered 404 for pending redemption 48231: leave "Influitive Answers Single Redemptions" off',
    );
  });

  it("lists each reward's provider and warns about the ones Influitive fulfills itself", async () => {
    const sandbox = await start({ agedSeed: true });

    const { code, out } = await doctor(sandbox);

    expect(code).toBe(EXIT.ok);
    expect(line(out, 'providers')).toBe(
      'Amazon.com Gift Card ($25): custom; Brightline Hoodie (Unisex): custom; Visa Prepaid Card ($50): custom; Starbucks eGift Card ($10): tango_card, Influitive fulfills it; Roadmap Briefing with our CTO (2027): custom',
    );
    expect(warnings(out)).toContain(
      'Influitive fulfills Starbucks eGift Card ($10) (tango_card) itself, once a redemption is approved. The redemption triggers leave it out (the webhook trigger halts it, naming the reward) unless a Zap turns on "Include Rewards Influitive Fulfills Itself": a Zap that orders it from a vendor would pay twice.',
    );
  });

  it('warns about the untrusted advocate and the reward without metadata in the seed hub', async () => {
    const sandbox = await start();

    const { out } = await doctor(sandbox);

    expect(warnings(out)).toEqual([
      '1 of 3 redemptions carries no Reward Metadata (Brightline Hoodie (Unisex)): give this reward its metadata in the hub, or Zaps get empty metadata__… fields for it.',
      '1 of 3 redemptions is by an untrusted advocate (48231). Influitive never auto-fulfills these, so each one reaches the Zap: decide before going live whether it may order a reward for them unreviewed (a Filter on member__trusted can hold them back).',
    ]);
  });

  it('reads the list order from the data: oldest first', async () => {
    const sandbox = await start({ listOrder: 'oldest_first' });

    const { out, requests } = await doctor(sandbox);

    expect(line(out, 'list order')).toBe('oldest first (by request date)');
    expectReads(requests);
  });

  it('reads JSON that Influitive labels text/plain', async () => {
    const sandbox = await start({ jsonContentType: 'text/plain' });

    const { code, out } = await doctor(sandbox);

    expect(code).toBe(EXIT.ok);
    expect(line(out, 'per page')).toMatch(/^3 redemptions/);
  });
});

describe('Reward Metadata', () => {
  const hubWith = async (rewardIds: number[]) => {
    const sandbox = await start({ seed: false });
    const member = sandbox.addMember({
      first_name: 'Ines',
      last_name: 'Moreau',
      email: 'ines.moreau@litware.example',
    });
    rewardIds.forEach((rewardId, i) => {
      sandbox.addRedemption({
        rewardId,
        contactId: member.id,
        createdAt: `2026-11-2${i}T10:00:00-05:00`,
      });
    });
    return sandbox;
  };

  it('warns to ask Influitive support when no redemption carries any', async () => {
    const sandbox = await hubWith([742, 742]);

    const { code, out } = await doctor(sandbox);

    expect(code).toBe(EXIT.ok);
    expect(line(out, 'Reward Metadata')).toBe('none (2 of 2)');
    expect(line(out, 'metadata keys')).toBe('none');
    expect(warnings(out)).toEqual([
      'No Reward Metadata on any of the 2 redemptions. Ask support@influitive.com to enable Reward Metadata for your hub, then give each reward its vendor product ID, amount and currency, so the vendor step maps metadata__… fields instead of a hard-coded reward per Zap.',
    ]);
  });

  it('reports the keys and no warning when every redemption carries it', async () => {
    const sandbox = await hubWith([731, 755]);

    const { out } = await doctor(sandbox);

    expect(line(out, 'Reward Metadata')).toBe('`metadata`, an object (2 of 2)');
    expect(line(out, 'metadata keys')).toBe('amount, currency, vendor_product_id (2 of 2)');
    expect(warnings(out)).toEqual([]);
    expect(out).toContain('No warnings: this data matches what the app assumes.');
  });

  it('says there is nothing to read on an empty pending list', async () => {
    const sandbox = await hubWith([]);

    const { code, out } = await doctor(sandbox);

    expect(code).toBe(EXIT.ok);
    expect(line(out, 'per page')).toBe(
      '0 redemptions (in `reward_redemptions`), 0 members side-loaded in `contacts`; no next link: every pending redemption is on this page',
    );
    expect(out).not.toContain('list order');
  });
});

describe('a backlog larger than one page', () => {
  it.each([
    ['newest_first', ''],
    [
      'oldest_first',
      ' The list is oldest first, so the newest redemptions are on the last page, the one the app reaches last.',
    ],
  ] as const)('warns, reads one page only (%s)', async (listOrder, orderNote) => {
    const sandbox = await start({ seed: false, pageSize: 25, listOrder });
    sandbox.seedPending(30);

    const { code, out, requests } = await doctor(sandbox);

    expect(code).toBe(EXIT.ok);
    expectReads(requests);
    expect(line(out, 'per page')).toBe(
      '25 redemptions (in `reward_redemptions`), 25 members side-loaded in `contacts`; a next link: 25 per page, and more are pending',
    );
    expect(warnings(out)).toContain(
      `A backlog: more redemptions are pending than one page holds (25 on this page, and a next link). Every poll, and every check of a webhook against the API, then costs more than one request against Influitive's firewall limit of 200 requests per IP in 5 minutes.${orderNote} Fulfill or refuse the old ones in the hub before the first Zap goes live.`,
    );
  });
});

describe('failures, with the app error mapping', () => {
  it('names a bad token, stops after the connection test and shows no secret', async () => {
    const sandbox = await start();

    const { code, out, requests } = await doctor(sandbox, [], {
      INFLUITIVE_API_TOKEN: 'tok_wrong_9f8e7d6c5b4a',
    });

    expect(code).toBe(EXIT.failed);
    expect(requests).toEqual([{ method: 'GET', path: '/members/me' }]);
    expect(out).toContain('FAILED  Influitive rejected the credentials (401)');
    expect(flat(out)).toMatch(
      /Influitive rejected the API token or organization ID on GET \/members\/me/,
    );
    expect(flat(out)).toContain('check INFLUITIVE_API_TOKEN and INFLUITIVE_ORG_ID (X_ORG_ID)');
    expect(out.match(/not run \(an earlier step failed\)/g)).toHaveLength(3);
    expect(out).not.toMatch(/What happened|Console logs/);
    expect(out).not.toContain('tok_wrong_9f8e7d6c5b4a');
    expect(out).not.toContain(SANDBOX_TOKEN);
  });

  it('names a wrong org ID the same way, showing which org ID it sent', async () => {
    const sandbox = await start();

    const { code, out, requests } = await doctor(sandbox, [], { INFLUITIVE_ORG_ID: WRONG_ORG });

    expect(code).toBe(EXIT.failed);
    expect(requests).toHaveLength(1);
    expect(line(out, 'org ID')).toBe(`${WRONG_ORG} (INFLUITIVE_ORG_ID from the environment)`);
    expect(out).toContain('FAILED  Influitive rejected the credentials (401)');
  });

  it.each([403, 429] as const)(
    'names a firewall block answered %i with an HTML page',
    async (status) => {
      const sandbox = await start({ rateLimit: { max: 0, status } });

      const { code, out, requests } = await doctor(sandbox);

      expect(code).toBe(EXIT.failed);
      expect(requests).toHaveLength(1);
      expect(out).toContain("FAILED  Influitive's firewall blocked the request");
      expect(flat(out)).toContain(`Influitive's firewall refused GET /members/me with ${status}`);
      expect(out).not.toContain('<html');
    },
  );

  it('passes on the wait a 429 asked for', async () => {
    const sandbox = await start();
    sandbox.injectFault({
      kind: 'status',
      status: 429,
      body: wafBlockPage(429),
      headers: { 'Retry-After': '60' },
    });

    const { out } = await doctor(sandbox);

    expect(flat(out)).toContain('Influitive asked to wait 60 s.');
  });

  it('reports the first two checks when the firewall blocks the third request', async () => {
    const sandbox = await start();
    sandbox.injectFault({
      kind: 'status',
      status: 403,
      body: wafBlockPage(403),
      path: '/reward_redemptions',
    });

    const { code, out, requests } = await doctor(sandbox);

    expect(code).toBe(EXIT.failed);
    expectReads(requests);
    expect(line(out, 'ok')).toMatch(/^connected as Jordan Reyes/);
    expect(out).toContain('4 rewards (3 published)');
    expect(out).toContain(
      "3. Pending redemptions: GET /reward_redemptions (first page only)\n   FAILED  Influitive's firewall blocked the request",
    );
    // Only the fourth check, which needs a redemption from the third, is left out.
    expect(out.match(/not run/g)).toHaveLength(1);
  });

  it('names an answer that is not JSON', async () => {
    const sandbox = await start();
    sandbox.injectFault({
      kind: 'status',
      status: 200,
      body: '<html><title>AdvocateHub</title><body>Sign in</body></html>',
      contentType: 'text/html',
      path: '/external/rewards',
    });

    const { code, out, requests } = await doctor(sandbox);

    expect(code).toBe(EXIT.failed);
    expect(requests).toHaveLength(2);
    expect(out).toContain('FAILED  Influitive did not answer with JSON');
    expect(flat(out)).toContain(
      'Influitive answered GET /external/rewards with 200 but the body is not JSON (text/html)',
    );
    expect(flat(out)).toContain('INFLUITIVE_API_URL pointing at the hub instead of the API');
  });

  it('names a request it cannot make at all', async () => {
    const sandbox = await start();
    sandbox.injectFault({ kind: 'reset' });

    const { code, out } = await doctor(sandbox);

    expect(code).toBe(EXIT.failed);
    expect(out).toContain('FAILED  Influitive could not be reached');
    expect(out).toContain('1 request (GET /members/me no answer); nothing in the hub was changed.');
  });
});

describe('settings', () => {
  it('asks for missing credentials and says where to find them, before any request', async () => {
    const sandbox = await start();

    const { code, out, requests } = await doctor(sandbox, [], { INFLUITIVE_ORG_ID: '' });

    expect(code).toBe(EXIT.usage);
    expect(requests).toEqual([]);
    expect(out).toContain('Set INFLUITIVE_ORG_ID in the environment or in .env.');
    expect(out).toContain('Integrations → Influitive API → Manage');
  });

  it('reads an env file, the environment winning, including the authData_ names invoke uses', async () => {
    const sandbox = await start();
    writeFileSync(
      join(dir, 'hub.env'),
      [
        'INFLUITIVE_API_TOKEN=tok_stale_0000',
        `authData_org_id=${SANDBOX_ORG_ID}`,
        `INFLUITIVE_API_URL=${sandbox.url}`,
      ].join('\n'),
    );

    const { code, out } = await doctor(sandbox, ['--env-file', 'hub.env'], {
      INFLUITIVE_API_URL: '',
      INFLUITIVE_ORG_ID: '',
    });

    expect(code).toBe(EXIT.ok);
    expect(line(out, 'host')).toBe(`${sandbox.url} (INFLUITIVE_API_URL)`);
    expect(line(out, 'org ID')).toBe(`${SANDBOX_ORG_ID} (authData_org_id from hub.env)`);
    expect(line(out, 'API token')).toBe('set (INFLUITIVE_API_TOKEN from the environment)');
  });

  it('refuses a plain-HTTP API URL that is not loopback, before any request', async () => {
    const sandbox = await start();

    const { code, out, requests } = await doctor(sandbox, [], {
      INFLUITIVE_API_URL: 'http://api.influitive.example',
    });

    expect(code).toBe(EXIT.usage);
    expect(requests).toEqual([]);
    expect(out).toContain('INFLUITIVE_API_URL must use https://');
  });

  it('prints its usage for --help and for an unknown option', async () => {
    const sandbox = await start();

    const help = await doctor(sandbox, ['--help']);
    const unknown = await doctor(sandbox, ['--fix']);

    expect(help.code).toBe(EXIT.ok);
    expect(help.out).toContain('Usage: npm run doctor');
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.out).toContain("Unknown option '--fix'");
    expect(sandbox.requestLog).toEqual([]);
  });
});

describe('--save', () => {
  it('writes the page as an anonymised fixture and says where', async () => {
    const sandbox = await start();
    const path = join(dir, 'fixtures', 'page.json');

    const { code, out, requests } = await doctor(sandbox, ['--save-to', path]);

    expect(code).toBe(EXIT.ok);
    expectReads(requests);
    expect(out).toContain('Saved this page, anonymised, to fixtures/page.json');
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    expect(saved.reward_redemptions.map((r: { id: number }) => r.id)).toEqual([
      48231, 48227, 48213,
    ]);
  });

  it('saves nothing when the page was not read', async () => {
    const sandbox = await start({ rateLimit: { max: 0 } });
    const path = join(dir, 'page.json');

    const { out } = await doctor(sandbox, ['--save-to', path]);

    expect(out).toContain('Nothing saved: the page of redemptions was not read.');
    expect(() => readFileSync(path)).toThrow();
  });

  it('uses the default fixture path under the working folder', async () => {
    const sandbox = await start();

    const { out } = await doctor(sandbox, ['--save']);

    expect(out).toContain(
      'Saved this page, anonymised, to doctor-output/hub_reward_redemptions.json',
    );
    expect(
      JSON.parse(readFileSync(join(dir, 'doctor-output', 'hub_reward_redemptions.json'), 'utf8'))
        .contacts,
    ).toHaveLength(3);
  });
});
