/**
 * The one routine that reads where new redemptions appear, shared by the poll and the hook: the
 * pending redemptions requested since a time, from the front of a newest-first list or the tail of
 * an oldest-first one. It also says whether the pages it read, in this run, cover that span: they
 * do when they run from the list's first page to its end, or when their dates are in order and
 * reach back past `since`. A hint only chooses where to start; the covering is read.
 */
import { type RewardRedemption, requestedMs } from '../redemption';
import { type Hints, tailStartFor } from './hints';
import {
  FIRST_PAGE,
  type ListRead,
  type Page,
  type PageSource,
  type RunBudget,
  readFrom,
} from './list';
import { keepsOrder, NO_DATES, tallyKeeps, tallyOrder } from './order';

export interface RecentRead {
  read: ListRead;
  /** Where the read started: the first page, or a tail page an earlier run saw. */
  from: string;
  /** Every pending redemption requested since `since` was on the pages read. */
  covered: boolean;
}

/**
 * Dated redemptions a read must have seen, all in order, before it takes the list as newest first
 * and stops: a page or two of a list sorted by something else is in order by chance (2 in 1 as
 * often as not, 8 in 40,320).
 */
export const MIN_DATES_FOR_ORDER = 8;

const datesOf = (redemptions: readonly RewardRedemption[]) =>
  redemptions.map((r) => r.requested_at);

/**
 * Reads the pending redemptions requested since `since`, stopping early after a page where
 * `stopAt` holds (then `covered` is false unless the list ended there).
 */
export const readRecent = async (
  source: PageSource,
  budget: RunBudget,
  hints: Hints,
  since: number,
  stopAt?: (page: Page) => boolean,
): Promise<RecentRead> => {
  const tailStart = hints.order === 'oldest_first' ? tailStartFor(hints, since) : undefined;
  if (tailStart !== undefined && tailStart !== FIRST_PAGE) {
    const read = await readFrom(source, budget, tailStart, (page) => stopAt?.(page) ?? false);
    const reachesBack = requestedMs(read.redemptions[0]) < since;
    const inOrder = keepsOrder(datesOf(read.redemptions), 'oldest_first');
    return { read, from: tailStart, covered: read.complete && reachesBack && inOrder };
  }
  let reachedBack = false;
  // The order of every page read so far, kept up page by page (never re-read from the start).
  let sofar = NO_DATES;
  const read = await readFrom(source, budget, FIRST_PAGE, (page) => {
    sofar = tallyOrder(datesOf(page.redemptions), sofar);
    if (stopAt?.(page)) return true;
    // Newest first, a page that reaches back past `since` ends the span, if every date so far
    // was in order: the rest of the list is older.
    reachedBack =
      page.redemptions.some((r) => requestedMs(r) < since) &&
      sofar.dated >= MIN_DATES_FOR_ORDER &&
      tallyKeeps(sofar, 'newest_first');
    return reachedBack;
  });
  return { read, from: FIRST_PAGE, covered: read.complete || reachedBack };
};
