import type { Bundle } from 'zapier-platform-core';
import { MAX_REQUESTS_PER_RUN } from '../../../src/influitive/pending';
import { HINTS_KEY } from '../../../src/influitive/pending/hints';
import { API, influitiveHeaders, makeBundle } from '../../helpers/bundle';
import { testClock } from '../../helpers/clock';
import { messageOf, rejectionOf } from '../../helpers/errors';
import nock from '../../helpers/nock';
import { nockBothPages as bothPages, nockRewardProviders } from '../../helpers/pending-pages';
import { runOperation } from '../../helpers/run';
import { FakeZapierRpc } from '../../helpers/zapier-rpc';
import page1 from '../fixtures/reward_redemptions_page1.json';
import page2 from '../fixtures/reward_redemptions_page2.json';

const POLL = 'triggers.new_reward_redemption.operation.perform';

// The fixtures' redemptions were requested 2026-11-18..21; the poll returns the last 48 hours, so
// this file's clock stands just after the oldest of them.
beforeAll(() => testClock.setNow(Date.parse('2026-11-20T06:00:00Z')));
type Out = { id: string; member: { email: string | null }; requested_at: string | null };

// Every redemption's reward provider comes from the hub's reward list.
beforeEach(() => nockRewardProviders());
afterEach(() => nock.cleanAll());

