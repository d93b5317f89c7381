/**
 * The order of `GET /reward_redemptions` is not documented, so it is read from the data: the
 * request dates of the records in the order the API listed them.
 */
export type ListOrder = 'newest_first' | 'oldest_first' | 'unknown';

/** The steps between consecutive dated records of a list so far: a read adds pages to it. */
export interface OrderTally {
  rises: number;
  falls: number;
  /** Records with a readable date. */
  dated: number;
  /** The last readable date, to compare the next page's first with. */
  last?: number;
}

export const NO_DATES: OrderTally = { rises: 0, falls: 0, dated: 0 };

/** `tally` with `requestedAt` appended (records without a readable date are passed over). */
export const tallyOrder = (
  requestedAt: readonly (string | null | undefined)[],
  tally: OrderTally = NO_DATES,
): OrderTally => {
  let { rises, falls, dated, last } = tally;
  for (const value of requestedAt) {
    const at = Date.parse(value ?? '');
    if (Number.isNaN(at)) continue;
    if (last !== undefined) {
      if (at > last) rises += 1;
      else if (at < last) falls += 1;
    }
    dated += 1;
    last = at;
  }
  return { rises, falls, dated, ...(last === undefined ? {} : { last }) };
};

/** The order a tally shows (see detectListOrder). */
export const orderOf = ({ rises, falls }: OrderTally): ListOrder => {
  if (falls > 0 && rises === 0) return 'newest_first';
  if (rises > 0 && falls === 0) return 'oldest_first';
  return 'unknown';
};

/** True when no two consecutive dated records go against `order` (equal dates are in order). */
export const tallyKeeps = (
  { rises, falls }: OrderTally,
  order: 'newest_first' | 'oldest_first',
): boolean => (order === 'newest_first' ? rises === 0 : falls === 0);

/**
 * `newest_first` when the dates never rise along the list (and fall at least once),
 * `oldest_first` when they never fall (and rise at least once), otherwise `unknown` (fewer than two
 * dated records, all equal, or mixed). Records without a readable date are passed over.
 */
export const detectListOrder = (requestedAt: readonly (string | null | undefined)[]): ListOrder =>
  orderOf(tallyOrder(requestedAt));

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
): boolean => tallyKeeps(tallyOrder(requestedAt), order);
