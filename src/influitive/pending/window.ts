/**
 * What a poll returns: the poll window, every pending redemption requested in the last
 * WINDOW_HOURS, read in this run. Zapier's polling de-dupe records the first poll's items as seen
 * and runs the Zap for ids it has not seen, so:
 * - a redemption requested while the Zap is on enters the window after the first poll and fires
 *   once, however many arrive between polls (all are returned);
 * - the backlog never fires: what was pending when the Zap was turned on is either in the first
 *   poll's window (seen) or older than the window, and the window moves by date, so deciding
 *   redemptions, losing the cache or adding a second Zap brings no older one into it.
 * A poll that cannot read its window errors with the cause; it never returns a partial window.
 */
import { clock } from '../../shared/deadline';
import { type RewardRedemption, requestedMs } from '../redemption';
import { learn } from './hints';
import {
  FIRST_PAGE,
  isStillPending,
  type ListRead,
  MAX_REQUESTS_PER_RUN,
  readFrom,
  UnreadableListError,
} from './list';
import { keepsOrder } from './order';
import { type RecentRead, readRecent } from './recent';
import type { PendingContext } from './verify';

export const WINDOW_HOURS = 48;
export const WINDOW_MS = WINDOW_HOURS * 60 * 60_000;

/** The poll cannot return its window; the message says why and what to do. */
export class PollWindowError extends Error {
  override name = 'PollWindowError';
}

/**
 * The window within pages that cover it (pure): pending, requested since `since`. A hub that dates
 * no redemption at all has no window by date: then the whole list, read whole, is the window.
 */
export const windowOf = (
  redemptions: readonly RewardRedemption[],
  since: number,
  wholeList: boolean,
): RewardRedemption[] => {
  // A list read while it moves can list one redemption on two pages: each is returned once.
  const ids = new Set<string>();
  const pending = redemptions.filter((r) => isStillPending(r) && !ids.has(r.id) && ids.add(r.id));
  const undated = pending.every((redemption) => Number.isNaN(requestedMs(redemption)));
  if (undated && wholeList) return pending;
  return pending.filter((redemption) => requestedMs(redemption) >= since);
};

const unreadable = (detail: string) =>
  new PollWindowError(
    `Influitive's pending list cannot be read: ${detail}. New redemptions cannot be found until that changes; decide them in the hub meanwhile, and tell support@influitive.com.`,
  );

interface WindowRead {
  redemptions: RewardRedemption[];
  /** The pages it came from listed an id twice: they did not join, so they may have skipped one. */
  listedTwice: boolean;
}

const listsTwice = (redemptions: readonly RewardRedemption[]): boolean =>
  new Set(redemptions.map((r) => r.id)).size !== redemptions.length;

