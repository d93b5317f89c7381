import App from '../../../src';
import { HINTS_KEY } from '../../../src/influitive/pending/hints';
import { API, hookBundle, influitiveHeaders, makeBundle, TOKEN } from '../../helpers/bundle';
import { testClock } from '../../helpers/clock';
import { messageOf, rejectionOf } from '../../helpers/errors';
import nock from '../../helpers/nock';
import { nockRewardProviders } from '../../helpers/pending-pages';
import { runOperation } from '../../helpers/run';
import { FakeZapierRpc } from '../../helpers/zapier-rpc';
import page1 from '../fixtures/reward_redemptions_page1.json';

const HOOK = 'triggers.reward_redemption_requested.operation.perform';
const LIST = 'triggers.reward_redemption_requested.operation.performList';
const onePage = { ...page1, links: { next: null } };
const delivery = {
  event: 'reward_redemption_requested',
  reward_redemption: {
    id: 48213,
    reward_id: 731,
    reward_name: 'Amazon.com Gift Card ($25)',
    contact_id: 90211,
  },
  contact: page1.contacts[0],
};
type Out = {
  id: string;
  member: { name: string | null };
  metadata: Record<string, unknown>;
  idempotency_key: string;
};

let rpc: FakeZapierRpc;
beforeEach(async () => {
  rpc = await new FakeZapierRpc().start();
  // The redemption's reward provider comes from the hub's reward list.
  nockRewardProviders();
});
afterEach(async () => {
  nock.cleanAll();
  await rpc.stop();
});

