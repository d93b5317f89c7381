import { API, influitiveHeaders, makeBundle } from '../../helpers/bundle';
import { messageOf, rejectionOf } from '../../helpers/errors';
import nock from '../../helpers/nock';
import { nockBothPages as bothPages, nockRewardProviders } from '../../helpers/pending-pages';
import { runOperation } from '../../helpers/run';
import page1 from '../fixtures/reward_redemptions_page1.json';

const FIND_MEMBER = 'searches.find_member.operation.perform';
const FIND_REDEMPTION = 'searches.find_reward_redemption.operation.perform';
type Out = { id: string; email?: string | null };

afterEach(() => nock.cleanAll());

describe('find_member', () => {
  it('looks a member up by email and returns the normalised member', async () => {
    const scope = nock(API, { reqheaders: influitiveHeaders })
      .get('/members')
      .query({ email: 'maya.patel@northwind-analytics.example' })
      .reply(200, [page1.contacts[0]]);
    const results = (await runOperation(
      FIND_MEMBER,
      makeBundle({ inputData: { email: ' maya.patel@northwind-analytics.example ' } }),
    )) as Out[];
    expect(results).toEqual([
      expect.objectContaining({
        id: '90211',
        email: 'maya.patel@northwind-analytics.example',
        name: 'Maya Patel',
      }),
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    ['an empty array', [], 0],
    ['a members wrapper', { members: [page1.contacts[1]] }, 1],
    ['a single object', page1.contacts[1], 1],
    ['an unexpected shape', { total: 0 }, 0],
    ['a scalar', '"none"', 0],
  ])('accepts %s', async (_name, body, count) => {
    nock(API).get('/members').query(true).reply(200, body);
    const results = (await runOperation(
      FIND_MEMBER,
      makeBundle({ inputData: { email: 'x@example.com' } }),
    )) as Out[];
    expect(results).toHaveLength(count);
  });

  it('asks for an email when none is given', async () => {
    const error = await rejectionOf(runOperation(FIND_MEMBER, makeBundle({ inputData: {} })));
    expect(messageOf(error)).toMatch(/Enter the email address/);
  });
});

describe('find_reward_redemption', () => {
  // Each redemption found carries its reward's provider, from the hub's reward list.
  beforeEach(() => nockRewardProviders());

  it('finds by idempotency key and stops listing at the first match', async () => {
    const scope = nock(API).get('/reward_redemptions').reply(200, page1);
    const results = (await runOperation(
      FIND_REDEMPTION,
      makeBundle({ inputData: { idempotency_key: 'influitive-2bcbb469-redemption-48213' } }),
    )) as Out[];
    expect(results.map((r) => r.id)).toEqual(['48213']);
    expect(scope.isDone()).toBe(true);
    // page 2 was never requested
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('finds by the alphanumeric key on a later page', async () => {
    bothPages();
    const results = (await runOperation(
      FIND_REDEMPTION,
      makeBundle({ inputData: { idempotency_key: 'influitive2bcbb469redemptionid48190' } }),
    )) as Out[];
    expect(results.map((r) => r.id)).toEqual(['48190']);
  });

  it('finds by id or uuid', async () => {
    nock(API)
      .get('/reward_redemptions')
      .twice()
      .reply(200, { ...page1, links: {} });
    const byId = (await runOperation(
      FIND_REDEMPTION,
      makeBundle({ inputData: { redemption_id: '48214' } }),
    )) as Out[];
    const byUuid = (await runOperation(
      FIND_REDEMPTION,
      makeBundle({ inputData: { redemption_id: '6f0e9c1a-3b2d-4e5f-8a7b-1c2d3e4f5a6b' } }),
    )) as Out[];
    expect(byId.map((r) => r.id)).toEqual(['48214']);
    expect(byUuid.map((r) => r.id)).toEqual(['48213']);
  });

  it("returns all of a member's pending redemptions by email, case-insensitively, newest first", async () => {
    nock(API)
      .get('/reward_redemptions')
      .reply(200, {
        reward_redemptions: [
          { id: 1, contact_id: 90211, created_at: '2026-11-01T10:00:00Z' },
          { id: 2, contact_id: 90388, created_at: '2026-11-02T10:00:00Z' },
          { id: 3, contact_id: 90211, created_at: '2026-11-03T10:00:00Z' },
        ],
        contacts: page1.contacts,
      });
    const results = (await runOperation(
      FIND_REDEMPTION,
      makeBundle({ inputData: { email: 'Maya.Patel@Northwind-Analytics.example' } }),
    )) as Out[];
    expect(results.map((r) => r.id)).toEqual(['3', '1']);
  });

  it('returns nothing when no pending redemption matches', async () => {
    bothPages();
    await expect(
      runOperation(
        FIND_REDEMPTION,
        makeBundle({ inputData: { idempotency_key: 'influitive-2bcbb469-redemption-1' } }),
      ),
    ).resolves.toEqual([]);
  });

  it('asks for a search term when none is given', async () => {
    const error = await rejectionOf(
      runOperation(FIND_REDEMPTION, makeBundle({ inputData: { email: ' ' } })),
    );
    expect(messageOf(error)).toMatch(/Enter a redemption ID, a member email or an idempotency key/);
  });

  describe('tested in the Zap editor', () => {
    const testing = (inputData: Record<string, unknown>) => {
      const base = makeBundle();
      return makeBundle({ inputData, meta: { ...base.meta, isLoadingSample: true } });
    };

    it('finds what the first page holds with one request', async () => {
      const scope = nock(API).get('/reward_redemptions').reply(200, page1);
      const results = (await runOperation(
        FIND_REDEMPTION,
        testing({ email: 'jonas.lindqvist@fjord-systems.example' }),
      )) as Out[];
      expect(results.map((r) => r.id)).toEqual(['48214']);
      expect(scope.isDone()).toBe(true);
      expect(nock.pendingMocks()).toEqual([]);
    });

    it('says a test reads only the first page when nothing on it matches, rather than "not found"', async () => {
      const scope = nock(API).get('/reward_redemptions').reply(200, page1);
      const error = await rejectionOf(
        runOperation(FIND_REDEMPTION, testing({ redemption_id: '48190' })),
      );
      expect(messageOf(error)).toMatch(
        /^Nothing on the first page of Influitive's pending list matched\. A test in the Zap editor reads only that page/,
      );
      expect(scope.isDone()).toBe(true);
      // Nothing found, so the reward list was not read either.
      expect(nock.pendingMocks()).toEqual([`GET ${API}:443/external/rewards`]);
    });

    it('answers "not found" when the first page is the whole list', async () => {
      nock(API)
        .get('/reward_redemptions')
        .reply(200, { ...page1, links: { next: null } });
      await expect(
        runOperation(FIND_REDEMPTION, testing({ redemption_id: '48190' })),
      ).resolves.toEqual([]);
    });
  });
});
