/**
 * The oldest end of Influitive's pending list, where the redemptions that have waited longest
 * are: the first pages of an oldest-first list, the last pages of a newest-first one. The hints
 * say where the last pages are; the covering is read in this run (the dates read are in order and
 * reach past the cutoff), or the list is read from its front.
 */
import { clock } from '../../shared/deadline';
import type { Bundle, ZObject } from '../../shared/types';
import { type RewardRedemption, requestedMs } from '../redemption';
import { learn, type TailPage } from './hints';
import { pendingContext } from './index';
import {
  FIRST_PAGE,
  type ListRead,
  MAX_REQUESTS_PER_RUN,
  readFrom,
  UnreadableListError,
} from './list';
import { detectListOrder, keepsOrder, type ListOrder } from './order';

export interface OldestPending {
  /** The redemptions read at the oldest end, in the API's order. */
  redemptions: RewardRedemption[];
  /** Every pending redemption requested before the cutoff was read. */
  complete: boolean;
  order: ListOrder;
  requests: number;
  /**
   * Where the next run continues an oldest-first list whose overdue part is longer than one run
   * reads; null otherwise.
   */
  continueAt: string | null;
}

const datesOf = (redemptions: readonly RewardRedemption[]) =>
  redemptions.map((r) => r.requested_at);
/** Requested at or after the cutoff: everything listed beyond it (newer) is younger still. */
const isYoungerThan = (redemption: RewardRedemption | undefined, cutoff: number): boolean =>
  requestedMs(redemption) >= cutoff;

/** The last known page of a newest-first list whose first redemption is younger than the cutoff. */
const tailStartBefore = (tail: readonly TailPage[], cutoff: number): string | undefined => {
  for (let index = tail.length - 1; index >= 0; index -= 1) {
    const page = tail[index];
    if (page?.first != null && page.first >= cutoff) return page.url;
  }
  return tail[0]?.url;
};

const cannotReachOldest = (z: ZObject, order: ListOrder, pages: number, detail?: string): Error =>
  new z.errors.Error(
    detail !== undefined
      ? `Could not read the oldest pending redemptions: Influitive's pending list cannot be read (${detail}). No redemption was skipped; tell support@influitive.com.`
      : order === 'unknown'
        ? `Could not tell which end of Influitive's pending list holds the oldest redemptions: their dates do not show an order, and the list is longer than one check may read (${MAX_REQUESTS_PER_RUN} requests, to stay inside Influitive's firewall limit of 200 requests per 5 minutes). No redemption was skipped; run \`npm run doctor\` to see the dates the hub sends.`
        : `Could not reach the oldest pending redemptions in this check: Influitive lists them newest first, and this hub has more pending than one check may read (${MAX_REQUESTS_PER_RUN} requests, to stay inside Influitive's firewall limit of 200 requests per 5 minutes). This check read ${pages} pages and kept its place, so the next checks continue from there; once the end of the list is known, each check reads only its oldest pages. If this repeats at every check, Zapier's cache (where the place is kept) may be unavailable.`,
    'oldest_end_unreachable',
    503,
  );

/**
 * The pending redemptions at the oldest end of the list, enough to hold every one requested
 * before `requestedBefore` (ms since the epoch) when one run can, within the run's request cap and
 * deadline. `complete` is false when more were requested before the cutoff than one run reads:
 * then the oldest are returned, and on an oldest-first list `continueAt` says where the next run
 * (given it back) reads on. Throws a z.errors.Error when the oldest end cannot be reached.
 */
export const readOldestPending = async (
  z: ZObject,
  bundle: Bundle,
  options: { requestedBefore: number; continueAt?: string | null },
): Promise<OldestPending> => {
  const cutoff = options.requestedBefore;
  const { source, budget, hints: store } = pendingContext(z, bundle);
  const result = (read: ListRead, order: ListOrder, complete: boolean): OldestPending => ({
    redemptions: read.redemptions,
    complete,
    order,
    requests: budget.requests,
    continueAt: !complete && order === 'oldest_first' && read.stop !== 'end' ? read.next : null,
  });
  try {
    if (options.continueAt) {
      const further = await readFrom(source, budget, options.continueAt, (page) =>
        page.redemptions.some((r) => isYoungerThan(r, cutoff)),
      );
      if (keepsOrder(datesOf(further.redemptions), 'oldest_first')) {
        return result(further, 'oldest_first', further.stop === 'match' || further.complete);
      }
    }
    let hints = await store.load();
    if (hints.order === 'newest_first' && hints.resume === null && hints.tail.length > 0) {
      const start = tailStartBefore(hints.tail, cutoff) ?? FIRST_PAGE;
      const tail = await readFrom(source, budget, start);
      const covered =
        tail.complete &&
        keepsOrder(datesOf(tail.redemptions), 'newest_first') &&
        (start === FIRST_PAGE || isYoungerThan(tail.redemptions[0], cutoff));
      if (covered) {
        await store.save(learn(hints, tail, start, clock().now()));
        return result(tail, 'newest_first', true);
      }
    }
    // From the front: an oldest-first list holds every overdue redemption before the first younger
    // one; a newest-first list is read to its end (or on from where the last check stopped).
    const from =
      hints.order === 'newest_first' && hints.resume !== null ? hints.resume : FIRST_PAGE;
    const read = await readFrom(source, budget, from, (_page, pages) => {
      const all = pages.flatMap((page) => page.redemptions);
      return (
        from === FIRST_PAGE &&
        detectListOrder(datesOf(all)) === 'oldest_first' &&
        all.some((r) => isYoungerThan(r, cutoff))
      );
    });
    hints = learn(hints, read, from, clock().now());
    await store.save(hints);
    const order = detectListOrder(datesOf(read.redemptions));
    if (read.complete && from === FIRST_PAGE) return result(read, order, true);
    if (read.stop === 'match' || (from === FIRST_PAGE && order === 'oldest_first')) {
      return result(read, 'oldest_first', read.stop === 'match');
    }
    throw cannotReachOldest(z, hints.order, read.pages.length);
  } catch (error) {
    if (!(error instanceof UnreadableListError)) throw error;
    throw cannotReachOldest(z, 'unknown', 0, error.message);
  }
};
