import {
  isFulfilledByInfluitive,
  PROVIDER_CACHE_KEY,
  PROVIDER_CACHE_SECONDS,
} from '../../src/influitive/reward-providers';
import { API, hookBundle, influitiveHeaders, makeBundle } from '../helpers/bundle';
import { testClock } from '../helpers/clock';
import { messageOf, rejectionOf } from '../helpers/errors';
import nock from '../helpers/nock';
import { runOperation } from '../helpers/run';
import { FakeZapierRpc } from '../helpers/zapier-rpc';
import page1 from './fixtures/reward_redemptions_page1.json';

const POLL = 'triggers.new_reward_redemption.operation.perform';

// The fixtures' redemptions were requested 2026-11-18..21; the poll returns the last 48 hours, so
// this file's clock starts just after the oldest of them.
beforeAll(() => testClock.setNow(Date.parse('2026-11-20T06:00:00Z')));
const HOOK = 'triggers.reward_redemption_requested.operation.perform';
const onePage = { ...page1, links: { next: null } };
const rewards = (provider812: string) => [
  {
    id: 731,
    uuid: '9f1c2d4e-6b7a-4c3e-9d10-2a5b8c7e1f00',
    name: 'Amazon.com Gift Card ($25)',
    provider: 'manual',
  },
  {
    id: 812,
    uuid: '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d',
    name: 'Northwind Hoodie',
    provider: provider812,
  },
];
type Out = { id: string; reward_provider: string | null; fulfilled_by_influitive: boolean };

let rpc: FakeZapierRpc;
beforeEach(async () => {
  rpc = await new FakeZapierRpc().start();
});
afterEach(async () => {
  nock.cleanAll();
  await rpc.stop();
});

describe('isFulfilledByInfluitive', () => {
  it.each([
    [undefined, false],
    [null, false],
    ['', false],
    ['  ', false],
    ['manual', false],
    ['Manual', false],
    ['custom', false],
    ['tango_card', true],
    ['Tango Card', true],
    ['tremendous', true],
  ])('provider %p → %p', (provider, expected) => {
    expect(isFulfilledByInfluitive(provider)).toBe(expected);
  });
});

