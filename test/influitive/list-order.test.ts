import { describeListOrder, detectListOrder } from '../../src/influitive/pending/order';

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
