import { authData, hookBundle, LOUDCROWD_KEY, ORG_ID, TOKEN } from '../helpers/bundle';
import { messageOf, rejectionOf } from '../helpers/errors';
import { runOperation } from '../helpers/run';
import { FakeZapierRpc } from '../helpers/zapier-rpc';
import event from './fixtures/reward_event_medias.json';

const PERFORM = 'triggers.loudcrowd_reward_event.operation.perform';
const WRONG_KEY = 'lc_key_0e4b7d2a9f1c6e3b8d5a2f7c4e1b9d6a';
const ALL_LOCATIONS =
  'looked in the Authorization header (Bearer or plain), the X-Api-Key header, the Api-Key header, the api_key query parameter, the key query parameter';

let rpc: FakeZapierRpc;
beforeAll(async () => {
  rpc = await new FakeZapierRpc().start();
});
afterAll(() => rpc.stop());
beforeEach(() => rpc.reset());

type DeliveryOptions = Parameters<typeof hookBundle>[1];
const deliver = (options: DeliveryOptions) =>
  runOperation(PERFORM, hookBundle(event, options), rpc.url);

/** The cache keys this run tried to claim: none may be claimed for an unverified delivery. */
const claimedKeys = () => rpc.calls.map(({ params }) => params[0]);

const expectHaltWithoutSecrets = (error: Error, presented?: string) => {
  expect(error.name).toBe('HaltedError');
  expect(error.message).not.toContain(LOUDCROWD_KEY);
  if (presented) expect(error.message).not.toContain(presented);
  expect(claimedKeys()).toEqual([]);
};

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
  ])('accepts the key from %s', async (_where, options) => {
    const results = (await deliver(options)) as { id: string }[];
    expect(results.map((result) => result.id)).toEqual(['RWD-9KX24T7B']);
    expect(claimedKeys()).toEqual(['loudcrowd-reward:RWD-9KX24T7B']);
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
      'the Authorization header (Bearer or plain)',
    ],
    ['X-Api-Key header', { headers: { 'Http-X-Api-Key': WRONG_KEY } }, 'the X-Api-Key header'],
    ['Api-Key header', { headers: { 'Http-Api-Key': WRONG_KEY } }, 'the Api-Key header'],
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

  test('halts a delivery that carries no key, listing every place it looked', async () => {
    const error = await rejectionOf(deliver({ headers: { 'Http-Authorization': '   ' } }));
    expect(messageOf(error)).toBe(
      `The LoudCrowd delivery carried no API key (${ALL_LOCATIONS}). In LoudCrowd, open Integrations → Outbound → your Webhook integration and set its API Key to the same value as this connection's LoudCrowd API Key.`,
    );
    expectHaltWithoutSecrets(error);
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
