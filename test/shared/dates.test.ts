import { toIsoWithOffset } from '../../src/shared/dates';

describe('toIsoWithOffset', () => {
  it.each([
    ['keeps an explicit offset as sent', '2026-11-20T09:14:03-05:00', '2026-11-20T09:14:03-05:00'],
    ['writes Z as +00:00', '2026-11-20T14:14:03Z', '2026-11-20T14:14:03.000+00:00'],
    [
      'reads no offset as UTC (LoudCrowd postedAt)',
      '2022-04-12T11:18:20.902164',
      '2022-04-12T11:18:20.902+00:00',
    ],
    ['accepts a space instead of T', '2026-11-20 14:03:11', '2026-11-20T14:03:11.000+00:00'],
    ['reads a date alone as midnight UTC', '2026-11-20', '2026-11-20T00:00:00.000+00:00'],
    ['reads epoch seconds', 1_700_000_000, '2023-11-14T22:13:20.000+00:00'],
    ['reads epoch milliseconds', 1_700_000_000_123, '2023-11-14T22:13:20.123+00:00'],
  ])('%s', (_name, input, expected) => {
    expect(toIsoWithOffset(input)).toBe(expected);
  });

  it.each([
    [''],
    ['   '],
    ['not a date'],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [1e20],
    [null],
    [{}],
  ])('returns undefined for %p', (input) => {
    expect(toIsoWithOffset(input)).toBeUndefined();
  });
});
