import { MAX_DROPDOWN_PAGES } from '../../../src/shared/editor';
import { API, influitiveHeaders, makeBundle } from '../../helpers/bundle';
import nock from '../../helpers/nock';
import { runOperation } from '../../helpers/run';
import { FakeZapierRpc } from '../../helpers/zapier-rpc';
import rewards from '../fixtures/external_rewards.json';

const REWARD = 'triggers.reward.operation.perform';
type Out = { id: string; label: string };

/** The bundle Zapier sends for page `page` of the Reward dropdown ("Load more" asks for 1, 2, …). */
const dropdown = (page: number) => {
  const base = makeBundle();
  return makeBundle({ meta: { ...base.meta, isFillingDynamicDropdown: true, page } });
};
const paged = (ids: number[], next: string | null) => ({
  rewards: ids.map((id) => ({ id, name: `Reward ${id}`, published: true })),
  links: { self: `${API}/external/rewards`, next },
});

afterEach(() => nock.cleanAll());

describe('reward (dropdown source)', () => {
  it('lists published rewards first and marks the others, skipping records without an id', async () => {
    nock(API, { reqheaders: influitiveHeaders }).get('/external/rewards').reply(200, rewards);
    const results = await runOperation(REWARD, makeBundle());
    expect(results).toEqual([
      expect.objectContaining({
        id: '731',
        name: 'Amazon.com Gift Card ($25)',
        label: 'Amazon.com Gift Card ($25)',
      }),
      expect.objectContaining({ id: '812', name: 'Northwind Hoodie', label: 'Northwind Hoodie' }),
      expect.objectContaining({
        id: '1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b',
        name: 'Coffee with the CEO',
        label: 'Coffee with the CEO (unpublished)',
        published: false,
      }),
    ]);
  });

  it('puts an unpublished reward after the published ones, whatever the API order', async () => {
    nock(API)
      .get('/external/rewards')
      .reply(200, [
        { id: 1, name: 'Retired Mug', published: 'false' },
        { id: 2, name: 'Sticker Pack' },
      ]);
    const results = (await runOperation(REWARD, makeBundle())) as Out[];
    expect(results.map((r) => r.label)).toEqual(['Sticker Pack', 'Retired Mug (unpublished)']);
  });

  it('accepts the list wrapped in rewards', async () => {
    nock(API)
      .get('/external/rewards')
      .reply(200, { rewards: [{ uuid: 'rw-1' }] });
    await expect(runOperation(REWARD, makeBundle())).resolves.toEqual([
      { uuid: 'rw-1', id: 'rw-1', name: 'Reward rw-1', label: 'Reward rw-1' },
    ]);
  });

  it('returns nothing for an unexpected body shape', async () => {
    nock(API).get('/external/rewards').reply(200, '"unexpected"');
    await expect(runOperation(REWARD, makeBundle())).resolves.toEqual([]);
  });
});

describe('reward dropdown paging ("Load more")', () => {
  let rpc: FakeZapierRpc;
  beforeEach(async () => {
    rpc = await new FakeZapierRpc().start();
    // Kept links expire on the stand-in's clock, fixed here so no wait can outlast one.
    rpc.now = () => Date.parse('2026-11-23T12:00:00Z');
  });
  afterEach(() => rpc.stop());

  it('serves page 1 from the link page 0 kept, in one request', async () => {
    nock(API)
      .get('/external/rewards')
      .reply(200, paged([1, 2], `${API}/external/rewards?cursor=abc`));
    const first = (await runOperation(REWARD, dropdown(0), rpc.url)) as Out[];
    expect(first.map((r) => r.id)).toEqual(['1', '2']);

    const scope = nock(API, { reqheaders: influitiveHeaders })
      .get('/external/rewards')
      .query({ cursor: 'abc' })
      .reply(200, paged([3], null));
    const second = (await runOperation(REWARD, dropdown(1), rpc.url)) as Out[];
    expect(second.map((r) => r.id)).toEqual(['3']);
    expect(scope.isDone()).toBe(true);

    // The end of the list was kept too: page 2 is empty and costs nothing.
    await expect(runOperation(REWARD, dropdown(2), rpc.url)).resolves.toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('follows the links from the first page when no link was kept', async () => {
    nock(API)
      .get('/external/rewards')
      .reply(200, paged([1], `${API}/external/rewards?page=2`))
      .get('/external/rewards')
      .query({ page: '2' })
      .reply(200, paged([2], `${API}/external/rewards?page=3`))
      .get('/external/rewards')
      .query({ page: '3' })
      .reply(200, paged([3], null));
    const results = (await runOperation(REWARD, dropdown(2))) as Out[];
    expect(results.map((r) => r.id)).toEqual(['3']);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("does not take another list's kept link for this one", async () => {
    rpc.cursors.set('no-store-key', {
      value: JSON.stringify({ first: '/reward_redemptions', page: 1, next: `${API}/elsewhere` }),
      expiresAt: rpc.now() + 60_000,
    });
    nock(API)
      .get('/external/rewards')
      .reply(200, paged([1], `${API}/external/rewards?page=2`))
      .get('/external/rewards')
      .query({ page: '2' })
      .reply(200, paged([2], null));
    const results = (await runOperation(REWARD, dropdown(1), rpc.url)) as Out[];
    expect(results.map((r) => r.id)).toEqual(['2']);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('is one list when the API does not page: every later page is empty', async () => {
    nock(API).get('/external/rewards').reply(200, rewards);
    await expect(runOperation(REWARD, dropdown(1))).resolves.toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it(`stops past page ${MAX_DROPDOWN_PAGES} without a kept link, making no request`, async () => {
    await expect(runOperation(REWARD, dropdown(MAX_DROPDOWN_PAGES + 1))).resolves.toEqual([]);
  });

  it('ignores the page number outside a dropdown', async () => {
    nock(API).get('/external/rewards').reply(200, rewards);
    const base = makeBundle();
    const results = (await runOperation(
      REWARD,
      makeBundle({ meta: { ...base.meta, page: 3 } }),
    )) as Out[];
    expect(results).toHaveLength(3);
  });
});
