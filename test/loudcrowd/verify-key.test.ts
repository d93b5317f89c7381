import { LOOKED_IN } from '../../src/loudcrowd/verify-key';
import { authData, hookBundle, LOUDCROWD_KEY, ORG_ID, TOKEN } from '../helpers/bundle';
import { messageOf, rejectionOf } from '../helpers/errors';
import { runOperation } from '../helpers/run';
import { FakeZapierRpc } from '../helpers/zapier-rpc';
import event from './fixtures/reward_event_medias.json';

const PERFORM = 'triggers.loudcrowd_reward_event.operation.perform';
const WRONG_KEY = 'lc_key_0e4b7d2a9f1c6e3b8d5a2f7c4e1b9d6a';
const ALL_LOCATIONS = `looked in ${LOOKED_IN}`;

let rpc: FakeZapierRpc;
beforeAll(async () => {
  rpc = await new FakeZapierRpc().start();
});
afterAll(() => rpc.stop());
beforeEach(() => rpc.reset());

type DeliveryOptions = Parameters<typeof hookBundle>[1];
const deliver = (options: DeliveryOptions, body: unknown = event) =>
  runOperation(PERFORM, hookBundle(body, { zapId: 'zap-1', ...options }), rpc.url);

/** The events this run tried to claim: none may be claimed for an unverified delivery. */
const claimedKeys = () =>
  rpc.calls
    .map(({ params }) => String(params[0]))
    .filter((key) => key.includes('loudcrowd-reward'));

