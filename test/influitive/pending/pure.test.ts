/**
 * The pending list's pure functions over plain data, in milliseconds: what a read teaches, where a
 * read of the tail starts, when two reads agree, the poll window, and a read's own checks.
 */
import {
  emptyHints,
  learn,
  MAX_TAIL_PAGES,
  tailStartFor,
} from '../../../src/influitive/pending/hints';
import {
  DECIDED_STATUSES,
  FIRST_PAGE,
  isStillPending,
  type ListRead,
  type Page,
  RunBudget,
  readFrom,
  readsAgree,
  UnreadableListError,
} from '../../../src/influitive/pending/list';
import { keepsOrder } from '../../../src/influitive/pending/order';
import { windowOf } from '../../../src/influitive/pending/window';
import { normalizeRedemption, type RewardRedemption } from '../../../src/influitive/redemption';
import { Deadline } from '../../../src/shared/deadline';

const at = (iso: string) => Date.parse(iso);
const redemption = (id: number, requested?: string, status = 'pending'): RewardRedemption =>
  normalizeRedemption({ id, created_at: requested, status });
const page = (url: string, items: RewardRedemption[], next: string | null): Page => ({
  url,
  redemptions: items,
  next,
});
const readOf = (pages: Page[], complete = true): ListRead => ({
  pages,
  redemptions: pages.flatMap((p) => p.redemptions),
  complete,
  stop: complete ? 'end' : 'requests',
  next: complete ? null : 'https://api.influitive.com/reward_redemptions?page=9',
});

describe('decided statuses', () => {
  it('counts only words that surely mean sent or refused as decided', () => {
    for (const status of DECIDED_STATUSES) expect(isStillPending({ status })).toBe(false);
    for (const status of ['pending', 'approved', 'processing', 'in review', 'In_Review', 'new']) {
      expect(isStillPending({ status })).toBe(true);
    }
  });
});

describe('readsAgree', () => {
  it('agrees only on the same ids, each once', () => {
    expect(readsAgree(['1', '2', '3'], ['3', '1', '2'])).toBe(true);
    expect(readsAgree(['1', '2', '3'], ['1', '2'])).toBe(false);
    expect(readsAgree(['1', '2', '2'], ['1', '2', '2'])).toBe(false);
    expect(readsAgree(['1', '2', '3'], ['1', '2', '4'])).toBe(false);
  });
});

describe('keepsOrder', () => {
  it('accepts equal dates and undated entries, and rejects one step the other way', () => {
    const dates = ['2026-11-20T10:00:00Z', '2026-11-20T10:00:00Z', null, '2026-11-20T09:00:00Z'];
    expect(keepsOrder(dates, 'newest_first')).toBe(true);
    expect(keepsOrder(dates, 'oldest_first')).toBe(false);
    expect(keepsOrder([...dates, '2026-11-21T00:00:00Z'], 'newest_first')).toBe(false);
  });
});