describe('reward_redemption_requested', () => {
  it('says in its directions that Zapier drops deliveries to a Zap that is off, and what catches them', () => {
    const { directions } = (
      App.triggers.reward_redemption_requested as unknown as { display: { directions: string } }
    ).display;
    expect(directions).toMatch(
      /Zapier drops deliveries that arrive while the Zap is off or paused/,
    );
    expect(directions).toMatch(
      /"Reward Request Still Waiting" Zap catches every redemption left pending/,
    );
    expect(directions).not.toMatch(/replay/i);
  });

  it("confirms the delivery is pending through the API and outputs the API's record", async () => {
    const scope = nock(API, { reqheaders: influitiveHeaders })
      .get('/reward_redemptions')
      .reply(200, onePage);
    const results = (await runOperation(HOOK, hookBundle(delivery), rpc.url)) as Out[];
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      id: '48213',
      member: { name: 'Maya Patel' },
      metadata: { vendor_product_id: 'AMZN-US-25', amount: '25.00', currency: 'USD' },
      idempotency_key: 'influitive-2bcbb469-redemption-48213',
    });
    expect(scope.isDone()).toBe(true);
  });

  it('says what picks the redemption up when Influitive fails the check, keeping code and status', async () => {
    nock(API).get('/reward_redemptions').reply(500, { error: 'Internal Server Error' });
    const error = await rejectionOf(runOperation(HOOK, hookBundle(delivery), rpc.url));
    expect(error.name).toBe('AppError');
    expect(JSON.parse(error.message)).toMatchObject({
      code: 'influitive_server_error',
      status: 500,
    });
    expect(messageOf(error)).toMatch(
      /^Influitive had a server error 500 on GET \/reward_redemptions.* While it stays pending, the "Reward Requested \(Checks Every Few Minutes\)" trigger and the "Reward Request Still Waiting" trigger pick it up; to handle it now, look it up with Find Reward Redemption/,
    );
  });

  it('halts a delivery for a redemption the whole list does not hold, at every re-check', async () => {
    const started = testClock.now();
    const scope = nock(API)
      .get('/reward_redemptions')
      .times(4)
      .reply(200, { reward_redemptions: [page1.reward_redemptions[1]] });
    const error = await rejectionOf(runOperation(HOOK, hookBundle(delivery), rpc.url));
    expect(error.name).toBe('HaltedError');
    expect(messageOf(error)).toMatch(
      /^Not pending: reward redemption 48213 is not in Influitive's pending list\. This run read the whole list 4 times over 20 s, in case the webhook came before the API listed it, and the last two reads agreed\./,
    );
    // Checked at 0, 5, 12 and 20 s, on the injected clock.
    expect(testClock.now() - started).toBe(20_000);
    expect(scope.isDone()).toBe(true);
    // Nothing was claimed: a later, genuine delivery is not mistaken for a duplicate.
    expect(rpc.store.has('app/auth=auth-1::influitive-redemption:48213')).toBe(false);
  });

  it('halts at once a delivery whose redemption the API says was already fulfilled', async () => {
    nock(API)
      .get('/reward_redemptions')
      .reply(200, {
        ...onePage,
        reward_redemptions: [{ ...page1.reward_redemptions[0], status: 'fulfilled' }],
      });
    const error = await rejectionOf(runOperation(HOOK, hookBundle(delivery), rpc.url));
    expect(error.name).toBe('HaltedError');
    expect(messageOf(error)).toBe(
      'Not pending: Influitive says reward redemption 48213 is already fulfilled, so this delivery was stopped and no reward is sent for it.',
    );
  });

  it('needs no re-check when the API already lists the redemption', async () => {
    const started = testClock.now();
    nock(API).get('/reward_redemptions').reply(200, onePage);
    await expect(runOperation(HOOK, hookBundle(delivery), rpc.url)).resolves.toHaveLength(1);
    expect(testClock.now()).toBe(started);
  });

  it('re-checks a webhook that arrives before the API lists its redemption', async () => {
    const scope = nock(API)
      .get('/reward_redemptions')
      .twice()
      .reply(200, { reward_redemptions: [] })
      .get('/reward_redemptions')
      .reply(200, onePage);
    const results = (await runOperation(HOOK, hookBundle(delivery), rpc.url)) as Out[];
    expect(results[0]?.id).toBe('48213');
    expect(scope.isDone()).toBe(true);
  });

  it('finds the redemption when the webhook carries its uuid and the API its number', async () => {
    nock(API).get('/reward_redemptions').reply(200, onePage);
    const bundle = hookBundle({
      reward_redemption: { uuid: '6f0e9c1a-3b2d-4e5f-8a7b-1c2d3e4f5a6b' },
    });
    const results = (await runOperation(HOOK, bundle, rpc.url)) as Out[];
    expect(results[0]?.id).toBe('48213');
  });

  it('outputs the delivered record without calling Influitive when verification is off', async () => {
    // No interceptor at all: any request to Influitive would fail the run.
    nock.cleanAll();
    const bundle = hookBundle(delivery, { inputData: { verify_with_api: false } });
    const results = (await runOperation(HOOK, bundle, rpc.url)) as Out[];
    expect(results[0]).toMatchObject({
      id: '48213',
      member: { name: 'Maya Patel' },
      idempotency_key: 'influitive-2bcbb469-redemption-48213',
    });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('triggers on Reward Metadata given as a JSON string nested 20,000 levels deep, keeping the text', async () => {
    const metadata = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    const bundle = hookBundle(
      { reward_redemption: { ...delivery.reward_redemption, metadata } },
      { inputData: { verify_with_api: false } },
    );
    const results = (await runOperation(HOOK, bundle, rpc.url)) as Out[];
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ id: '48213', metadata: {}, metadata_original: metadata });
  });

  it('runs the first delivery to a second Zap on the connection when Zapier names no Zap, claiming nothing', async () => {
    nock(API).get('/reward_redemptions').twice().reply(200, onePage);
    // Two Zaps (one orders, one logs) on one connection; neither bundle carries meta.zap.id.
    const toOrders = await runOperation(HOOK, hookBundle(delivery), rpc.url);
    const toSheet = await runOperation(HOOK, hookBundle(delivery), rpc.url);
    expect([toOrders, toSheet]).toEqual([
      [expect.objectContaining({ id: '48213' })],
      [expect.objectContaining({ id: '48213' })],
    ]);
    // Without the Zap's id a repeat cannot be told apart, so no delivery key is claimed at all.
    expect(
      rpc.calls.filter((call) => String(call.params[0]).startsWith('influitive-redemption:')),
    ).toEqual([]);
  });

  it('claims a delivery set-if-absent, per connection and Zap, for 30 days', async () => {
    nock(API).get('/reward_redemptions').reply(200, onePage);
    await runOperation(HOOK, hookBundle(delivery, { zapId: 'zap-orders' }), rpc.url);
    const claim = rpc.calls.find(
      (call) =>
        call.method === 'zcache_set' && String(call.params[0]).includes('influitive-redemption:'),
    );
    expect(claim?.params).toEqual([
      'zap:zap-orders:influitive-redemption:48213',
      expect.any(String),
      2_592_000,
      ['auth'],
      true,
    ]);
  });

  it('gives each Zap on a connection the redemption once, and halts a repeat to the same Zap', async () => {
    nock(API).get('/reward_redemptions').times(3).reply(200, onePage);
    const toZap = (zapId: string) => runOperation(HOOK, hookBundle(delivery, { zapId }), rpc.url);
    await expect(toZap('zap-orders')).resolves.toHaveLength(1);
    await expect(toZap('zap-sheet')).resolves.toHaveLength(1);
    const error = await rejectionOf(toZap('zap-orders'));
    expect(messageOf(error)).toMatch(/^Repeat: .*48213 was already delivered to this Zap;/);
  });

  it('keeps repeats on two connections apart', async () => {
    nock(API).get('/reward_redemptions').times(2).reply(200, onePage);
    const other = { url: rpc.url, token: rpc.tokenFor({ userId: 'user-2', authId: 'auth-2' }) };
    await expect(
      runOperation(HOOK, hookBundle(delivery, { zapId: 'z' }), rpc.url),
    ).resolves.toHaveLength(1);
    await expect(
      runOperation(HOOK, hookBundle(delivery, { zapId: 'z' }), other),
    ).resolves.toHaveLength(1);
  });

  it('lets a logging Zap turn repeat-stopping off', async () => {
    nock(API).get('/reward_redemptions').times(2).reply(200, onePage);
    const bundle = hookBundle(delivery, { zapId: 'z', inputData: { stop_repeats: false } });
    await expect(runOperation(HOOK, bundle, rpc.url)).resolves.toHaveLength(1);
    await expect(runOperation(HOOK, bundle, rpc.url)).resolves.toHaveLength(1);
  });

  it('verifies the redemption a wrapper names, not the id of the event envelope', async () => {
    nock(API).get('/reward_redemptions').reply(200, onePage);
    const enveloped = { id: 'evt_01JD8Z4K7Q2M', ...delivery };
    const results = (await runOperation(HOOK, hookBundle(enveloped), rpc.url)) as Out[];
    expect(results.map((r) => r.id)).toEqual(['48213']);
  });

  it.each([false, 'false', 'No', ' off '])(
    'skips the API check when verification is turned off as %p',
    async (off) => {
      const bundle = hookBundle(delivery, { inputData: { verify_with_api: off } });
      await expect(runOperation(HOOK, bundle, rpc.url)).resolves.toHaveLength(1);
    },
  );

  it.each([true, 'true', 'yes'])('checks through the API when verification is %p', async (on) => {
    const scope = nock(API).get('/reward_redemptions').reply(200, onePage);
    await runOperation(HOOK, hookBundle(delivery, { inputData: { verify_with_api: on } }), rpc.url);
    expect(scope.isDone()).toBe(true);
  });

  it.each(['down', 'throttled'] as const)(
    'lets the delivery through when the cache is %s',
    async (mode) => {
      rpc.mode = mode;
      const bundle = hookBundle(delivery, { inputData: { verify_with_api: 'false' } });
      await expect(runOperation(HOOK, bundle, rpc.url)).resolves.toHaveLength(1);
      await expect(runOperation(HOOK, bundle, rpc.url)).resolves.toHaveLength(1);
    },
  );

  it('halts a redemption of another reward than the one chosen', async () => {
    const bundle = hookBundle(delivery, {
      inputData: { verify_with_api: false, reward_id: '812' },
    });
    const error = await rejectionOf(runOperation(HOOK, bundle, rpc.url));
    expect(error.name).toBe('HaltedError');
    expect(error.message).toBe(
      'Reward redemption 48213 is for reward Amazon.com Gift Card ($25); this Zap only handles reward 812.',
    );
  });

  it.each([
    ['an empty body', '', /Influitive sent an empty body/],
    ['a body that is not JSON', 'id=48213&reward=731', /not JSON \(19 bytes\)/],
  ])('halts %s with the reason', async (_name, body, reason) => {
    const error = await rejectionOf(runOperation(HOOK, hookBundle(body), rpc.url));
    expect(error.name).toBe('HaltedError');
    expect(messageOf(error)).toMatch(reason);
  });

  it.each([
    [
      'a body without a redemption id',
      { reward_redemption: { reward_id: 731 } },
      /has no id.*shape \(keys and types, no values\): \{"reward_redemption": object\}/,
    ],
    [
      'an array of numbers',
      [1, 2, 3],
      /not a reward redemption: expected a JSON object, got an array.*an array of 3 \(number\)/,
    ],
  ])(
    'errors on %s first in the hour, naming its shape, then halts the rest',
    async (_name, body, reason) => {
      const first = await rejectionOf(runOperation(HOOK, hookBundle(body), rpc.url));
      expect(first.name).toBe('AppError');
      expect(messageOf(first)).toMatch(reason);
      expect(messageOf(first)).toContain('npm run doctor -- --webhook body.json');
      const next = await rejectionOf(runOperation(HOOK, hookBundle(body), rpc.url));
      expect(next.name).toBe('HaltedError');
      expect(messageOf(next)).toBe(messageOf(first));
    },
  );

  it("keeps the delivery's headers out of an unreadable body's message (no request dump in the Zap history)", async () => {
    const bundle = hookBundle(
      { data: { reward_id: 731 } },
      { headers: { 'Http-X-Webhook-Secret': 'whsec_4f9a2c7e1b' } },
    );
    const error = await rejectionOf(runOperation(HOOK, bundle, rpc.url));
    expect(error.name).toBe('AppError');
    expect(error.message).not.toMatch(/What happened|whsec_4f9a2c7e1b/);
  });

  it('scrubs a connection secret a sender put into the payload from the halt message', async () => {
    const bundle = hookBundle({ reward_redemption: { [TOKEN]: 1 } });
    const error = await rejectionOf(runOperation(HOOK, bundle, rpc.url));
    expect(error.message).toMatch(/its fields are: \[redacted\]/);
    expect(error.message).not.toContain(TOKEN);
  });

  it('reads the cleaned request when Zapier sends no raw body', async () => {
    const bundle = makeBundle({
      inputData: { verify_with_api: false },
      cleanedRequest: { ...delivery, querystring: {} },
    });
    const results = (await runOperation(HOOK, bundle, rpc.url)) as Out[];
    expect(results[0]?.id).toBe('48213');
  });

  it('halts when neither the raw nor the cleaned request has a body', async () => {
    const error = await rejectionOf(
      runOperation(HOOK, makeBundle({ cleanedRequest: { querystring: {} } }), rpc.url),
    );
    expect(error.message).toMatch(/empty body/);
  });

  it('gives the editor real samples from the API, in the same shape as perform', async () => {
    nock(API).get('/reward_redemptions').reply(200, onePage);
    const results = (await runOperation(LIST, makeBundle())) as Out[];
    expect(results.map((r) => r.id)).toEqual(['48214', '48213']);
    expect(Object.keys(results[1] ?? {}).sort()).toEqual(
      expect.arrayContaining([
        'id',
        'idempotency_key',
        'member',
        'metadata',
        'requested_at',
        'reward',
        'status',
        'summary',
      ]),
    );
  });

  it('reads one page for samples, even on a long list, and keeps no layout from it', async () => {
    const scope = nock(API).get('/reward_redemptions').reply(200, page1);
    const results = (await runOperation(LIST, makeBundle(), rpc.url)) as Out[];
    expect(results.map((r) => r.id)).toEqual(['48214', '48213']);
    expect(scope.isDone()).toBe(true);
    expect([...rpc.store.keys()].filter((key) => key.includes(HINTS_KEY))).toEqual([]);
  });
});