const expectHaltWithoutSecrets = (error: Error, presented?: string) => {
  expect(error.name).toBe('HaltedError');
  expect(error.message).not.toContain(LOUDCROWD_KEY);
  if (presented) expect(error.message).not.toContain(presented);
  expect(claimedKeys()).toEqual([]);
};

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('verifyLoudCrowdKey', () => {
  const encodedKey = encodeURIComponent(LOUDCROWD_KEY);
  test.each<[string, DeliveryOptions]>([
    [
      'Authorization: Bearer <key>',
      { headers: { 'Http-Authorization': `Bearer ${LOUDCROWD_KEY}` } },
    ],
    [
      'Authorization: bearer <key> (scheme in any case)',
      { headers: { 'Http-Authorization': `bearer  ${LOUDCROWD_KEY}` } },
    ],
    ['Authorization: <key>', { headers: { 'Http-Authorization': LOUDCROWD_KEY } }],
    ['X-Api-Key', { headers: { 'Http-X-Api-Key': LOUDCROWD_KEY } }],
    ['X-Api-Key in the underscore form', { headers: { HTTP_X_API_KEY: LOUDCROWD_KEY } }],
    ['Api-Key', { headers: { 'Http-Api-Key': LOUDCROWD_KEY } }],
    ['the api_key query parameter', { querystring: `api_key=${encodedKey}` }],
    ['the key query parameter', { querystring: `?key=${encodedKey}` }],
    ['the apiKey query parameter', { querystring: `apiKey=${encodedKey}` }],
    ['Authorization: Token <key>', { headers: { 'Http-Authorization': `Token ${LOUDCROWD_KEY}` } }],
    [
      'Authorization: ApiKey <key>',
      { headers: { 'Http-Authorization': `ApiKey ${LOUDCROWD_KEY}` } },
    ],
    [
      'Authorization: Basic of <key>:',
      { headers: { 'Http-Authorization': `Basic ${base64(`${LOUDCROWD_KEY}:`)}` } },
    ],
    [
      'Authorization: Basic of apikey:<key>',
      { headers: { 'Http-Authorization': `Basic ${base64(`apikey:${LOUDCROWD_KEY}`)}` } },
    ],
    ['X-LoudCrowd-Api-Key', { headers: { 'Http-X-Loudcrowd-Api-Key': LOUDCROWD_KEY } }],
    ['an apikey header', { headers: { 'Http-Apikey': LOUDCROWD_KEY } }],
    [
      'a repeated X-Api-Key joined as <key>, <key>',
      { headers: { 'Http-X-Api-Key': `${LOUDCROWD_KEY}, ${LOUDCROWD_KEY}` } },
    ],
    [
      'a repeated Authorization joined as Token <key>, Token <key>',
      { headers: { 'Http-Authorization': `Token ${LOUDCROWD_KEY}, Token ${LOUDCROWD_KEY}` } },
    ],
  ])('accepts the key from %s', async (_where, options) => {
    const results = (await deliver(options)) as { id: string }[];
    expect(results.map((result) => result.id)).toEqual(['RWD-9KX24T7B']);
    expect(claimedKeys()).toEqual(['zap:zap-1:loudcrowd-reward:RWD-9KX24T7B']);
  });

  test('accepts the key from the query string Zapier parsed into cleanedRequest', async () => {
    const bundle = hookBundle(event);
    bundle.cleanedRequest = { ...event, querystring: { key: LOUDCROWD_KEY } };
    const results = (await runOperation(PERFORM, bundle, rpc.url)) as { id: string }[];
    expect(results.map((result) => result.id)).toEqual(['RWD-9KX24T7B']);
  });

  test('accepts a delivery where one of several places carries the right key', async () => {
    const results = (await deliver({
      headers: { 'Http-Authorization': 'Basic bG91ZGNyb3dkOg==', 'Http-X-Api-Key': LOUDCROWD_KEY },
    })) as { id: string }[];
    expect(results).toHaveLength(1);
  });

  test.each<[string, DeliveryOptions, string]>([
    [
      'Authorization header',
      { headers: { 'Http-Authorization': `Bearer ${WRONG_KEY}` } },
      'the Authorization header',
    ],
    ['X-Api-Key header', { headers: { 'Http-X-Api-Key': WRONG_KEY } }, 'the x-api-key header'],
    ['Api-Key header', { headers: { 'Http-Api-Key': WRONG_KEY } }, 'the api-key header'],
    [
      'api_key query parameter',
      { querystring: `api_key=${WRONG_KEY}` },
      'the api_key query parameter',
    ],
    ['key query parameter', { querystring: `key=${WRONG_KEY}` }, 'the key query parameter'],
  ])(
    'halts a delivery whose key in the %s does not match, saying where it was found',
    async (_what, options, where) => {
      const error = await rejectionOf(deliver(options));
      expect(messageOf(error)).toContain(
        `does not match this connection's LoudCrowd API Key (found in ${where}; ${ALL_LOCATIONS})`,
      );
      expectHaltWithoutSecrets(error, WRONG_KEY);
    },
  );

  test('halts a key that only starts with the right one', async () => {
    const longer = `${LOUDCROWD_KEY}0`;
    const error = await rejectionOf(deliver({ headers: { 'Http-X-Api-Key': longer } }));
    expect(messageOf(error)).toMatch(/does not match/);
    expectHaltWithoutSecrets(error, longer);
  });

  test('ignores a key in the body when a header carries one', async () => {
    const error = await rejectionOf(
      deliver({ headers: { 'Http-X-Api-Key': WRONG_KEY } }, { ...event, apiKey: LOUDCROWD_KEY }),
    );
    expect(messageOf(error)).toContain('(found in the x-api-key header;');
    expectHaltWithoutSecrets(error, WRONG_KEY);
  });

  test('halts a wrong key in the body when no header carries one', async () => {
    const error = await rejectionOf(deliver({}, { ...event, api_key: WRONG_KEY }));
    expect(messageOf(error)).toContain('(found in the api_key body field;');
    expectHaltWithoutSecrets(error, WRONG_KEY);
  });
  test.each([
    ['no LoudCrowd key', { api_token: TOKEN, org_id: ORG_ID }],
    ['a blank LoudCrowd key', { ...authData, loudcrowd_api_key: '  ' }],
  ])(
    'fails closed for a connection with %s with a visible error (a set-up mistake, not a halt)',
    async (_what, connection) => {
      const error = await rejectionOf(
        deliver({ authData: connection, headers: { 'Http-X-Api-Key': LOUDCROWD_KEY } }),
      );
      expect(error.name).toBe('AppError');
      expect(JSON.parse(error.message)).toMatchObject({
        message: expect.stringMatching(
          /^This connection has no LoudCrowd API Key.*Reconnect and add a LoudCrowd API Key/,
        ),
        code: 'missing_loudcrowd_key',
      });
      expect(error.message).not.toMatch(/What happened|rawRequest|Http-X-Api-Key/);
      expect(error.message).not.toContain(TOKEN);
      expect(error.message).not.toContain(LOUDCROWD_KEY);
      expect(claimedKeys()).toEqual([]);
    },
  );

  test("keeps the bundle dump (with the delivery's headers) out of the halt message", async () => {
    const error = await rejectionOf(deliver({ headers: { 'Http-X-Api-Key': WRONG_KEY } }));
    expect(error.message).not.toMatch(/What happened|rawRequest|Http-X-Api-Key/);
    expectHaltWithoutSecrets(error, WRONG_KEY);
  });
});

