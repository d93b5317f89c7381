/**
 * Is a delivered redemption really pending? Three outcomes, kept apart, because a halted run is
 * silent in Zapier and an errored one is not:
 * - confirmed / decided: the API's own record, read in this run, says pending / decided;
 * - absent: this run read the whole list and it cannot have skipped the id: two whole reads agree
 *   (the list did not move between them) and neither holds it, the last at the last re-check (a run
 *   whose budget ends before that re-check has proven nothing: the API may list the id later);
 * - unknown: anything less (a list too long for one run, too slow, moving, or unreadable): the
 *   hook errors and says what will pick the redemption up.
 * Other runs' reads (shared as hints) only spare early re-checks; a halt rests on this run's own
 * two reads.
 */
import { clock, MIN_REQUEST_MS } from '../../shared/deadline';
import type { RewardRedemption } from '../redemption';
import { type HintStore, type Hints, learn } from './hints';
import {
  FIRST_PAGE,
  idsOf,
  isStillPending,
  type ListRead,
  MAX_REQUESTS_PER_RUN,
  type Page,
  type PageSource,
  type RecordSource,
  type RunBudget,
  readFrom,
  readsAgree,
  UnreadableListError,
} from './list';
import { readRecent } from './recent';

/**
 * When the list is checked, from the delivery's arrival: a webhook can reach the Zap before the API
 * lists the redemption, so one the API lists up to ~20 s later still triggers.
 */
export const DEFAULT_RECHECK_AT_MS = [0, 5_000, 12_000, 20_000];

/**
 * The schedule, or one from `INFLUITIVE_VERIFY_RETRY_DELAYS_MS`, the waits between checks (the
 * local sandbox shortens them to "100,100").
 */
export const recheckSchedule = (): number[] => {
  const configured = process.env.INFLUITIVE_VERIFY_RETRY_DELAYS_MS;
  if (configured === undefined) return DEFAULT_RECHECK_AT_MS;
  const gaps = configured
    .split(',')
    .map((part) => Number(part.trim()))
    .filter((ms) => Number.isFinite(ms) && ms >= 0);
  let at = 0;
  return [0, ...gaps.map((gap) => (at += gap))];
};

/** Another run's whole read this recent stands in for an early re-check. */
export const SHARE_MS = 3_000;
const WAIT_STEP_MS = 1_000;
/** A new redemption is requested moments before its webhook: the front is read back this far. */
export const RECENT_MS = 10 * 60_000;
/** A run that waits for another's read keeps this long for its own last re-check. */
const RESERVE_MS = 8_000;

export type UnknownReason = 'requests' | 'recheck' | 'deadline' | 'moving' | 'unreadable';

export type Verdict =
  | { kind: 'confirmed' | 'decided'; redemption: RewardRedemption; checks: number }
  | { kind: 'absent'; checks: number; seconds: number }
  | { kind: 'unknown'; reason: UnknownReason; detail?: string; checks: number };

export interface PendingContext {
  source: PageSource;
  /** `GET /reward_redemptions/{id}`, asked first when the Zap says the hub answers it. */
  record?: RecordSource;
  hints: HintStore;
  budget: RunBudget;
}

type Look =
  | { kind: 'found'; redemption: RewardRedemption }
  | { kind: 'read'; ids: string[] }
  | { kind: 'shared' }
  | { kind: 'unknown'; reason: UnknownReason; detail?: string };

class Verification {
  private readonly wanted: Set<string>;
  private readonly arrivedAt = clock().now();
  /** The ids of this run's own whole reads, in time order: the only evidence a halt rests on. */
  readonly reads: string[][] = [];
  private waited = false;

  constructor(
    private readonly context: PendingContext,
    delivered: RewardRedemption,
  ) {
    this.wanted = new Set(idsOf(delivered));
  }

  private matches = (redemption: RewardRedemption): boolean =>
    idsOf(redemption).some((id) => this.wanted.has(id));

  private found(read: ListRead): Look | undefined {
    const redemption = read.redemptions.find(this.matches);
    return redemption && { kind: 'found', redemption };
  }

  /** One look: where new redemptions appear, then (or instead) the whole list. */
  async look(final: boolean): Promise<Look> {
    try {
      return await this.lookOrThrow(final);
    } catch (error) {
      if (!(error instanceof UnreadableListError)) throw error;
      return { kind: 'unknown', reason: 'unreadable', detail: error.message };
    }
  }