/** Reads the window once, in this run. */
const readWindowOnce = async (context: PendingContext, since: number): Promise<WindowRead> => {
  const { source, budget, hints: store } = context;
  const loaded = await store.load();
  let hints = loaded;
  // A long list whose end no run has reached yet is read on from where the last poll stopped.
  const learning = hints.resume !== null;
  let recent: RecentRead | undefined;
  if (!learning) {
    recent = await readRecent(source, budget, hints, since);
    hints = learn(hints, recent.read, recent.from, clock().now());
    if (recent.covered) {
      await store.save(hints);
      const whole = recent.from === FIRST_PAGE && recent.read.complete;
      return {
        redemptions: windowOf(recent.read.redemptions, since, whole),
        listedTwice: listsTwice(recent.read.redemptions),
      };
    }
  }
  // Not covered: the list is longer than one run reads from the front, or its order is not by
  // date, or the tail the hints named has moved. Read on from where the last run stopped.
  const from = loaded.resume ?? FIRST_PAGE;
  let read: ListRead | undefined = recent?.read;
  if (read === undefined || from !== FIRST_PAGE || recent?.from !== FIRST_PAGE) {
    read = await readFrom(source, budget, from);
    hints = learn(hints, read, from, clock().now());
  }
  await store.save(hints);
  if (read.complete && from === FIRST_PAGE) {
    return {
      redemptions: windowOf(read.redemptions, since, true),
      listedTwice: listsTwice(read.redemptions),
    };
  }
  if (read.complete) {
    // The walk reached the tail of a long list: the window is at the end of what it read.
    const again = await readRecent(source, budget, hints, since);
    if (again.covered) {
      await store.save(learn(hints, again.read, again.from, clock().now()));
      return {
        redemptions: windowOf(again.read.redemptions, since, false),
        listedTwice: listsTwice(again.read.redemptions),
      };
    }
  }
  // The cause is named from every page this run read (the walk on from `resume` may have had no
  // request left), and only a list seen oldest first is called that.
  const listed =
    read === recent?.read
      ? read.redemptions
      : [...(recent?.read.redemptions ?? []), ...read.redemptions];
  const dates = listed.map((r) => r.requested_at);
  const sorted = keepsOrder(dates, 'oldest_first') || keepsOrder(dates, 'newest_first');
  const dated = listed.some((r) => !Number.isNaN(requestedMs(r)));
  if (hints.order === 'oldest_first' && sorted && (read.complete || read.stop === 'requests')) {
    if (!store.available) {
      throw new PollWindowError(
        `Influitive lists its pending redemptions oldest first, more than one check may read (${MAX_REQUESTS_PER_RUN} requests), and Zapier's cache, which keeps the place between checks, is unavailable, so this check cannot reach the newest ones. The next check tries again; meanwhile use the "Reward Requested (Needs Hub Webhook)" trigger or decide the backlog in the hub.`,
      );
    }
    throw new PollWindowError(
      `Influitive lists its pending redemptions oldest first and more than one check may read (${MAX_REQUESTS_PER_RUN} requests): this check read ${budget.requests} pages and the next one continues from there. New redemptions are found once the end of the list is reached; on a Zap just turned on, those requested before then are left to the "Reward Request Still Waiting" trigger.`,
    );
  }
  if (read.stop === 'deadline') {
    throw new PollWindowError(
      `Influitive did not answer fast enough to read the newest pending redemptions before this check's deadline (25 s of Zapier's 30 s). The next check tries again; none is lost meanwhile.`,
    );
  }
  if (dated && sorted) {
    throw new PollWindowError(
      `More pending redemptions were requested in the last ${WINDOW_HOURS} hours than one check may read (${MAX_REQUESTS_PER_RUN} requests), so this check cannot return them all. Use the "Reward Requested (Needs Hub Webhook)" trigger, or decide some in the hub.`,
    );
  }
  throw new PollWindowError(
    `Influitive lists more pending redemptions than one check may read (${MAX_REQUESTS_PER_RUN} requests), and their request dates are ${dated ? 'not in order' : 'missing'}, so this check cannot tell which are new. Use the "Reward Requested (Needs Hub Webhook)" trigger, or decide the backlog in the hub.`,
  );
};

/**
 * The poll window, newest first. The first poll after the Zap is turned on (`baseline`) reads it
 * twice and returns both, so a redemption that moved between page reads is still in the baseline
 * and never fires later as new.
 */
export const readPollWindow = async (
  context: PendingContext,
  options: { baseline: boolean },
): Promise<RewardRedemption[]> => {
  const since = clock().now() - WINDOW_MS;
  try {
    const first = await readWindowOnce(context, since);
    // A later poll reads again only when its pages did not join (it may have skipped one).
    if (!options.baseline && !first.listedTwice) return first.redemptions;
    const second = await readWindowOnce(context, since);
    if (first.listedTwice && second.listedTwice) {
      // Each read listed a redemption on two pages, so each may have skipped another, and one
      // both skipped would fire later as new although it was pending when the Zap was turned on.
      throw new PollWindowError(
        `Influitive listed the same pending redemption on two pages in both reads of this check (the list moved while it was read, or it lists redemptions requested at the same moment in a different order each time), so this check cannot be sure it saw every pending redemption. The next check tries again.`,
      );
    }
    const ids = new Set(first.redemptions.map((r) => r.id));
    const both = [...first.redemptions, ...second.redemptions.filter((r) => !ids.has(r.id))];
    // A redemption requested while a new Zap's first polls were still reading a long list to its
    // end is in this baseline, so this trigger never fires it (the still-waiting trigger reports
    // it): the hints are the connection's, and nothing tells this Zap's polls from another's or
    // from the same Zap turned off and on, so leaving anything out could fire the backlog.
    return both;
  } catch (error) {
    if (error instanceof UnreadableListError) throw unreadable(error.message);
    throw error;
  }
};
