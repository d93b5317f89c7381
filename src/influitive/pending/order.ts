/**
 * The order of `GET /reward_redemptions` is not documented, so it is read from the data: the
 * request dates of the records in the order the API listed them.
 */
export type ListOrder = 'newest_first' | 'oldest_first' | 'unknown';

/**
 * `newest_first` when the dates never rise along the list (and fall at least once),
 * `oldest_first` when they never fall (and rise at least once), otherwise `unknown` (fewer than two
 * dated records, all equal, or mixed). Records without a readable date are passed over.
 */
export const detectListOrder = (requestedAt: readonly (string | null | undefined)[]): ListOrder => {
  let rises = 0;
  let falls = 0;
  let previous: number | undefined;
  for (const value of requestedAt) {
    const at = Date.parse(value ?? '');
    if (Number.isNaN(at)) continue;
    if (previous !== undefined) {
      if (at > previous) rises += 1;
      else if (at < previous) falls += 1;
    }
    previous = at;
  }
  if (falls > 0 && rises === 0) return 'newest_first';
  if (rises > 0 && falls === 0) return 'oldest_first';
  return 'unknown';
};

/** The order in words, for messages and reports. */
export const describeListOrder = (order: ListOrder): string =>
  order === 'newest_first'
    ? 'newest first'
    : order === 'oldest_first'
      ? 'oldest first'
      : 'unknown (fewer than two dated redemptions, or mixed dates)';

/** True when no two dated records along the list go against `order` (equal dates are in order). */
export const keepsOrder = (
  requestedAt: readonly (string | null | undefined)[],
  order: 'newest_first' | 'oldest_first',
): boolean => {
  const seen = detectListOrder(requestedAt);
  return seen === order || (seen === 'unknown' && !mixed(requestedAt));
};

const mixed = (requestedAt: readonly (string | null | undefined)[]): boolean => {
  const dates = requestedAt
    .map((value) => Date.parse(value ?? ''))
    .filter((at) => !Number.isNaN(at));
  let rises = false;
  let falls = false;
  for (let index = 1; index < dates.length; index += 1) {
    const [before, after] = [dates[index - 1] ?? 0, dates[index] ?? 0];
    if (after > before) rises = true;
    if (after < before) falls = true;
  }
  return rises && falls;
};