  private async lookOrThrow(final: boolean): Promise<Look> {
    const { source, budget, hints: store } = this.context;
    let hints = await store.load();
    const now = clock().now();
    // Another run's whole read since this delivery arrived stands in for an early re-check.
    const shared = hints.lastRead;
    const sharedAbsent =
      shared !== null &&
      shared.at >= this.arrivedAt &&
      now - shared.at <= SHARE_MS &&
      !shared.ids.some((id) => this.wanted.has(id));
    if (!final && sharedAbsent) return { kind: 'shared' };
    // Where new redemptions appear, read by every run without waiting: the front of a
    // newest-first list back to a little before this delivery arrived, the last two known pages
    // of an oldest-first one.
    let head: ListRead | undefined;
    let start: string | undefined;
    const hit = (page: Page) => page.redemptions.some(this.matches);
    if (hints.order === 'newest_first') {
      start = FIRST_PAGE;
      head = (await readRecent(source, budget, hints, this.arrivedAt - RECENT_MS, hit)).read;
    } else if (hints.order === 'oldest_first' && hints.resume === null) {
      start = (hints.tail.at(-2) ?? hints.tail.at(-1))?.url;
      if (start !== undefined) head = await readFrom(source, budget, start, hit);
    }
    if (head !== undefined && start !== undefined) {
      hints = learn(hints, head, start, now);
      const found = this.found(head);
      if (found || (start === FIRST_PAGE && head.complete)) {
        await store.save(hints);
        return found ?? this.whole(head);
      }
    }
    // A list known to be longer than one run can read is walked on by one run at a time (the
    // lock holder), and no read of it can prove an id absent.
    const long =
      hints.resume !== null || (hints.tail[0] !== undefined && hints.tail[0].url !== FIRST_PAGE);
    // The last look is this run's own; the earlier ones share one reader among a burst.
    if (!final || long) {
      if ((await store.claimRead()) === 'theirs') {
        if (this.waited || final) return { kind: 'unknown', reason: 'requests' };
        this.waited = true;
        await this.waitForOthers();
        return this.look(final);
      }
    }
    try {
      // A first page already read in this look is not read again: the whole read goes on from it.
      const prefix = head !== undefined && start === FIRST_PAGE ? head : undefined;
      return await this.readWhole(hints, prefix);
    } finally {
      await store.releaseRead();
    }
  }

  /** A whole read of the list from its first page, kept as evidence. */
  private whole(read: ListRead): Look {
    const ids = read.redemptions.flatMap(idsOf);
    this.reads.push(ids);
    return { kind: 'read', ids };
  }

  private async readWhole(hints: Hints, prefix: ListRead | undefined): Promise<Look> {
    const { source, budget, hints: store } = this.context;
    // A long list is read on from where an earlier run stopped; that proves nothing absent.
    const from = hints.resume ?? prefix?.next ?? FIRST_PAGE;
    const part = await readFrom(source, budget, from, (page, pages) => {
      const hit = page.redemptions.some(this.matches);
      // Newest first, stop at the match; otherwise read on to the end, so later deliveries
      // know the tail and read only that.
      return hit && (hints.order === 'newest_first' || pages.length === 1);
    });
    const joined = from === prefix?.next && prefix !== undefined;
    const read: ListRead = joined
      ? {
          ...part,
          pages: [...prefix.pages, ...part.pages],
          redemptions: [...prefix.redemptions, ...part.redemptions],
        }
      : part;
    const readFromStart = joined || from === FIRST_PAGE;
    await store.save(learn(hints, read, readFromStart ? FIRST_PAGE : from, clock().now()));
    const hit = this.found(read);
    if (hit) return hit;
    if (read.complete && readFromStart) return this.whole(read);
    return { kind: 'unknown', reason: read.stop === 'deadline' ? 'deadline' : 'requests' };
  }

  /**
   * Waits while another run reads the whole list: the reader saves what it read, then lets go of
   * its lock, so one cache call a step tells when to look again (the look loads the hints).
   */
  private async waitForOthers(): Promise<void> {
    const { budget, hints: store } = this.context;
    while (budget.deadline.remainingMs() > RESERVE_MS) {
      await clock().sleep(WAIT_STEP_MS);
      if (!(await store.othersReading())) return;
    }
  }

