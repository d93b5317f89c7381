/**
 * The oldest end of Influitive's pending list, where redemptions that have waited longest are:
 * the first pages of an oldest-first list, the tail of a newest-first one. One exported function,
 * built on PendingReader's page reading, so its inside can change without its callers.
 */
import type { Bundle, ZObject } from '../shared/types';
import { detectListOrder, type ListOrder } from './list-order';
import {
  FIRST_PAGE,
  MAX_REQUESTS_PER_RUN,
  type PendingLayout,
  PendingReader,
  type WalkResult,
} from './pending-redemptions';
import type { RewardRedemption } from './redemption';
import { requestedMs } from './still-waiting';

export interface OldestPending {
  /** The redemptions read at the oldest end, in the API's order. */
  redemptions: RewardRedemption[];
  /** Every pending redemption requested before the cutoff was read. */
  complete: boolean;
  order: ListOrder;
  requests: number;
  /**
   * Where the next run continues an oldest-first list whose overdue part is longer than one run
   * reads (it then reads on from there, and from the front again after that); null otherwise.
   */
  continueAt: string | null;
}

const datesOf = (redemptions: readonly RewardRedemption[]) =>
  redemptions.map((r) => r.requested_at);

/** Requested at or after the cutoff: everything listed beyond it (newer) is younger still. */
const isYoungerThan = (redemption: RewardRedemption | undefined, cutoff: number): boolean => {
  const at = redemption === undefined ? Number.NaN : requestedMs(redemption);
  return !Number.isNaN(at) && at >= cutoff;
};

/**
 * A newest-first list whose pages a complete layout knows: from the last known page to the end
 * (the list may have grown), then page by page towards the front until a page starts with a
 * redemption younger than the cutoff. Undefined when what was read is not newest first after all,
 * or a known page is empty (the list shrank): the layout is a hint, never the truth.
 */
const readTail = async (
  reader: PendingReader,
  layout: PendingLayout,
  cutoff: number,
): Promise<OldestPending | undefined> => {
  const urls = layout.pages.map((page) => page.url);
  const last = urls.length - 1;
  const lastUrl = urls[last];
  if (lastUrl === undefined) return undefined;
  const end = await reader.walk(lastUrl);
  // An empty page where the layout knew one means the list shrank: the layout is stale.
  if (!end.complete || end.redemptions.length === 0) return undefined;
  let read = end.redemptions;
  let covered = isYoungerThan(read[0], cutoff);
  let index = last - 1;
  for (; index >= 0 && !covered && reader.blocked() === undefined; index -= 1) {
    const url = urls[index];
    if (url === undefined) break;
    const page = await reader.readPage(url);
    if (page.redemptions.length === 0) return undefined;
    read = [...page.redemptions, ...read];
    covered = isYoungerThan(page.redemptions[0], cutoff);
  }
  if (detectListOrder(datesOf(read)) === 'oldest_first') return undefined;
  return {
    redemptions: read,
    complete: covered || index < 0,
    order: 'newest_first',
    requests: reader.requests,
    continueAt: null,
  };
};

const cannotReachOldest = (z: ZObject, order: ListOrder, pages: number): Error =>
  new z.errors.Error(
    order === 'unknown'
      ? `Could not tell which end of Influitive's pending list holds the oldest redemptions: their dates do not show an order, and the list is longer than one check may read (${MAX_REQUESTS_PER_RUN} requests, to stay inside Influitive's firewall limit of 200 requests per 5 minutes). No redemption was skipped; run \`npm run doctor\` to see the dates the hub sends.`
      : `Could not reach the oldest pending redemptions in this check: Influitive lists them newest first, and this hub has more pending than one check may read (${MAX_REQUESTS_PER_RUN} requests, to stay inside Influitive's firewall limit of 200 requests per 5 minutes). This check read ${pages} pages and kept its place, so the next checks continue from there; once the end of the list is known, each check reads only its oldest pages. If this repeats at every check, Zapier's cache (where the place is kept) may be unavailable.`,
    'oldest_end_unreachable',
    503,
  );

/** Stopped by the request cap or the deadline, not by the end or a younger redemption. */
const cutShort = (walk: WalkResult): boolean =>
  walk.stop === 'requests' || walk.stop === 'deadline';

/**
 * An oldest-first list read on from where an earlier run stopped, to the first redemption younger
 * than the cutoff; undefined when what it reads is not oldest first (then the front is read).
 */
const readOnFrom = async (
  reader: PendingReader,
  url: string,
  cutoff: number,
): Promise<OldestPending | undefined> => {
  const walk = await reader.walk(url, {
    until: (_page, _index, read) => read.some((r) => isYoungerThan(r, cutoff)),
  });
  if (detectListOrder(datesOf(walk.redemptions)) === 'newest_first') return undefined;
  return {
    redemptions: walk.redemptions,
    complete: !cutShort(walk),
    order: 'oldest_first',
    requests: reader.requests,
    continueAt: cutShort(walk) ? walk.next : null,
  };
};

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
  const reader = new PendingReader(z, bundle);
  if (options.continueAt) {
    const further = await readOnFrom(reader, options.continueAt, cutoff);
    if (further) return further;
  }
  const layout = await reader.loadLayout();
  if (layout?.order === 'newest_first' && layout.complete && layout.pages.length > 0) {
    const tail = await readTail(reader, layout, cutoff);
    if (tail) return tail;
  }
  const resume =
    reader.blocked() === undefined &&
    layout?.order === 'newest_first' &&
    !layout.complete &&
    layout.resumeUrl
      ? layout.resumeUrl
      : null;
  const walk = await reader.walk(resume ?? FIRST_PAGE, {
    // An oldest-first list holds every overdue redemption before the first younger one.
    until: (_page, _index, read) =>
      resume === null &&
      detectListOrder(datesOf(read)) === 'oldest_first' &&
      read.some((r) => isYoungerThan(r, cutoff)),
  });
  const order = detectListOrder(datesOf(walk.redemptions));
  if (walk.complete && resume === null) {
    await reader.recordWalk(walk, true);
    return {
      redemptions: walk.redemptions,
      complete: true,
      order,
      requests: reader.requests,
      continueAt: null,
    };
  }
  if (walk.stop === 'match' || (resume === null && order === 'oldest_first')) {
    return {
      redemptions: walk.redemptions,
      complete: walk.stop === 'match',
      order: 'oldest_first',
      requests: reader.requests,
      continueAt: cutShort(walk) ? walk.next : null,
    };
  }
  // A newest-first (or undated) list too long for one run: keep the place for the next run.
  await reader.recordWalk(walk, resume === null);
  if (walk.complete && reader.layout?.complete) {
    const tail = await readTail(reader, reader.layout, cutoff);
    if (tail) return tail;
  }
  throw cannotReachOldest(z, layout?.order ?? order, walk.pages.length);
};