describe('learn', () => {
  const url = (n: number) => `https://api.influitive.com/reward_redemptions?page=${n}`;

  it('keeps the tail and the ids of a whole read, and its order', () => {
    const read = readOf([
      page(
        FIRST_PAGE,
        [redemption(1, '2026-11-20T10:00:00Z'), redemption(2, '2026-11-20T11:00:00Z')],
        url(2),
      ),
      page(url(2), [redemption(3, '2026-11-20T12:00:00Z')], null),
    ]);
    const hints = learn(emptyHints(), read, FIRST_PAGE, 1_000);
    expect(hints).toMatchObject({
      order: 'oldest_first',
      resume: null,
      lastRead: { at: 1_000, ids: ['1', '2', '3'] },
      tail: [
        { url: FIRST_PAGE, first: at('2026-11-20T10:00:00Z') },
        { url: url(2), first: at('2026-11-20T12:00:00Z') },
      ],
    });
  });

  it('keeps where an unfinished walk goes on, and only the last pages of it', () => {
    const pages = Array.from({ length: MAX_TAIL_PAGES + 5 }, (_, i) =>
      page(
        i === 0 ? FIRST_PAGE : url(i + 1),
        [redemption(i + 1, `2026-11-20T10:${String(i).padStart(2, '0')}:00Z`)],
        url(i + 2),
      ),
    );
    const hints = learn(emptyHints(), readOf(pages, false), FIRST_PAGE, 1);
    expect(hints.resume).toBe('https://api.influitive.com/reward_redemptions?page=9');
    expect(hints.tail).toHaveLength(MAX_TAIL_PAGES);
    expect(hints.lastRead).toBeNull();
    // Until the walk reaches the end, its pages are not the tail.
    expect(tailStartFor(hints, at('2026-11-21T00:00:00Z'))).toBeUndefined();
  });

  it('stays bounded however many reads it learns from', () => {
    let hints = emptyHints();
    for (let n = 0; n < 500; n += 1) {
      const read = readOf([page(FIRST_PAGE, [redemption(n, '2026-11-20T10:00:00Z')], null)]);
      hints = learn(hints, read, FIRST_PAGE, n);
    }
    expect(hints.tail).toHaveLength(1);
    expect(JSON.stringify(hints).length).toBeLessThan(1_000);
  });
});

describe('tailStartFor', () => {
  it('starts at the last known page whose first redemption is older than the time asked for', () => {
    const hints = {
      ...emptyHints(),
      order: 'oldest_first' as const,
      tail: [
        { url: 'p1', first: at('2026-11-18T00:00:00Z') },
        { url: 'p2', first: at('2026-11-19T00:00:00Z') },
        { url: 'p3', first: at('2026-11-20T00:00:00Z') },
      ],
    };
    expect(tailStartFor(hints, at('2026-11-19T12:00:00Z'))).toBe('p2');
    expect(tailStartFor(hints, at('2026-11-17T00:00:00Z'))).toBe('p1');
  });
});

describe('windowOf', () => {
  const since = at('2026-11-19T00:00:00Z');

  it('keeps the pending redemptions requested since the window began', () => {
    const listed = [
      redemption(1, '2026-11-20T00:00:00Z'),
      redemption(2, '2026-11-18T00:00:00Z'),
      redemption(3, '2026-11-20T00:00:00Z', 'fulfilled'),
      redemption(4, '2026-11-20T00:00:00Z', 'approved'),
      redemption(5),
    ];
    expect(windowOf(listed, since, true).map((r) => r.id)).toEqual(['1', '4']);
  });

  it('takes a whole list that dates nothing as the window, and a part of one as nothing', () => {
    const undated = [redemption(1), redemption(2)];
    expect(windowOf(undated, since, true).map((r) => r.id)).toEqual(['1', '2']);
    expect(windowOf(undated, since, false)).toEqual([]);
  });
});

describe('readFrom', () => {
  const budget = () => new RunBudget(new Deadline(25_000), 40);

  it('refuses a link back to a page it already read', async () => {
    const source = async (url: string) =>
      page(url, [redemption(1)], url === FIRST_PAGE ? 'p2' : FIRST_PAGE);
    await expect(readFrom(source, budget(), FIRST_PAGE)).rejects.toThrow(UnreadableListError);
  });

  it('refuses endless empty pages, and stops at the request cap', async () => {
    let n = 0;
    const empty = async (url: string) => {
      n += 1;
      return page(url, [], `p${n}`);
    };
    await expect(readFrom(empty, budget(), FIRST_PAGE)).rejects.toThrow(/5 empty pages in a row/);
    let m = 0;
    const full = async (url: string) => {
      m += 1;
      return page(url, [redemption(m)], `p${m}`);
    };
    const capped = await readFrom(full, new RunBudget(new Deadline(25_000), 3), FIRST_PAGE);
    expect(capped).toMatchObject({ complete: false, stop: 'requests', next: 'p3' });
    expect(capped.pages).toHaveLength(3);
  });
});