  /** Absent only when the last two whole reads agree and neither holds the id. */
  proven(): boolean {
    const [before, last] = this.reads.slice(-2);
    return before !== undefined && last !== undefined && readsAgree(before, last);
  }
}

/**
 * Confirms the delivered redemption through the API, re-checking an id it does not list yet until
 * the last scheduled re-check, within the run's budget.
 */
export const verifyPending = async (
  context: PendingContext,
  delivered: RewardRedemption,
): Promise<Verdict> => {
  const { budget } = context;
  // The hub's own record of this one redemption is exact evidence, in one request: pending
  // confirms it, a decided status halts it. Not answered (404: not listed yet, or forged), the
  // pending list decides as usual.
  if (context.record) {
    const wanted = new Set(idsOf(delivered));
    const record = await context.record(delivered.id, budget);
    if (record && idsOf(record).some((id) => wanted.has(id))) {
      return {
        kind: isStillPending(record) ? 'confirmed' : 'decided',
        redemption: record,
        checks: 1,
      };
    }
  }
  const run = new Verification(context, delivered);
  const schedule = recheckSchedule().filter(
    (at, index) => index === 0 || at <= budget.deadline.budgetMs - 4 * MIN_REQUEST_MS,
  );
  let last: Look = { kind: 'unknown', reason: 'deadline' };
  let checks = 0;
  /** Whether the last scheduled re-check was made: reads before it prove nothing absent. */
  let lookedLast = false;
  for (const [index, at] of schedule.entries()) {
    await budget.deadline.waitUntil(at);
    if (budget.blocked()) break;
    const final = index === schedule.length - 1;
    last = await run.look(final);
    checks += 1;
    lookedLast = final;
    if (last.kind === 'found') {
      const kind = isStillPending(last.redemption) ? 'confirmed' : 'decided';
      return { kind, redemption: last.redemption, checks };
    }
    if (last.kind === 'unknown' && last.reason === 'unreadable') break;
  }
  // The list moved between the last two reads: one more, at once, while the budget allows.
  if (last.kind === 'read' && !run.proven() && !budget.blocked()) {
    last = await run.look(true);
    if (last.kind === 'found') {
      const kind = isStillPending(last.redemption) ? 'confirmed' : 'decided';
      return { kind, redemption: last.redemption, checks: checks + 1 };
    }
  }
  if (last.kind === 'read' && run.proven() && !lookedLast) {
    // Two reads agreed, but early: a redemption the API lists a few seconds after its webhook
    // would have shown at a re-check this run could not make.
    const blocked = budget.blocked();
    return { kind: 'unknown', reason: blocked === 'requests' ? 'recheck' : 'deadline', checks };
  }
  if (last.kind === 'read' && run.proven()) {
    return {
      kind: 'absent',
      checks,
      seconds: Math.round(budget.deadline.elapsedMs() / 1000),
    };
  }
  if (last.kind === 'unknown') {
    return {
      kind: 'unknown',
      reason: last.reason,
      checks,
      ...(last.detail ? { detail: last.detail } : {}),
    };
  }
  return {
    kind: 'unknown',
    reason: last.kind === 'read' ? 'moving' : (budget.blocked() ?? 'deadline'),
    checks,
  };
};

/** What could not be told, in words. */
export const unknownReason = (verdict: Extract<Verdict, { kind: 'unknown' }>): string => {
  switch (verdict.reason) {
    case 'requests':
      return `the pending list is longer than one run may read (${MAX_REQUESTS_PER_RUN} requests, to stay inside Influitive's firewall limit of 200 requests per 5 minutes), so it could not be read to its end; later runs read on from where this one stopped`;
    case 'recheck':
      return `reading the whole pending list used this run's ${MAX_REQUESTS_PER_RUN} requests (to stay inside Influitive's firewall limit of 200 requests per 5 minutes) before its last re-check, ${Math.round((recheckSchedule().at(-1) ?? 0) / 1000)} s after the webhook arrived, and Influitive can list a new redemption some seconds after its webhook, so it may still appear`;
    case 'moving':
      return 'the pending list changed while it was read (redemptions were decided or added between page reads), so a read could have skipped it; a halt needs two reads that agree';
    case 'unreadable':
      return `Influitive's pending list cannot be read: ${verdict.detail ?? 'it never ends'}`;
    default:
      return "Influitive did not answer fast enough to read the pending list to its end before this run's deadline (25 s of Zapier's 30 s)";
  }
};