describe('a LoudCrowd delivery with no key anywhere', () => {
  const NO_KEY = `The LoudCrowd delivery carried no API key (${ALL_LOCATIONS}). Its headers were: content-type, x-request-source, authorization.`;
  const keyless = (token?: string) =>
    runOperation(
      PERFORM,
      hookBundle(event, {
        zapId: 'zap-1',
        // Header values (a session cookie, a blank Authorization) are never echoed; names are.
        headers: { 'Http-X-Request-Source': 'sess_9f2b8e9c1d7a', 'Http-Authorization': '   ' },
      }),
      token ? { url: rpc.url, token } : rpc.url,
    );

  test('is a loud error the first time on a connection in an hour, naming header names only', async () => {
    const error = await rejectionOf(keyless());
    expect(error.name).toBe('AppError');
    expect(JSON.parse(error.message)).toMatchObject({ code: 'loudcrowd_key_missing', status: 401 });
    expect(messageOf(error).startsWith(`${NO_KEY} If LoudCrowd sent it`)).toBe(true);
    expect(error.message).not.toContain('sess_9f2b8e9c1d7a');
    expect(error.message).not.toContain(LOUDCROWD_KEY);
    const alarm = rpc.calls.find(({ method }) => method === 'zcache_set');
    expect(alarm?.params).toEqual(['loudcrowd-no-key', expect.any(String), 3600, ['auth'], true]);
    expect(claimedKeys()).toEqual([]);
  });

  test('halts the rest in that hour, and is loud again on another connection', async () => {
    await rejectionOf(keyless());
    const again = await rejectionOf(keyless());
    expect(again.name).toBe('HaltedError');
    expect(messageOf(again)).toMatch(/^The LoudCrowd delivery carried no API key/);
    const other = rpc.tokenFor({ userId: 'user-2', authId: 'auth-2' });
    await expect(rejectionOf(keyless(other))).resolves.toMatchObject({ name: 'AppError' });
    expect(claimedKeys()).toEqual([]);
  });

  test('stays loud when the cache cannot say whether it already was this hour', async () => {
    rpc.mode = 'down';
    const errors = [await rejectionOf(keyless()), await rejectionOf(keyless())];
    expect(errors.map((error) => error.name)).toEqual(['AppError', 'AppError']);
  });
});

describe('LoudCrowd key forms at their edges', () => {
  test('accepts Authorization: Basic of the key alone, without a colon', async () => {
    const basic = Buffer.from(LOUDCROWD_KEY, 'utf8').toString('base64');
    const results = (await deliver({ headers: { 'Http-Authorization': `Basic ${basic}` } })) as {
      id: string;
    }[];
    expect(results.map((result) => result.id)).toEqual(['RWD-9KX24T7B']);
  });

  test('reads a body key from the parsed request when Zapier gives no raw body', async () => {
    const bundle = hookBundle({ ...event, apiKey: LOUDCROWD_KEY }, { zapId: 'zap-1' });
    delete (bundle.rawRequest as { content?: string }).content;
    const results = (await runOperation(PERFORM, bundle, rpc.url)) as { id: string }[];
    expect(results.map((result) => result.id)).toEqual(['RWD-9KX24T7B']);
  });

  test('names at most 30 headers of a keyless delivery, each cut at 60 characters', async () => {
    const long = `x-${'long'.repeat(20)}`;
    const headers: Record<string, string> = { [`Http-${long}`]: 'v' };
    for (let i = 0; i < 34; i += 1) headers[`Http-X-Custom-${i}`] = `value-${i}`;
    const error = await rejectionOf(deliver({ headers }, 'not json'));
    const message = messageOf(error);
    expect(message).toContain(`Its headers were: content-type, ${long.slice(0, 60)}…, x-custom-0,`);
    expect(message).toContain('x-custom-27 and 6 more.');
    expect(message).not.toContain('x-custom-28');
    expect(message).not.toContain('value-');
  });
});
