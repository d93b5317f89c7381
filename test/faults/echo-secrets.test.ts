/**
 * Secrets echoed back: Influitive (or a proxy in front of it) quoting the API token in a header or
 * a record, LoudCrowd quoting its key in the body. Every operation runs through core's Lambda
 * handler; the error, its stack, the output and every log line (the app's and core's) must be free
 * of the secret in every form, while the field that held it is kept with the secret replaced.
 */
import fc from 'fast-check';
import { API, hookBundle, makeBundle, ORG_ID } from '../helpers/bundle';
import { testClock } from '../helpers/clock';
import { rejectionOf } from '../helpers/errors';
import { fuzzRuns, fuzzSeed } from '../helpers/fuzz';
import nock from '../helpers/nock';
import { nockRewardProviders } from '../helpers/pending-pages';
import { runOperation } from '../helpers/run';
import { FakeZapierRpc } from '../helpers/zapier-rpc';
import page1 from '../influitive/fixtures/reward_redemptions_page1.json';

// Characters that make every encoded form differ from the raw one.
const TOKEN = 'tok_live/5f2b+8e9c=1d7a&4e3b9c0f';
const KEY = 'lc_key/8d1f+3a6b=9c2e&4d7f0a5b';
/** Stored as pasted, with a trailing newline: the trimmed form on the wire is not what core knows. */
const authData = { api_token: `${TOKEN}\n`, org_id: ORG_ID, loudcrowd_api_key: ` ${KEY}` };

const formsOf = (secret: string) => [
  secret,
  encodeURIComponent(secret),
  new URLSearchParams({ s: secret }).toString().slice(2),
  JSON.stringify(secret).slice(1, -1).replace(/\//g, '\\/'),
];
const FORMS = [...formsOf(TOKEN), ...formsOf(KEY)];

const expectNoSecret = (texts: readonly string[]) => {
  for (const text of texts) {
    for (const form of FORMS) expect(text.toLowerCase()).not.toContain(form.toLowerCase());
  }
};

interface InfluitiveOperation {
  name: string;
  method: string;
  http: 'get' | 'post';
  bundle: () => ReturnType<typeof makeBundle>;
}

const operations: InfluitiveOperation[] = [
  {
    name: 'the polling trigger',
    method: 'triggers.new_reward_redemption.operation.perform',
    http: 'get',
    bundle: () => makeBundle({ authData }),
  },
  {
    name: 'the verified hook',
    method: 'triggers.reward_redemption_requested.operation.perform',
    http: 'get',
    bundle: () => hookBundle({ reward_redemption: { id: 48213 } }, { authData, zapId: 'zap-1' }),
  },
  {
    name: 'Find Reward Redemption',
    method: 'searches.find_reward_redemption.operation.perform',
    http: 'get',
    bundle: () => makeBundle({ authData, inputData: { redemption_id: '48213' } }),
  },
  {
    name: 'Find Member',
    method: 'searches.find_member.operation.perform',
    http: 'get',
    bundle: () =>
      makeBundle({ authData, inputData: { email: 'maya.patel@northwind-analytics.example' } }),
  },
  {
    name: 'Fulfill Reward Redemption',
    method: 'creates.fulfill_reward_redemption.operation.perform',
    http: 'post',
    bundle: () => makeBundle({ authData, inputData: { redemption_id: '48213' } }),
  },
  {
    name: 'Refuse Reward Redemption',
    method: 'creates.refuse_reward_redemption.operation.perform',
    http: 'post',
    bundle: () =>
      makeBundle({ authData, inputData: { redemption_id: '48213', message: 'Out of stock' } }),
  },
];

interface Echo {
  status: number;
  /** A header whose value quotes the secret, as a misconfigured proxy echoes the request. */
  header: 'X-Request-Id' | 'Content-Type' | 'WWW-Authenticate';
  form: string;
  /** The body quotes the secret too. */
  inBody: boolean;
}

const headerValue = ({ header, form }: Echo): string =>
  header === 'Content-Type' ? `text/html; charset=utf-8; token=${form}` : `Token ${form}`;

const bodyOf = ({ status, form, inBody }: Echo): string => {
  const quoted = inBody ? ` (request Authorization: Token ${form})` : '';
  // A 403 with JSON is the API's own refusal; the 200 is a proxy's page, not JSON.
  if (status === 200) return `<html><body>Maintenance${quoted}</body></html>`;
  return JSON.stringify({ error: `Request refused${quoted}` });
};

let rpc: FakeZapierRpc;
beforeAll(async () => {
  rpc = await new FakeZapierRpc().start();
});
afterAll(() => rpc.stop());
// The fixtures' redemptions were requested 2026-11-18..21; the poll returns the last 48 hours.
beforeAll(() => testClock.setNow(Date.parse('2026-11-20T06:00:00Z')));
beforeEach(() => {
  rpc.reset();
  // Every redemption output names its reward's provider, read from the hub's reward list.
  nockRewardProviders();
});
afterEach(() => nock.cleanAll());

/** Runs `op` against an Influitive answering with `echo`; returns what it sent and what left it. */
const runEchoed = async (op: InfluitiveOperation, echo: Echo) => {
  const sent: string[] = [];
  nock(API)
    .persist()
    .intercept(/.*/, op.http.toUpperCase())
    .reply(function reply() {
      sent.push(String(this.req.headers.authorization));
      return [echo.status, bodyOf(echo), { [echo.header]: headerValue(echo) }];
    });
  const logs: string[] = [];
  const linesBefore = rpc.logLines.length;
  const error = await rejectionOf(runOperation(op.method, op.bundle(), rpc.url, logs));
  return { sent, error, logs: [...logs, ...rpc.logLines.slice(linesBefore)] };
};

const STATUSES = [401, 403, 422, 429, 500, 200];
const HEADERS: Echo['header'][] = ['X-Request-Id', 'Content-Type', 'WWW-Authenticate'];

describe('an Influitive answer that echoes the token in a header', () => {
  describe.each(operations)('$name', (op) => {
    it.each(STATUSES)(
      'fails on a %i without the token in its message, stack or any log line',
      async (status) => {
        for (const header of HEADERS) {
          const echo: Echo = { status, header, form: TOKEN, inBody: true };
          const { sent, error, logs } = await runEchoed(op, echo);
          // The request went out with the token as it belongs on the wire: trimmed.
          expect(sent[0]).toBe(`Token ${TOKEN}`);
          expect(error.message).not.toBe('');
          expectNoSecret([error.message, error.stack ?? '', ...logs]);
          nock.cleanAll();
        }
      },
    );
  });

  it('keeps a request id that quotes the token, with the token replaced', async () => {
    const [poll] = operations;
    if (!poll) throw new Error('no operation');
    const { error } = await runEchoed(poll, {
      status: 500,
      header: 'X-Request-Id',
      form: TOKEN,
      inBody: false,
    });
    expect(error.message).toContain('(request id Token [redacted])');
  });

  it('never lets any encoded form of either secret through, in any header, for any status', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...operations),
        fc.record({
          status: fc.constantFrom(...STATUSES),
          header: fc.constantFrom(...HEADERS),
          form: fc.constantFrom(...FORMS),
          inBody: fc.boolean(),
        }),
        async (op, echo) => {
          const { error, logs } = await runEchoed(op, echo);
          nock.cleanAll();
          expectNoSecret([error.message, error.stack ?? '', ...logs]);
        },
      ),
      { seed: fuzzSeed(), numRuns: fuzzRuns(30, 400) },
    );
  });
});

