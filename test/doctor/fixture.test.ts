/**
 * `--save`: the fixture keeps what tests need (ids, dates, statuses, reward names, metadata codes)
 * and replaces everything that identifies a person or the hub with stable fakes, with no secret.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANDBOX_ORG_ID, SANDBOX_TOKEN, startInfluitiveSandbox } from '../../sandbox/influitive';
import { SEED_MEMBERS } from '../../sandbox/influitive-seed';
import { runDoctor } from '../../scripts/doctor/doctor';
import { anonymize, FAKE_ORG_ID, formatFixture } from '../../scripts/doctor/fixture';
import { inspectPage } from '../../scripts/doctor/inspect';

const ROOT = join(__dirname, '..', '..');
const SECRETS = { token: SANDBOX_TOKEN, orgId: SANDBOX_ORG_ID, apiOrigin: 'http://127.0.0.1:4010' };

type Json = Record<string, unknown>;

// Maya Patel: a trusted advocate with an address, a job title, custom fields and an avatar.
const contact = SEED_MEMBERS.find((member) => member.id === 90211) as (typeof SEED_MEMBERS)[number];

const page = {
  reward_redemptions: [
    {
      id: 48213,
      reward: { id: 731, name: 'Amazon.com Gift Card ($25)', description: 'A $25 e-gift card.' },
      contact_id: 90211,
      created_at: '2026-11-20T09:14:03-05:00',
      status: 'pending',
      points: 2500,
      decision_message: 'Sent to maya.patel@northwind-analytics.example, enjoy!',
      metadata: { vendor_product_id: 'AMZN-US-25', amount: '25.00', note: 'Ships in two days' },
      debug: `Authorization: Token ${SANDBOX_TOKEN}; X_ORG_ID: ${SANDBOX_ORG_ID}`,
    },
  ],
  contacts: [contact],
  links: {
    self: 'http://127.0.0.1:4010/reward_redemptions',
    next: `http://127.0.0.1:4010/reward_redemptions?page=2&org=${SANDBOX_ORG_ID}`,
  },
};

describe('anonymize', () => {
  const out = anonymize(page, SECRETS) as {
    reward_redemptions: Json[];
    contacts: (Json & { address: Json; level: Json; custom_fields: Json })[];
    links: Json;
  };
  const [redemption] = out.reward_redemptions as [Json];
  const [member] = out.contacts as [(typeof out.contacts)[number]];
  const text = JSON.stringify(out);

  it('replaces names word by word, so the full name still joins first and last', () => {
    expect(member.first_name).not.toBe('Maya');
    expect(member.last_name).not.toBe('Patel');
    expect(member.name).toBe(`${member.first_name} ${member.last_name}`);
  });

  it('replaces every email, in its field and inside free text, with the same fake', () => {
    expect(member.email).toBe('advocate1@example.com');
    expect(text).not.toMatch(/northwind/i);
    expect(redemption.decision_message).toMatch(/^Free text \d+$/);
  });

  it('replaces the address, phone, company and job title, keeping state and country', () => {
    expect(member.address).toEqual({
      address: '101 Example Street',
      address_2: 'Unit 1',
      city: 'Exampleton 1',
      state: 'CA',
      country: 'US',
      zip: '00001',
      phone_number: '+1 555-0101',
    });
    expect(member.company).toBe('Example Company 1');
    expect(member.title).toBe('Job Title 1');
    expect(member.custom_fields).toEqual({ region: 'Custom value 1' });
    expect(member.thumb).toBe('https://hub.example.com/files/1');
  });

  it('keeps ids, dates, statuses, numbers, reward and level names, and metadata codes', () => {
    expect(redemption).toMatchObject({
      id: 48213,
      contact_id: 90211,
      created_at: '2026-11-20T09:14:03-05:00',
      status: 'pending',
      points: 2500,
      reward: { id: 731, name: 'Amazon.com Gift Card ($25)', description: 'Free text 1' },
      metadata: { vendor_product_id: 'AMZN-US-25', amount: '25.00', note: 'Free text 3' },
    });
    expect(member).toMatchObject({ id: 90211, uuid: contact.uuid, trusted: true });
    expect(member.level).toEqual({ id: 4, name: 'Champion' });
  });

  it('removes the token and org ID wherever they were echoed, and moves links to the public API', () => {
    expect(text).not.toContain(SANDBOX_TOKEN);
    expect(text).not.toContain(SANDBOX_ORG_ID);
    expect(out.links).toEqual({
      self: 'https://api.influitive.com/reward_redemptions',
      next: `https://api.influitive.com/reward_redemptions?page=2&org=${FAKE_ORG_ID}`,
    });
  });

  it('gives the same fakes every time', () => {
    expect(anonymize(page, SECRETS)).toEqual(out);
  });
});

describe('formatFixture', () => {
  it('writes JSON as the project Biome formats it', () => {
    const text = formatFixture({ ids: [1, 2, 3], nested: { list: ['a', 'b'] } });

    const check = spawnSync(
      process.execPath,
      [require.resolve('@biomejs/biome/bin/biome'), 'format', '--stdin-file-path=x.json'],
      { cwd: ROOT, input: text, encoding: 'utf8' },
    );
    expect(check.status).toBe(0);
    expect(check.stdout).toBe(text);
    expect(text).toContain('"ids": [1, 2, 3]');
  });
});

describe('a page saved from the sandbox', () => {
  it('holds no seed member data and no secret, and reads exactly as the original', async () => {
    const sandbox = await startInfluitiveSandbox();
    const dir = mkdtempSync(join(tmpdir(), 'doctor-fixture-'));
    const path = join(dir, 'page.json');
    // The API echoes the request's credentials in a field, as an error body might.
    const original = (await (
      await fetch(`${sandbox.url}/reward_redemptions`, {
        headers: { Authorization: `Token ${SANDBOX_TOKEN}`, X_ORG_ID: SANDBOX_ORG_ID },
      })
    ).json()) as Json;
    original.echo = `Token ${SANDBOX_TOKEN} for org ${SANDBOX_ORG_ID}`;
    sandbox.injectFault({
      kind: 'status',
      status: 200,
      body: JSON.stringify(original),
      contentType: 'application/json',
      // The list only (not the doctor's single-record check), once for each run below.
      path: /^\/reward_redemptions$/,
      times: 2,
    });
    Object.assign(process.env, {
      INFLUITIVE_API_URL: sandbox.url,
      INFLUITIVE_API_TOKEN: SANDBOX_TOKEN,
      INFLUITIVE_ORG_ID: SANDBOX_ORG_ID,
    });
    try {
      await runDoctor(['--save-to', path], { cwd: dir, write: () => undefined });
      const saved = readFileSync(path, 'utf8');
      await runDoctor(['--save-to', `${path}.again`], { cwd: dir, write: () => undefined });

      for (const secret of [SANDBOX_TOKEN, SANDBOX_ORG_ID, sandbox.url]) {
        expect(saved).not.toContain(secret);
      }
      for (const seed of SEED_MEMBERS) {
        const personal = [
          seed.name,
          seed.first_name,
          seed.last_name,
          seed.email,
          seed.title,
          seed.company,
          seed.thumb,
          seed.address.address,
          seed.address.address_2,
          seed.address.city,
          seed.address.zip,
          seed.address.phone_number,
        ];
        for (const value of personal) if (value) expect(saved).not.toContain(value);
      }
      const strip = (p: ReturnType<typeof inspectPage>) =>
        p.readings.map(({ sources, member, metadataForm, unread, redemption }) => ({
          sources,
          member,
          metadataForm,
          unread,
          id: redemption.id,
          metadata: redemption.metadata,
          at: redemption.requested_at,
        }));
      expect(strip(inspectPage(JSON.parse(saved)))).toEqual(strip(inspectPage(original)));
      expect(readFileSync(`${path}.again`, 'utf8')).toBe(saved);
    } finally {
      for (const key of ['INFLUITIVE_API_URL', 'INFLUITIVE_API_TOKEN', 'INFLUITIVE_ORG_ID']) {
        delete process.env[key];
      }
      rmSync(dir, { recursive: true, force: true });
      await sandbox.close();
    }
  });
});
