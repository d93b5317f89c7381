import {
  describeListOrder,
  detectListOrder,
  keepsOrder,
  NO_DATES,
  tallyKeeps,
  tallyOrder,
} from '../../src/influitive/pending/order';

describe('detectListOrder', () => {
  it('reads newest first and oldest first from the request dates, across offsets', () => {
    expect(
      detectListOrder([
        '2026-11-20T10:00:00-05:00',
        '2026-11-20T14:59:00Z',
        '2026-11-19T08:00:00Z',
      ]),
    ).toBe('newest_first');
    expect(detectListOrder(['2026-11-19T08:00:00Z', '2026-11-20T10:00:00-05:00'])).toBe(
      'oldest_first',
    );
  });

  it('passes over undated records and treats equal dates as neither', () => {
    expect(detectListOrder([null, '2026-11-20T10:00:00Z', 'soon', '2026-11-20T10:00:00Z'])).toBe(
      'unknown',
    );
    expect(detectListOrder(['2026-11-21T10:00:00Z', undefined, '2026-11-20T10:00:00Z'])).toBe(
      'newest_first',
    );
  });

  it('calls too little data or mixed dates unknown', () => {
    expect(detectListOrder([])).toBe('unknown');
    expect(detectListOrder(['2026-11-20T10:00:00Z'])).toBe('unknown');
    expect(
      detectListOrder(['2026-11-20T10:00:00Z', '2026-11-21T10:00:00Z', '2026-11-19T10:00:00Z']),
    ).toBe('unknown');
    expect(describeListOrder('unknown')).toMatch(/unknown/);
    expect(describeListOrder('oldest_first')).toBe('oldest first');
    expect(describeListOrder('newest_first')).toBe('newest first');
  });
});

describe('the order tallied page by page', () => {
  const VALUES = ['2026-11-19T08:00:00Z', '2026-11-20T10:00:00-05:00', null, 'soon'] as const;
  /** Every list of up to `length` values from VALUES (4^5 lists at length 5). */
  const lists = (length: number): (string | null)[][] =>
    length === 0
      ? [[]]
      : [
          ...lists(length - 1),
          ...lists(length - 1)
            .filter((l) => l.length === length - 1)
            .flatMap((l) => VALUES.map((v) => [...l, v])),
        ];
  /** Every way to cut a list into consecutive pages. */
  const pagings = (list: (string | null)[]): (string | null)[][][] => {
    if (list.length <= 1) return [[list]];
    const [first, ...rest] = list;
    return pagings(rest).flatMap(([page = [], ...others]) => [
      [[first ?? null, ...page], ...others],
      [[first ?? null], page, ...others],
    ]);
  };

  it('gives what one read of the whole list gives, however the list is cut into pages', () => {
    let checked = 0;
    for (const list of lists(5)) {
      const whole = tallyOrder(list);
      for (const pages of pagings(list)) {
        const folded = pages.reduce((tally, page) => tallyOrder(page, tally), NO_DATES);
        expect(folded).toEqual(whole);
        checked += 1;
      }
      for (const order of ['newest_first', 'oldest_first'] as const) {
        expect(tallyKeeps(whole, order)).toBe(keepsOrder(list, order));
        expect(keepsOrder(list, order)).toBe(
          detectListOrder(list) === order ||
            (detectListOrder(list) === 'unknown' && !(whole.rises > 0 && whole.falls > 0)),
        );
      }
    }
    expect(checked).toBeGreaterThan(5_000);
  });
});
