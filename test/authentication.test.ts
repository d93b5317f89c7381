import App from '../src';
import {
  API,
  authData,
  influitiveHeaders,
  LOUDCROWD_KEY,
  makeBundle,
  ORG_ID,
  TOKEN,
} from './helpers/bundle';
import { messageOf, rejectionOf } from './helpers/errors';
import nock from './helpers/nock';
import { runOperation } from './helpers/run';
import me from './influitive/fixtures/member_me.json';

const TEST = 'authentication.test';
const LABEL = 'authentication.connectionLabel';

afterEach(() => nock.cleanAll());

describe('connection', () => {
  it('tests the Influitive credentials with GET /members/me', async () => {
    const scope = nock(API, { reqheaders: influitiveHeaders }).get('/members/me').reply(200, me);
    const result = await runOperation(TEST, makeBundle());
    expect(result).toMatchObject({
      id: '1001',
      email: 'priya.raman@northwind-analytics.example',
      name: 'Priya Raman',
    });
    expect(scope.isDone()).toBe(true);
  });

  it('labels the connection with the member name and email, never a secret', async () => {
    const label = await runOperation(
      LABEL,
      makeBundle({ inputData: { name: 'Priya Raman', email: 'priya@example.com' } }),
    );
    expect(label).toBe('Priya Raman (priya@example.com)');
  });

  it('labels with whichever of name or email is known, or the org id', async () => {
    await expect(
      runOperation(LABEL, makeBundle({ inputData: { email: 'priya@example.com' } })),
    ).resolves.toBe('priya@example.com');
    await expect(runOperation(LABEL, makeBundle({ inputData: {} }))).resolves.toBe(
      `Influitive org ${ORG_ID}`,
    );
  });

  it('scrubs a secret that the API echoed into the member name', async () => {
    const label = await runOperation(LABEL, makeBundle({ inputData: { name: `bot ${TOKEN}` } }));
    expect(label).toBe('bot [redacted]');
  });

  it('passes with only a LoudCrowd key, without calling Influitive', async () => {
    const bundle = makeBundle({ authData: { loudcrowd_api_key: LOUDCROWD_KEY } });
    await expect(runOperation(TEST, bundle)).resolves.toEqual({ connection: 'loudcrowd_only' });
    await expect(
      runOperation(LABEL, makeBundle({ inputData: { connection: 'loudcrowd_only' } })),
    ).resolves.toBe('LoudCrowd only');
  });

  it.each([
    [
      'nothing',
      {},
      /Enter an Influitive API token and organization ID, a LoudCrowd API key, or both/,
    ],
    [
      'a token without an org id',
      { api_token: TOKEN },
      /no Influitive organization ID \(X_ORG_ID\)/,
    ],
    [
      'an org id without a token',
      { org_id: ORG_ID, loudcrowd_api_key: LOUDCROWD_KEY },
      /no Influitive API token,/,
    ],
  ])('says exactly what to enter when given %s', async (_name, auth, message) => {
    const error = await rejectionOf(runOperation(TEST, makeBundle({ authData: auth })));
    expect(messageOf(error)).toMatch(message);
    expect(messageOf(error)).toMatch(/Integrations → Influitive API → Manage/);
  });

  it('unwraps a member wrapped in `member`', async () => {
    nock(API).get('/members/me').reply(200, { member: me });
    await expect(runOperation(TEST, makeBundle())).resolves.toMatchObject({ name: 'Priya Raman' });
  });

  it('asks to reconnect when Influitive rejects the token', async () => {
    nock(API).get('/members/me').reply(401, '', { 'WWW-Authenticate': 'Token realm=Api' });
    const error = await rejectionOf(runOperation(TEST, makeBundle({ authData })));
    expect(error.name).toBe('ExpiredAuthError');
  });

  it('keeps the public field keys that Zaps store', () => {
    expect(App.authentication.fields.map((f) => [f.key, f.type])).toEqual([
      ['api_token', 'password'],
      ['org_id', 'string'],
      ['loudcrowd_api_key', 'password'],
    ]);
  });
});
