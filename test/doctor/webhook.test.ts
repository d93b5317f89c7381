/**
 * `npm run doctor -- --webhook FILE`: a "Reward Redemption Requested" body captured from the
 * sandbox's own webhook, through the instant trigger's unwrap and normaliser, with no request made.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type InfluitiveSandbox, startInfluitiveSandbox } from '../../sandbox/influitive';
import { EXIT, runDoctor } from '../../scripts/doctor/doctor';
import { startLoopbackServer } from '../helpers/loopback';
import { flat, line } from './report-text';

let dir: string;
let sandbox: InfluitiveSandbox;
let receiver: { url: string; close: () => Promise<void> };
let received: string[];

/** What the sandbox posts for a redemption, as the receiver got it, saved to a file. */
const capture = async (redemptionId: number, wrap = true): Promise<string> => {
  await sandbox.deliverWebhook(receiver.url, redemptionId, { wrap });
  const path = join(dir, `delivery-${redemptionId}.json`);
  writeFileSync(path, received.at(-1) ?? '');
  return path;
};

const doctor = async (argv: string[]) => {
  let out = '';
  const code = await runDoctor(argv, { cwd: dir, write: (text) => (out += text) });
  return { code, out, flat: flat(out) };
};

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'doctor-webhook-'));
  sandbox = await startInfluitiveSandbox();
  received = [];
  receiver = await startLoopbackServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      res.end('ok');
    });
  });
});

afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  await Promise.all([sandbox.close(), receiver.close()]);
});

it('reads a wrapped delivery as the instant trigger does, without calling the API', async () => {
  const file = await capture(48213);

  const { code, out } = await doctor(['--webhook', file]);

  expect(code).toBe(EXIT.ok);
  expect(line(out, 'file')).toBe('delivery-48213.json');
  expect(line(out, 'wrapping')).toBe('in `reward_redemption`, beside `event`, `contact`');
  expect(line(out, 'id')).toBe('`id`');
  expect(line(out, 'member')).toBe('embedded in `contact`');
  expect(line(out, 'reward')).toBe(
    'id from `reward_id` or `reward.id` (the same value in each), name from `reward.name`',
  );
  expect(line(out, 'request date')).toBe('`created_at`');
  expect(line(out, 'Reward Metadata')).toBe('`metadata`, an object');
  expect(line(out, 'metadata keys')).toBe('amount, currency, vendor_product_id');
  expect(line(out, 'statuses')).toBe('pending (from `status`)');
  expect(out).toContain('No warnings: this data matches what the app assumes.');
  expect(sandbox.requestLog).toEqual([]);
});

it('reads an unwrapped delivery and warns that the member is only an id', async () => {
  const file = await capture(48227, false);

  const { code, out, flat } = await doctor(['--webhook', file]);

  expect(code).toBe(EXIT.ok);
  expect(line(out, 'wrapping')).toBe('none: the body is the redemption');
  expect(line(out, 'member')).toBe(
    'only an id, in `contact_id`, with no side-loaded member to match (no email or name)',
  );
  expect(line(out, 'not read')).toBe(
    'address, address_2, city, country, decided_at, decision_message, phone_number, points, state, uuid, zip (the Zap gets these as they are)',
  );
  expect(flat).toContain(
    'No Reward Metadata on this redemption. Ask support@influitive.com to enable Reward Metadata',
  );
  expect(flat).toContain('1 of 1 redemption has no member email (48227)');
});

it('warns about a delivery from an untrusted advocate', async () => {
  const file = await capture(48231);

  const { flat } = await doctor(['--webhook', file]);

  expect(flat).toContain('1 of 1 redemption is by an untrusted advocate (48231)');
  expect(flat).toContain('a Filter on member__trusted');
});

it('says the trigger would halt a body it cannot read, and why', async () => {
  const list = join(dir, 'list.json');
  writeFileSync(list, JSON.stringify([{ id: 1 }]));
  const text = join(dir, 'text.json');
  writeFileSync(text, 'reward_redemption_id=48213');

  const asList = await doctor(['--webhook', list]);
  const asText = await doctor(['--webhook', text, '--save']);

  expect(asList.code).toBe(EXIT.failed);
  expect(asList.flat).toContain(
    'FAILED  The instant trigger would halt this delivery The delivery is not a reward redemption: expected a JSON object, got an array.',
  );
  expect(asText.code).toBe(EXIT.failed);
  expect(asText.flat).toContain(
    'FAILED  The instant trigger would halt this delivery The file is not JSON (Unexpected token',
  );
  expect(asText.out).toContain('Nothing saved: the file is not JSON.');
});

it('names a file that does not exist', async () => {
  const { code, out } = await doctor(['--webhook', 'missing.json']);

  expect(code).toBe(EXIT.usage);
  expect(out).toContain(`No such file: ${join(dir, 'missing.json')}`);
});

it('saves the delivery as an anonymised fixture with --save', async () => {
  const file = await capture(48213);

  const { out } = await doctor(['--webhook', file, '--save']);

  const path = join(dir, 'doctor-output', 'hub_reward_redemption_requested.json');
  expect(out).toContain(
    'Saved this body, anonymised, to doctor-output/hub_reward_redemption_requested.json',
  );
  const saved = readFileSync(path, 'utf8');
  expect(saved).not.toContain('maya.patel@northwind-analytics.example');
  expect(saved).not.toContain('Patel');
  expect(JSON.parse(saved).reward_redemption.id).toBe(48213);
});