/** A record that echoes the token: an admin link, a note, and a field named after it. */
const echoing = <T extends object>(record: T, form = encodeURIComponent(TOKEN)) => ({
  ...record,
  admin_url: `https://hub.example/admin/redemptions/48213?auth=Token%20${form}`,
  note: `requested with Token ${TOKEN}`,
});
const echoedPage = {
  ...page1,
  reward_redemptions: [echoing(page1.reward_redemptions[0] ?? {}), page1.reward_redemptions[1]],
  links: { next: null },
};
const scrubbedEcho = {
  admin_url: 'https://hub.example/admin/redemptions/48213?auth=Token%20[redacted]',
  note: 'requested with Token [redacted]',
};

describe('records that echo the token are output with the token replaced, never dropped', () => {
  it.each([
    [
      'the polling trigger',
      'triggers.new_reward_redemption.operation.perform',
      makeBundle({ authData }),
    ],
    [
      'the verified hook',
      'triggers.reward_redemption_requested.operation.perform',
      hookBundle({ reward_redemption: { id: 48213 } }, { authData, zapId: 'zap-1' }),
    ],
    [
      'Find Reward Redemption',
      'searches.find_reward_redemption.operation.perform',
      makeBundle({ authData, inputData: { redemption_id: '48213' } }),
    ],
  ])('in %s', async (_name, method, bundle) => {
    const scope = nock(API, { reqheaders: { authorization: `Token ${TOKEN}` } })
      .get('/reward_redemptions')
      .query(true)
      .reply(200, echoedPage);
    const logs: string[] = [];
    const items = (await runOperation(method, bundle, rpc.url, logs)) as Record<string, unknown>[];
    expect(scope.isDone()).toBe(true);
    const item = items.find((found) => found.id === '48213');
    expect(item).toMatchObject(scrubbedEcho);
    expectNoSecret([JSON.stringify(items), ...logs, ...rpc.logLines]);
  });

  it('in Find Member', async () => {
    const scope = nock(API, { reqheaders: { authorization: `Token ${TOKEN}` } })
      .get('/members')
      .query({ email: 'maya.patel@northwind-analytics.example' })
      .reply(200, [echoing(page1.contacts[0] ?? {}, TOKEN)]);
    const items = (await runOperation(
      'searches.find_member.operation.perform',
      makeBundle({ authData, inputData: { email: 'maya.patel@northwind-analytics.example' } }),
      rpc.url,
    )) as Record<string, unknown>[];
    expect(scope.isDone()).toBe(true);
    expect(items[0]).toMatchObject({
      email: 'maya.patel@northwind-analytics.example',
      note: 'requested with Token [redacted]',
      admin_url: 'https://hub.example/admin/redemptions/48213?auth=Token%20[redacted]',
    });
    expectNoSecret([JSON.stringify(items)]);
  });

  it.each([
    ['fulfill', 'creates.fulfill_reward_redemption.operation.perform', {}],
    ['refuse', 'creates.refuse_reward_redemption.operation.perform', { message: 'Out of stock' }],
  ])("in the %s action's response", async (decision, method, input) => {
    const scope = nock(API, { reqheaders: { authorization: `Token ${TOKEN}` } })
      .post(`/reward_redemptions/48213/decision/${decision}`)
      .reply(200, { status: 'done', [`seen_${TOKEN}`]: `Token ${TOKEN}`, links: [TOKEN] });
    const result = (await runOperation(
      method,
      makeBundle({ authData, inputData: { redemption_id: '48213', ...input } }),
      rpc.url,
    )) as { response: Record<string, unknown> };
    expect(scope.isDone()).toBe(true);
    expect(result.response).toEqual({
      status: 'done',
      'seen_[redacted]': 'Token [redacted]',
      links: ['[redacted]'],
    });
    expectNoSecret([JSON.stringify(result)]);
  });

  it('in the LoudCrowd trigger, whose body carries the key and echoes it', async () => {
    const body = {
      lcId: 'RWD-ECHO1',
      email: 'jordan.reyes@lumen-outdoor.example',
      apiKey: KEY,
      note: `sent with ${encodeURIComponent(KEY)}`,
      medias: [{ lcId: 'MED-1', postType: 'STORY', caption: `key ${KEY}` }],
    };
    const logs: string[] = [];
    const items = (await runOperation(
      'triggers.loudcrowd_reward_event.operation.perform',
      hookBundle(body, { authData, zapId: 'zap-1' }),
      rpc.url,
      logs,
    )) as Record<string, unknown>[];
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      id: 'RWD-ECHO1',
      apiKey: '[redacted]',
      note: 'sent with [redacted]',
      medias: [expect.objectContaining({ caption: 'key [redacted]' })],
    });
    expectNoSecret([JSON.stringify(items), ...logs, ...rpc.logLines]);
  });

  it('in generated records that echo a secret in any form, anywhere', async () => {
    const path = fc.constantFrom('admin_url', 'notes', 'reward', 'metadata');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FORMS),
        path,
        fc.string({ maxLength: 12 }),
        async (form, field, padding) => {
          const echo = `${padding}${form}${padding}`;
          const record = {
            ...page1.reward_redemptions[0],
            [field]:
              field === 'reward'
                ? { id: 731, name: echo }
                : field === 'metadata'
                  ? { link: echo }
                  : echo,
          };
          nock(API)
            .get('/reward_redemptions')
            .query(true)
            .reply(200, { ...page1, reward_redemptions: [record], links: { next: null } });
          const items = (await runOperation(
            'triggers.new_reward_redemption.operation.perform',
            makeBundle({ authData }),
            rpc.url,
          )) as Record<string, unknown>[];
          nock.cleanAll();
          expect(items.map((item) => item.id)).toEqual(['48213']);
          expect(JSON.stringify(items)).toContain('[redacted]');
          expectNoSecret([JSON.stringify(items)]);
        },
      ),
      { seed: fuzzSeed(), numRuns: fuzzRuns(20, 300) },
    );
  });
});