describe('rewards Influitive fulfills itself', () => {
  it("leaves them out of the poll, reading the hub's reward list for each reward's provider", async () => {
    const scope = nock(API, { reqheaders: influitiveHeaders })
      .get('/reward_redemptions')
      .reply(200, onePage)
      .get('/external/rewards')
      .reply(200, rewards('tango_card'));
    const results = (await runOperation(POLL, makeBundle(), rpc.url)) as Out[];
    expect(results.map((r) => [r.id, r.reward_provider, r.fulfilled_by_influitive])).toEqual([
      ['48213', 'manual', false],
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it('includes them, marked, when the Zap asks for them', async () => {
    nock(API)
      .get('/reward_redemptions')
      .reply(200, onePage)
      .get('/external/rewards')
      .reply(200, rewards('tango_card'));
    const bundle = makeBundle({ inputData: { include_influitive_fulfilled: 'true' } });
    const results = (await runOperation(POLL, bundle, rpc.url)) as Out[];
    expect(results.map((r) => [r.id, r.reward_provider, r.fulfilled_by_influitive])).toEqual([
      ['48214', 'tango_card', true],
      ['48213', 'manual', false],
    ]);
  });

  it('halts a delivery of such a reward, naming the reward and its provider', async () => {
    nock(API)
      .get('/reward_redemptions')
      .reply(200, onePage)
      .get('/external/rewards')
      .reply(200, rewards('tango_card'));
    const error = await rejectionOf(
      runOperation(HOOK, hookBundle({ reward_redemption: { id: 48214 } }), rpc.url),
    );
    expect(error.name).toBe('HaltedError');
    expect(messageOf(error)).toMatch(
      /^Fulfilled by Influitive: reward Northwind Hoodie \(812\) has the fulfillment provider "tango_card".*"Include Rewards Influitive Fulfills Itself"/,
    );
  });

  it('errors, saying what picks the redemption up, when the reward list cannot be read', async () => {
    nock(API)
      .get('/reward_redemptions')
      .reply(200, onePage)
      .get('/external/rewards')
      .reply(500, { error: 'boom' });
    const error = await rejectionOf(
      runOperation(HOOK, hookBundle({ reward_redemption: { id: 48214 } }), rpc.url),
    );
    expect(error.name).toBe('AppError');
    expect(messageOf(error)).toMatch(
      /Could not read the hub's rewards .* reward redemption 48214: Influitive had a server error 500.*"Reward Request Still Waiting" trigger pick it up.*Find Reward Redemption/,
    );
    expect(messageOf(error)).not.toMatch(/replay/i);
  });

  it(`never trusts a cached provider list older than ${PROVIDER_CACHE_SECONDS} s by the app's clock`, async () => {
    const reads: string[] = [];
    const serve = (provider: string) =>
      nock(API)
        .get('/external/rewards')
        .reply(() => {
          reads.push(provider);
          return [200, rewards(provider)];
        });
    nock(API).persist().get('/reward_redemptions').reply(200, onePage);
    const poll = async () =>
      ((await runOperation(POLL, makeBundle(), rpc.url)) as Out[]).map((r) => r.id);

    serve('custom');
    expect(await poll()).toEqual(['48214', '48213']);
    // Influitive now fulfills reward 812 itself; the cached list may say otherwise until its limit.
    serve('tango_card');
    for (const step of [60_000, 120_000, PROVIDER_CACHE_SECONDS * 1000 - 180_001]) {
      testClock.advance(step);
      expect(await poll()).toEqual(['48214', '48213']);
    }
    expect(reads).toEqual(['custom']);
    testClock.advance(1);
    expect(await poll()).toEqual(['48213']);
    expect(reads).toEqual(['custom', 'tango_card']);
  });

  it('reads the list again when the cached copy claims a time after now', async () => {
    const future = { read_at: testClock.now() + 60_000, providers: { '812': 'custom' } };
    rpc.store.set(
      FakeZapierRpc.scopedKey(PROVIDER_CACHE_KEY, ['auth'], { userId: 'user-1', authId: 'auth-1' }),
      {
        value: JSON.stringify(future),
        expiresAt: undefined,
      },
    );
    nock(API)
      .get('/reward_redemptions')
      .reply(200, onePage)
      .get('/external/rewards')
      .reply(200, rewards('tango_card'));
    const results = (await runOperation(POLL, makeBundle(), rpc.url)) as Out[];
    expect(results.map((r) => r.id)).toEqual(['48213']);
  });

  it.each([
    [401, 'ExpiredAuthError'],
    [429, 'ThrottledError'],
  ])('keeps a %s on the reward list as %s, so Zapier treats it as such', async (status, name) => {
    nock(API)
      .get('/reward_redemptions')
      .reply(200, onePage)
      .get('/external/rewards')
      .reply(status, '');
    const error = await rejectionOf(
      runOperation(HOOK, hookBundle({ reward_redemption: { id: 48214 } }), rpc.url),
    );
    expect(error.name).toBe(name);
  });

  it('reads a paged, wrapped reward list by id and uuid, and a reward without a provider is yours', async () => {
    rpc.mode = 'down';
    nock(API)
      .get('/reward_redemptions')
      .reply(200, {
        ...onePage,
        reward_redemptions: [
          { ...page1.reward_redemptions[0], reward_id: undefined, reward: { uuid: 'r-uuid-1' } },
          page1.reward_redemptions[1],
        ],
      })
      .get('/external/rewards')
      .reply(200, {
        rewards: [{ uuid: 'r-uuid-1', name: 'Gift card', provider: 'tango_card' }],
        links: { next: `${API}/external/rewards?page=2` },
      })
      .get('/external/rewards')
      .query({ page: '2' })
      .reply(200, { rewards: [{ id: 812, name: 'Northwind Hoodie' }, 'not a reward'] });
    const bundle = makeBundle({ inputData: { include_influitive_fulfilled: true } });
    const results = (await runOperation(POLL, bundle, rpc.url)) as Out[];
    expect(results.map((r) => [r.id, r.reward_provider, r.fulfilled_by_influitive])).toEqual([
      ['48214', null, false],
      ['48213', 'tango_card', true],
    ]);
  });
});
