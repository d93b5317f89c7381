/**
 * Is a delivered redemption really pending? Three outcomes, kept apart, because a halted run is
 * silent in Zapier and an errored one is not:
 * - confirmed: the API's own record, read in this run, is pending → the Zap runs with that record;
 * - not pending, proven: the API's record says it was decided, or its whole list was read and the
 *   id is not there, at every re-check up to the deadline → halt (a stranger can post that);
 * - could not tell: the list could not be read to its end (too long for one run, too slow) → an
 *   error that says what happened, so a genuine reward is never lost without a word.
 */

import { clock, MIN_REQUEST_MS } from '../shared/deadline';
import { detectListOrder } from './list-order';
import {
  canProveAbsence,
  FIRST_PAGE,
  growingEndKnown,
  idsOf,
  isStillPending,
  MAX_REQUESTS_PER_RUN,
  type PendingReader,
  SHARE_WINDOW_MS,
  type WalkResult,
} from './pending-redemptions';
import type { RewardRedemption } from './redemption';

/**
 * Gaps between re-checks of an id the API does not list yet: checks at 0, 1.5, 4, 7.5, 12, 17 and
 * 22.5 s of the run, so a redemption the API lists up to ~20 s after its webhook still triggers.
 */
export const DEFAULT_RECHECK_GAPS_MS = [1_500, 2_500, 3_500, 4_500, 5_000, 5_500];

/** The gaps, or `INFLUITIVE_VERIFY_RETRY_DELAYS_MS` (the local sandbox shortens them). */
export const recheckGaps = (): number[] => {
  const configured = process.env.INFLUITIVE_VERIFY_RETRY_DELAYS_MS;
  if (configured === undefined) return DEFAULT_RECHECK_GAPS_MS;
  return configured
    .split(',')
    .map((part) => Number(part.trim()))
    .filter((ms) => Number.isFinite(ms) && ms >= 0);
};

export type Verdict =
  | { kind: 'confirmed' | 'decided'; redemption: RewardRedemption; checks: number }
  | { kind: 'absent'; checks: number; seconds: number }
  | { kind: 'unknown'; reason: 'requests' | 'deadline'; checks: number };

type Check =
  | { kind: 'retry' }
  | { kind: 'found'; redemption: RewardRedemption }
  | { kind: 'absent' }
  | { kind: 'unknown'; reason: 'requests' | 'deadline' };

/**
 * One look: the page the layout says holds the id (and its neighbours, as pages shift), then the
 * growing end of a proven layout, then the whole list from the first page.
 */
const checkOnce = async (
  reader: PendingReader,
  wanted: Set<string>,
  matches: (redemption: RewardRedemption) => boolean,
  mayWaitForOthers: boolean,
): Promise<Check> => {
  const layout = await reader.reloadLayout();
  const knownAt = layout
    ? layout.pages.findIndex((page) => page.ids.some((id) => wanted.has(id)))
    : -1;

  if (layout && knownAt >= 0) {
    for (const index of [knownAt, knownAt + 1, knownAt - 1]) {
      const page = layout.pages[index];
      if (page === undefined || reader.blocked()) continue;
      const read = await reader.readPage(page.url);
      const found = read.redemptions.find(matches);
      if (found) return { kind: 'found', redemption: found };
    }
  }

  if (layout && knownAt < 0 && growingEndKnown(layout)) {
    const proven = canProveAbsence(layout);
    const shared =
      proven &&
      layout.grownAt !== null &&
      layout.grownAt >= reader.deadline.startedAt &&
      clock().now() - layout.grownAt < SHARE_WINDOW_MS;
    // Another run read the growing end since this delivery arrived, and the id was not there.
    if (shared) return { kind: 'absent' };
    const grown = await reader.readGrowingEnd(layout, matches);
    const found = grown.redemptions.find(matches);
    if (found) return { kind: 'found', redemption: found };
    if (grown.covered && proven) return { kind: 'absent' };
  }

  // A list known to be longer than one run can read is not walked again from the start: that
  // could not prove anything and would spend the firewall's budget on every unknown id.
  if (layout?.complete && layout.pages.length > reader.maxRequests) {
    return { kind: 'unknown', reason: 'requests' };
  }
  const blocked = reader.blocked();
  if (blocked) return { kind: 'unknown', reason: blocked };
  // An unfinished walk of a long list continues where an earlier run stopped.
  const resume = layout && !layout.complete && layout.resumeUrl ? layout.resumeUrl : null;
  // A burst of deliveries walks the list once: the others use what that walk found.
  if (mayWaitForOthers && (await reader.awaitOthersWalk()) === 'theirs') return { kind: 'retry' };
  let walk: WalkResult;
  try {
    walk = await reader.walk(resume ?? FIRST_PAGE, {
      // Stop at the match unless the list is oldest first: its end is a page or two further, and
      // a walk to the end gives every later delivery a known tail to read instead.
      until: (_page, _index, read) =>
        read.some(matches) && detectListOrder(read.map((r) => r.requested_at)) !== 'oldest_first',
    });
    if (walk.complete || resume !== null || layout === undefined) {
      await reader.recordWalk(walk, resume === null);
    }
  } finally {
    await reader.releaseWalkLock();
  }
  const found = walk.redemptions.find(matches);
  if (found) return { kind: 'found', redemption: found };
  if (walk.complete && resume === null) return { kind: 'absent' };
  return { kind: 'unknown', reason: walk.stop === 'deadline' ? 'deadline' : 'requests' };
};

/**
 * Confirms the delivered redemption through the API, re-checking an id it does not list yet
 * (webhooks can beat the API) until the run's deadline.
 */
export const verifyPending = async (
  reader: PendingReader,
  delivered: RewardRedemption,
): Promise<Verdict> => {
  const wanted = new Set(idsOf(delivered));
  const matches = (r: RewardRedemption) => idsOf(r).some((id) => wanted.has(id));
  let last: Check | undefined;
  let checks = 0;
  let at = 0;
  for (const gap of [0, ...recheckGaps()]) {
    at += gap;
    // A check that could not finish before the deadline is not started.
    if (at > 0 && at > reader.deadline.budgetMs - 2 * MIN_REQUEST_MS) break;
    await reader.deadline.waitUntil(at);
    if (reader.blocked()) break;
    last = await checkOnce(reader, wanted, matches, true);
    // Another run walked the list meanwhile: look again with what it found, once.
    if (last.kind === 'retry') last = await checkOnce(reader, wanted, matches, false);
    checks += 1;
    if (last.kind === 'found') {
      const { redemption } = last;
      const kind = isStillPending(redemption) ? 'confirmed' : 'decided';
      return { kind, redemption, checks };
    }
  }
  if (last?.kind === 'absent') {
    return {
      kind: 'absent',
      checks,
      seconds: Math.round(reader.deadline.elapsedMs() / 1000),
    };
  }
  return {
    kind: 'unknown',
    reason: last?.kind === 'unknown' ? last.reason : (reader.blocked() ?? 'deadline'),
    checks,
  };
};

/** What could not be told, in words, with what to do. */
export const unknownReason = (verdict: Extract<Verdict, { kind: 'unknown' }>): string =>
  verdict.reason === 'requests'
    ? `the pending list is longer than one run may read (${MAX_REQUESTS_PER_RUN} requests, to stay inside Influitive's firewall limit of 200 requests per 5 minutes), so it could not be read to its end; later runs continue where this one stopped`
    : `Influitive did not answer fast enough to read the pending list to its end before this run's deadline (25 s of Zapier's 30 s)`;
