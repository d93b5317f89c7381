/**
 * What one connection remembers of its hub's pending list between runs, in `z.cache`: the list's
 * order, the URLs of its last pages, where an unfinished read continues, and the ids of the last
 * whole read. Hints say where to look, never what is true: a halt or a poll's window always rests
 * on pages read in the run itself. The state is bounded (at most MAX_TAIL_PAGES URLs and
 * MAX_SHARED_IDS ids), whatever the number of runs.
 */
import {
  CacheUnavailableError,
  type Claim,
  cacheGet,
  cacheSet,
  claimKey,
  releaseClaim,
} from '../../shared/cache';
import type { Deadline } from '../../shared/deadline';
import { isJsonObject, type ZObject } from '../../shared/types';
import { requestedMs } from '../redemption';
import { FIRST_PAGE, idsOf, type ListRead, type Page } from './list';
import { detectListOrder, type ListOrder } from './order';

export const HINTS_KEY = 'influitive-pending-hints-v2';
export const READ_LOCK_KEY = 'influitive-pending-read-lock';
/** Kept an hour after the last write; a lost hint costs one longer read, nothing else. */
export const HINTS_TTL_SECONDS = 60 * 60;
/** Held by the one run that reads the whole list, so a burst of deliveries reads it once. */
export const READ_LOCK_SECONDS = 30;
export const MAX_TAIL_PAGES = 40;
export const MAX_SHARED_IDS = 1_000;

export interface TailPage {
  url: string;
  /** The request date (ms) of the page's first dated redemption when it was read. */
  first: number | null;
}

export interface Hints {
  v: 2;
  order: ListOrder;
  /** The list's last pages as last read, in list order; the first is the list's first page when short. */
  tail: TailPage[];
  /** Where an unfinished read of a long list continues. */
  resume: string | null;
  /** The ids of the last whole read and when it ended. */
  lastRead: { at: number; ids: string[] } | null;
  savedAt: number;
}

export const emptyHints = (): Hints => ({
  v: 2,
  order: 'unknown',
  tail: [],
  resume: null,
  lastRead: null,
  savedAt: 0,
});

const isHints = (value: unknown): value is Hints =>
  isJsonObject(value) && value.v === 2 && Array.isArray(value.tail);

/** The hints as stored, with any field a older version of this app did not write filled in. */
const withDefaults = (stored: Hints): Hints => ({ ...emptyHints(), ...stored });

const firstDate = (page: Page): number | null => {
  for (const redemption of page.redemptions) {
    const at = requestedMs(redemption);
    if (!Number.isNaN(at)) return at;
  }
  return null;
};

/**
 * What a read teaches (pure). `from` is where it started: the first page, the resume link, or a
 * tail page. A read that reached the end gives the tail; one cut short gives where to continue.
 */
export const learn = (previous: Hints, read: ListRead, from: string, now: number): Hints => {
  const fromFirst = from === FIRST_PAGE;
  const seen = detectListOrder(read.redemptions.map((r) => r.requested_at));
  // A whole read with mixed dates says the list is not sorted; a short read says nothing new.
  const order = seen !== 'unknown' ? seen : fromFirst && read.complete ? 'unknown' : previous.order;
  const pages = read.pages.map((page) => ({ url: page.url, first: firstDate(page) }));
  const continuing = fromFirst || from === previous.resume;
  if (!read.complete) {
    const walking = continuing && read.stop !== 'match';
    return {
      ...previous,
      order,
      // The pages of an unfinished walk of a long list are kept (the last MAX_TAIL_PAGES): once
      // it reaches the end, they are the tail.
      tail: walking
        ? [...(fromFirst ? [] : previous.tail), ...pages].slice(-MAX_TAIL_PAGES)
        : previous.tail,
      resume: walking ? read.next : previous.resume,
      savedAt: now,
    };
  }
  const at = previous.tail.findIndex((page) => page.url === from);
  const before = fromFirst
    ? []
    : at >= 0
      ? previous.tail.slice(0, at)
      : continuing
        ? previous.tail
        : [];
  const ids = read.redemptions.flatMap(idsOf);
  return {
    v: 2,
    order,
    tail: [...before, ...pages].slice(-MAX_TAIL_PAGES),
    resume: null,
    lastRead: fromFirst && ids.length <= MAX_SHARED_IDS ? { at: now, ids } : previous.lastRead,
    savedAt: now,
  };
};

/**
 * Where a read of the growing end of an oldest-first list starts: the last tail page whose first
 * redemption was requested before `since`, else the earliest tail page known.
 */
export const tailStartFor = (hints: Hints, since: number): string | undefined => {
  // Until a walk of a long list reaches its end, its pages are not the tail.
  if (hints.resume !== null) return undefined;
  for (let index = hints.tail.length - 1; index >= 0; index -= 1) {
    const page = hints.tail[index];
    if (page && page.first !== null && page.first < since) return page.url;
  }
  return hints.tail[0]?.url;
};

/** The hints of one connection in `z.cache`, every call bounded by the run's deadline. */
export class HintStore {
  private lock: Claim | undefined;
  /** False once a call to the cache failed in this run. */
  available = true;

  constructor(
    private readonly z: ZObject,
    private readonly deadline: Deadline,
  ) {}

  async load(): Promise<Hints> {
    try {
      const stored = await cacheGet(this.z, HINTS_KEY, { deadline: this.deadline });
      return isHints(stored) ? withDefaults(stored) : emptyHints();
    } catch (error) {
      this.available = false;
      this.z.console.log(`Reading the pending list without hints: ${(error as Error).message}.`);
      return emptyHints();
    }
  }

  async save(hints: Hints): Promise<void> {
    try {
      await cacheSet(this.z, HINTS_KEY, hints, HINTS_TTL_SECONDS, { deadline: this.deadline });
    } catch (error) {
      this.available = false;
      this.z.console.log(`Could not keep the pending list's hints: ${(error as Error).message}.`);
    }
  }

  /**
   * Before reading the whole list: `mine` when this run should read it (it holds the lock, or the
   * cache cannot say), `theirs` while another run holds it.
   */
  async claimRead(): Promise<'mine' | 'theirs'> {
    const claim = await claimKey(this.z, READ_LOCK_KEY, READ_LOCK_SECONDS, {
      deadline: this.deadline,
    });
    if (claim.outcome === 'repeat') return 'theirs';
    if (claim.outcome === 'first') this.lock = claim;
    return 'mine';
  }

  /** True while another run's read lock is held. */
  async othersReading(): Promise<boolean> {
    try {
      return (await cacheGet(this.z, READ_LOCK_KEY, { deadline: this.deadline })) !== undefined;
    } catch (error) {
      if (error instanceof CacheUnavailableError) return false;
      throw error;
    }
  }

  async releaseRead(): Promise<void> {
    if (this.lock === undefined) return;
    const lock = this.lock;
    this.lock = undefined;
    await releaseClaim(this.z, lock, { deadline: this.deadline });
  }
}