describe('new_reward_redemption', () => {
  it('costs exactly one request when everything fits on the first page', async () => {
    const scope = nock(API, { reqheaders: influitiveHeaders })
      .get('/reward_redemptions')
      .reply(200, { ...page1, links: { next: null } });
    const results = (await runOperation(POLL, makeBundle())) as Out[];
    expect(results.map((r) => r.id)).toEqual(['48214', '48213']);
    expect(scope.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('follows links.next and returns every pending redemption newest first', async () => {
    bothPages();
    const results = (await runOperation(POLL, makeBundle())) as Out[];
    expect(results.map((r) => [r.id, r.requested_at])).toEqual([
      ['48214', '2026-11-21T16:40:51-05:00'],
      ['48213', '2026-11-20T09:14:03-05:00'],
      ['48190', '2026-11-18T11:02:00.000+00:00'],
    ]);
    expect(results[2]?.member.email).toBe('li.wei@harbour-labs.example');
  });

  it(`reads at most ${MAX_REQUESTS_PER_RUN} pages of a long oldest-first list and, with Zapier's cache down, says loudly that it cannot reach the newest`, async () => {
    let served = 0;
    nock(API)
      .get('/reward_redemptions')
      .query(true)
      .times(MAX_REQUESTS_PER_RUN + 5)
      .reply(() => {
        served += 1;
        return [
          200,
          {
            reward_redemptions: [
              {
                id: `r-${served}`,
                created_at: new Date(Date.UTC(2026, 9, 1) + served * 60_000).toISOString(),
              },
            ],
            links: { next: `${API}/reward_redemptions?page=${served + 1}` },
          },
        ];
      });
    const error = await rejectionOf(runOperation(POLL, makeBundle()));
    expect(served).toBe(MAX_REQUESTS_PER_RUN);
    // Old backlog is never handed to the Zap as new while the list's end is still unknown.
    expect(messageOf(error)).toMatch(
      /^Influitive lists its pending redemptions oldest first, more than one check may read \(40 requests\), and Zapier's cache, which keeps the place between checks, is unavailable/,
    );
  });

  it.each([
    ['leads back to itself', (n: number) => `${API}/reward_redemptions?page=${n}`],
    [
      'cycles between two pages',
      (n: number) => `${API}/reward_redemptions?page=${n === 1 ? 2 : 1}`,
    ],
  ])('errors, naming the cause, on a list whose next link %s', async (_name, nextOf) => {
    nock(API)
      .get('/reward_redemptions')
      .query(true)
      .times(4)
      .reply((uri) => {
        const n = Number(new URL(uri, API).searchParams.get('page') ?? '1');
        return [
          200,
          {
            reward_redemptions: [{ id: `r-${n}`, created_at: '2026-11-19T10:00:00Z' }],
            links: { next: nextOf(n) },
          },
        ];
      });
    const error = await rejectionOf(runOperation(POLL, makeBundle()));
    expect(messageOf(error)).toMatch(
      /^Influitive's pending list cannot be read: its "next" link leads back to a page already read/,
    );
  });

  it('errors on a list that answers empty pages without end', async () => {
    let served = 0;
    nock(API)
      .get('/reward_redemptions')
      .query(true)
      .times(10)
      .reply(() => {
        served += 1;
        return [
          200,
          {
            reward_redemptions: [],
            links: { next: `${API}/reward_redemptions?page=${served + 1}` },
          },
        ];
      });
    const error = await rejectionOf(runOperation(POLL, makeBundle()));
    expect(messageOf(error)).toMatch(/answered 5 empty pages in a row/);
    expect(served).toBe(5);
  });

  it.each([
    ['undated', () => undefined, 'missing'],
    [
      'not in date order',
      (n: number) => new Date(Date.UTC(2026, 10, 19, n % 7)).toISOString(),
      'not in order',
    ],
  ])(
    'errors on a long list whose redemptions are %s, rather than guess which are new',
    async (_name, dateOf, words) => {
      let served = 0;
      nock(API)
        .get('/reward_redemptions')
        .query(true)
        .times(MAX_REQUESTS_PER_RUN)
        .reply(() => {
          served += 1;
          return [
            200,
            {
              reward_redemptions: [{ id: `r-${served}`, created_at: dateOf(served) }],
              links: { next: `${API}/reward_redemptions?page=${served + 1}` },
            },
          ];
        });
      const error = await rejectionOf(runOperation(POLL, makeBundle()));
      expect(messageOf(error)).toContain(
        `their request dates are ${words}, so this check cannot tell which are new`,
      );
    },
  );

  it('leaves out a listed redemption whose status says it was already decided', async () => {
    nock(API)
      .get('/reward_redemptions')
      .reply(200, {
        ...page1,
        reward_redemptions: [
          { ...page1.reward_redemptions[0], status: 'fulfilled' },
          page1.reward_redemptions[1],
        ],
        links: {},
      });
    const results = (await runOperation(POLL, makeBundle())) as Out[];
    expect(results.map((r) => r.id)).toEqual(['48214']);
  });

  it('returns every redemption of the window, even more than 100, newest first', async () => {
    const many = Array.from({ length: 130 }, (_, i) => ({
      id: i + 1,
      created_at: new Date(Date.UTC(2026, 10, 19) + i * 60_000).toISOString(),
    }));
    nock(API).get('/reward_redemptions').reply(200, { reward_redemptions: many });
    const results = (await runOperation(POLL, makeBundle())) as Out[];
    expect(results).toHaveLength(130);
    expect(results[0]?.id).toBe('130');
  });

  it('leaves out redemptions requested before its 48-hour window', async () => {
    nock(API)
      .get('/reward_redemptions')
      .reply(200, {
        reward_redemptions: [
          { id: 2, created_at: '2026-11-19T10:00:00Z' },
          { id: 1, created_at: '2026-11-17T10:00:00Z' },
        ],
      });
    const results = (await runOperation(POLL, makeBundle())) as Out[];
    expect(results.map((r) => r.id)).toEqual(['2']);
  });

  it('fires a redemption listed as approved, with its status as sent', async () => {
    nock(API)
      .get('/reward_redemptions')
      .reply(200, {
        reward_redemptions: [{ id: 7, status: 'approved', created_at: '2026-11-19T10:00:00Z' }],
      });
    const results = (await runOperation(POLL, makeBundle())) as (Out & { status: string })[];
    expect(results.map((r) => [r.id, r.status])).toEqual([['7', 'approved']]);
  });

  it('only returns redemptions of the chosen reward', async () => {
    nock(API)
      .get('/reward_redemptions')
      .reply(200, { ...page1, links: {} });
    const results = (await runOperation(
      POLL,
      makeBundle({ inputData: { reward_id: '812' } }),
    )) as Out[];
    expect(results.map((r) => r.id)).toEqual(['48214']);
  });

  it('skips a listed record without an id, logging why, and still returns the others', async () => {
    nock(API)
      .get('/reward_redemptions')
      .reply(200, {
        reward_redemptions: [{ reward_id: 731 }, page1.reward_redemptions[0]],
        contacts: page1.contacts,
      });
    const logs: string[] = [];
    const results = (await runOperation(POLL, makeBundle(), undefined, logs)) as Out[];
    expect(results.map((r) => r.id)).toEqual(['48213']);
    expect(logs.join('\n')).toMatch(
      /Skipped a pending redemption Influitive listed: The reward redemption has no id/,
    );
  });
});

describe('new_reward_redemption in the Zap editor (samples, the Reward Redemption dropdown)', () => {
  let rpc: FakeZapierRpc;
  beforeEach(async () => {
    rpc = await new FakeZapierRpc().start();
  });
  afterEach(() => rpc.stop());

  const editor = (meta: Partial<Bundle['meta']>) => {
    const base = makeBundle();
    return makeBundle({ meta: { ...base.meta, ...meta } });
  };
  const layoutKeys = () => [...rpc.store.keys()].filter((key) => key.includes(HINTS_KEY));

  it.each([
    ['loading samples', { isLoadingSample: true }],
    ['filling the dropdown', { isFillingDynamicDropdown: true }],
  ])('reads one page when %s, and leaves the hints for the next poll', async (_name, meta) => {
    const scope = nock(API, { reqheaders: influitiveHeaders })
      .get('/reward_redemptions')
      .reply(200, page1);
    const results = (await runOperation(POLL, editor(meta), rpc.url)) as Out[];
    expect(results.map((r) => r.id)).toEqual(['48214', '48213']);
    expect(scope.isDone()).toBe(true);
    expect(layoutKeys()).toEqual([]);

    // The next real poll walks the whole list as if the editor had never asked.
    bothPages();
    const polled = (await runOperation(POLL, makeBundle(), rpc.url)) as Out[];
    expect(polled.map((r) => r.id)).toEqual(['48214', '48213', '48190']);
    expect(layoutKeys()).toHaveLength(1);
  });

  it('serves "Load more" from the link the first page kept, one request per page', async () => {
    nock(API).get('/reward_redemptions').reply(200, page1);
    await runOperation(POLL, editor({ isFillingDynamicDropdown: true, page: 0 }), rpc.url);

    const scope = nock(API, { reqheaders: influitiveHeaders })
      .get('/reward_redemptions')
      .query({ page: '2' })
      .reply(200, page2);
    const more = (await runOperation(
      POLL,
      editor({ isFillingDynamicDropdown: true, page: 1 }),
      rpc.url,
    )) as Out[];
    expect(more.map((r) => r.id)).toEqual(['48190']);
    expect(scope.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
