/**
 * Reading Influitive's pending list (`GET /reward_redemptions`) without assuming what the public
 * record does not say: its order (read from the data), its page size, or its length.
 *
 * Every run works to one deadline and one request cap. A per-connection *layout* in `z.cache`
 * remembers the order and which page held which id, so a run reads only where a new redemption can
 * be: the front of a newest-first list, the tail of an oldest-first one. A burst of webhooks or
 * polls shares that work, and a forged id cannot make every delivery read the whole list. When the
 * cache is down every run reads directly, within the same cap.
 */

import { cacheDelete, cacheGet } from '../shared/cache';
import { clock, Deadline } from '../shared/deadline';
import { scrubSecrets, secretsOf } from '../shared/secrets';
import { type Bundle, isJsonObject, type ZObject } from '../shared/types';
import { callInfluitive, requestTimeoutMs } from './client';
import { detectListOrder, type ListOrder } from './list-order';
import {
  normalizeRedemption,
  RedemptionShapeError,
  type RewardRedemption,
  redemptionsFromPage,
} from './redemption';

export const FIRST_PAGE = '/reward_redemptions';
/**
 * At most this many list requests per run (1,000 redemptions at Influitive's 25 a page): a run
 * stays well inside Zapier's 30 s and Influitive's 200 requests per IP in 5 minutes.
 */
export const MAX_REQUESTS_PER_RUN = 40;
/** How long the layout is kept, and trusted to prove an id absent. */
export const LAYOUT_TTL_SECONDS = 30 * 60;
/** A read of the growing end this recent serves every other run on the connection. */
export const SHARE_WINDOW_MS = 3_000;
export const LAYOUT_CACHE_KEY = 'influitive-pending-layout-v1';
/** Held by the one run that walks the whole list, so a burst of deliveries walks it once. */
export const WALK_LOCK_KEY = 'influitive-pending-walk';
const WALK_LOCK_SECONDS = 30;
/** How long a run waits for another run's walk before walking itself. */
const WALK_WAIT_MS = 8_000;
const WALK_POLL_MS = 500;

/** Statuses that mean a redemption was already decided and must not be rewarded again. */
const DECIDED_STATUSES = new Set([
  'fulfilled',
  'refused',
  'rejected',
  'approved',
  'declined',
  'cancelled',
  'canceled',
  'completed',
  'shipped',
  'delivered',
  'expired',
]);

export const isStillPending = (redemption: RewardRedemption): boolean =>
  !DECIDED_STATUSES.has(redemption.status.trim().toLowerCase());

export interface LayoutPage {
  url: string;
  ids: string[];
}

/** What one connection knows of its hub's pending list; kept in `z.cache` as a hint. */
export interface PendingLayout {
  v: 1;
  order: ListOrder;
  /** The pages in the API's order, as last read; ids added later are folded in. */
  pages: LayoutPage[];
  /** The pages reach the end of the list. */
  complete: boolean;
  /** Read from the first page to the end within one run, so an id missing from it was not pending. */
  provenAt: number | null;
  /** The last time a run read the growing end and joined it to the known pages. */
  grownAt: number | null;
  /** Where an unfinished walk continues. */
  resumeUrl: string | null;
  /** When it was last written. */
  savedAt: number;
}

export type StopReason = 'end' | 'match' | 'requests' | 'deadline';

export interface WalkResult {
  pages: LayoutPage[];
  redemptions: RewardRedemption[];
  /** The last page read had no next link. */
  complete: boolean;
  stop: StopReason;
  next: string | null;
}

/** The `links.next` of a page, or null at the end of the list. */
export const nextLink = (body: unknown): string | null => {
  if (!isJsonObject(body) || !isJsonObject(body.links)) return null;
  const next = body.links.next;
  return typeof next === 'string' && next.trim() !== '' ? next.trim() : null;
};

/** The id and, when the API gives one, the uuid: a webhook may name the redemption by either. */
export const idsOf = (redemption: RewardRedemption): string[] => {
  const uuid = typeof redemption.uuid === 'string' ? redemption.uuid.trim() : '';
  return uuid === '' || uuid === redemption.id ? [redemption.id] : [redemption.id, uuid];
};

const isLayout = (value: unknown): value is PendingLayout =>
  isJsonObject(value) && value.v === 1 && Array.isArray(value.pages);

/**
 * One run's reader: its deadline, its request cap, and what it has read. Only pages it read
 * itself count as the API's word; the layout only says where to look.
 */
export class PendingReader {
  requests = 0;
  readonly deadline: Deadline;
  layout: PendingLayout | undefined;
  private layoutLoaded = false;

  constructor(
    private readonly z: ZObject,
    private readonly bundle: Bundle,
    options: { deadline?: Deadline; maxRequests?: number } = {},
  ) {
    this.deadline = options.deadline ?? new Deadline();
    this.maxRequests = options.maxRequests ?? MAX_REQUESTS_PER_RUN;
  }

  readonly maxRequests: number;

  /** Why no further request can be made, or undefined when one can. */
  blocked(): 'requests' | 'deadline' | undefined {
    if (this.requests >= this.maxRequests) return 'requests';
    if (this.deadline.spent()) return 'deadline';
    return undefined;
  }

  /** One page, normalised. Items without an id are logged and skipped. */
  async readPage(
    url: string,
  ): Promise<{ page: LayoutPage; redemptions: RewardRedemption[]; next: string | null }> {
    this.requests += 1;
    const { data } = await callInfluitive(this.z, this.bundle, {
      method: 'GET',
      path: url,
      timeoutMs: this.deadline.timeoutFor(requestTimeoutMs()),
    });
    const listed = redemptionsFromPage(data);
    const redemptions: RewardRedemption[] = [];
    for (const raw of listed.redemptions) {
      try {
        redemptions.push(
          normalizeRedemption(raw, {
            contacts: listed.contacts,
            defaultStatus: 'pending',
            orgId: this.bundle.authData.org_id,
          }),
        );
      } catch (error) {
        if (!(error instanceof RedemptionShapeError)) throw error;
        this.z.console.log(
          scrubSecrets(
            `Skipped a pending redemption Influitive listed: ${error.message}`,
            secretsOf(this.bundle),
          ),
        );
      }
    }
    return { page: { url, ids: redemptions.flatMap(idsOf) }, redemptions, next: nextLink(data) };
  }

  /**
   * Follows `links.next` from `from` until the end, a match, `until` says stop after a page, the
   * request cap or the deadline.
   */
  async walk(
    from: string,
    options: {
      stopWhen?: (redemption: RewardRedemption) => boolean;
      until?: (page: LayoutPage, index: number, read: readonly RewardRedemption[]) => boolean;
    } = {},
  ): Promise<WalkResult> {
    const pages: LayoutPage[] = [];
    const redemptions: RewardRedemption[] = [];
    let url: string | null = from;
    while (url !== null) {
      const blocked = this.blocked();
      if (blocked) return { pages, redemptions, complete: false, stop: blocked, next: url };
      const read = await this.readPage(url);
      pages.push(read.page);
      redemptions.push(...read.redemptions);
      url = read.next;
      if (options.stopWhen && read.redemptions.some(options.stopWhen)) {
        return { pages, redemptions, complete: url === null, stop: 'match', next: url };
      }
      if (url !== null && options.until?.(read.page, pages.length - 1, redemptions)) {
        return { pages, redemptions, complete: false, stop: 'match', next: url };
      }
    }
    return { pages, redemptions, complete: true, stop: 'end', next: null };
  }

  /** The connection's layout, or undefined when there is none or the cache is unavailable. */
  async loadLayout(): Promise<PendingLayout | undefined> {
    if (this.layoutLoaded) return this.layout;
    this.layoutLoaded = true;
    try {
      const stored = await cacheGet(this.z, LAYOUT_CACHE_KEY);
      this.layout = isLayout(stored) ? stored : undefined;
    } catch (error) {
      this.z.console.log(
        `Reading the pending list directly: Zapier's cache is unavailable (${(error as Error).message}).`,
      );
      this.layout = undefined;
    }
    return this.layout;
  }

  /** Re-reads the layout another run may have updated since this one loaded it. */
  async reloadLayout(): Promise<PendingLayout | undefined> {
    this.layoutLoaded = false;
    return this.loadLayout();
  }

  async saveLayout(fields: Omit<PendingLayout, 'savedAt'>): Promise<void> {
    const layout = { ...fields, savedAt: clock().now() };
    this.layout = layout;
    try {
      await this.z.cache.set(LAYOUT_CACHE_KEY, layout, LAYOUT_TTL_SECONDS, ['auth']);
    } catch (error) {
      this.z.console.log(
        `Could not keep the pending list's layout in Zapier's cache (${(error as Error).message}).`,
      );
    }
  }

  private holdsWalkLock = false;

  /**
   * Before walking the whole list: 'mine' when this run should walk it, 'theirs' when another run
   * that was already walking it has since saved what it found (then read that instead). Without
   * the cache, every run walks for itself.
   */
  async awaitOthersWalk(): Promise<'mine' | 'theirs'> {
    let claimed: boolean | null;
    try {
      claimed = await this.z.cache.set(
        WALK_LOCK_KEY,
        { at: clock().now() },
        WALK_LOCK_SECONDS,
        ['auth'],
        true,
      );
    } catch {
      return 'mine';
    }
    this.holdsWalkLock = claimed === true;
    if (claimed !== false) return 'mine';
    const until = this.deadline.elapsedMs() + WALK_WAIT_MS;
    while (this.deadline.elapsedMs() < until && !this.deadline.spent()) {
      await this.deadline.waitUntil(this.deadline.elapsedMs() + WALK_POLL_MS);
      const layout = await this.reloadLayout();
      if (layout !== undefined && layout.savedAt >= this.deadline.startedAt) return 'theirs';
    }
    return 'mine';
  }

  async releaseWalkLock(): Promise<void> {
    if (!this.holdsWalkLock) return;
    this.holdsWalkLock = false;
    try {
      await cacheDelete(this.z, WALK_LOCK_KEY);
    } catch {
      // It expires on its own within WALK_LOCK_SECONDS.
    }
  }

  /** The layout after a walk from the first page (complete or not). */
  async recordWalk(walk: WalkResult, startedFromFirstPage: boolean): Promise<void> {
    const now = clock().now();
    const order = detectListOrder(walk.redemptions.map((r) => r.requested_at));
    const previous = this.layout;
    const resumed = !startedFromFirstPage && previous !== undefined;
    await this.saveLayout({
      v: 1,
      order: order === 'unknown' && previous ? previous.order : order,
      pages: resumed ? [...previous.pages, ...walk.pages] : walk.pages,
      complete: walk.complete,
      provenAt: walk.complete && startedFromFirstPage ? now : null,
      grownAt: walk.complete ? now : null,
      // Only a walk cut short by the cap or the deadline is continued; one that stopped at a match
      // is simply read from the start next time.
      resumeUrl: walk.complete || walk.stop === 'match' ? null : walk.next,
    });
  }

  /**
   * Reads where new redemptions appear, until the pages read join the known ones: from the front
   * of a newest-first list until a page holds a known id; from the tail of an oldest-first list,
   * stepping back until a page starts with a known id. `covered` is false when they could not be
   * joined within the cap or the deadline (then nothing is proven).
   */
  async readGrowingEnd(
    layout: PendingLayout,
    stopWhen?: (redemption: RewardRedemption) => boolean,
  ): Promise<{ redemptions: RewardRedemption[]; covered: boolean }> {
    const known = new Set(layout.pages.flatMap((page) => page.ids));
    if (layout.order === 'newest_first') {
      const walk = await this.walk(FIRST_PAGE, {
        stopWhen,
        until: (page) => page.ids.some((id) => known.has(id)),
      });
      const joined = walk.complete || walk.pages.some((p) => p.ids.some((id) => known.has(id)));
      const found = stopWhen ? walk.redemptions.some(stopWhen) : false;
      if (joined || found) await this.recordGrowth(layout, walk.pages, 'front', joined);
      return { redemptions: walk.redemptions, covered: joined };
    }
    // Oldest first: start at the last known page and step back until the first id read is known.
    for (let index = layout.pages.length - 1; index >= 0; index -= 1) {
      const start = layout.pages[index];
      if (start === undefined) break;
      const walk = await this.walk(start.url, { stopWhen });
      const found = stopWhen ? walk.redemptions.some(stopWhen) : false;
      const first = walk.pages[0]?.ids[0];
      const joined = walk.complete && (index === 0 || (first !== undefined && known.has(first)));
      if (joined || found) {
        await this.recordGrowth(layout, walk.pages, index, joined);
        return { redemptions: walk.redemptions, covered: joined };
      }
      if (walk.stop === 'requests' || walk.stop === 'deadline') break;
    }
    return { redemptions: [], covered: false };
  }

  /** Folds pages read at the growing end into the layout. */
  private async recordGrowth(
    layout: PendingLayout,
    pages: LayoutPage[],
    at: 'front' | number,
    joined: boolean,
  ): Promise<void> {
    const fresh = new Set(pages.flatMap((page) => page.ids));
    const rest = (list: LayoutPage[]) =>
      list.map((page) => ({ url: page.url, ids: page.ids.filter((id) => !fresh.has(id)) }));
    await this.saveLayout({
      ...layout,
      pages:
        at === 'front'
          ? [...pages, ...rest(layout.pages)]
          : [...rest(layout.pages.slice(0, at)), ...pages],
      grownAt: joined ? clock().now() : layout.grownAt,
    });
  }
}

/**
 * Where new redemptions appear is known: the front of a newest-first list (any known page will do
 * to join up with), or the tail of an oldest-first list read to its end.
 */
export const growingEndKnown = (layout: PendingLayout): boolean =>
  (layout.order === 'newest_first' && layout.pages.some((page) => page.ids.length > 0)) ||
  (layout.order === 'oldest_first' && layout.complete);

/** A layout complete enough that an id missing from it, and from its growing end, was not pending. */
export const canProveAbsence = (layout: PendingLayout | undefined): layout is PendingLayout =>
  layout?.complete === true &&
  layout.provenAt !== null &&
  layout.order !== 'unknown' &&
  clock().now() - layout.provenAt < LAYOUT_TTL_SECONDS * 1000;

export interface PendingList {
  redemptions: RewardRedemption[];
  /** The whole list was read. */
  complete: boolean;
  requests: number;
}

/**
 * The pending redemptions from the first page, for searches and dropdowns: to the end, to the
 * first match of `stopWhen`, or to `maxPages`, within one run's deadline and request cap.
 */
export const fetchPendingRedemptions = async (
  z: ZObject,
  bundle: Bundle,
  options: { stopWhen?: (redemption: RewardRedemption) => boolean; maxPages?: number } = {},
): Promise<PendingList> => {
  const reader = new PendingReader(z, bundle, {
    maxRequests: Math.min(options.maxPages ?? MAX_REQUESTS_PER_RUN, MAX_REQUESTS_PER_RUN),
  });
  const walk = await reader.walk(FIRST_PAGE, { stopWhen: options.stopWhen });
  if (walk.complete) {
    await reader.loadLayout();
    await reader.recordWalk(walk, true);
  }
  return { redemptions: walk.redemptions, complete: walk.complete, requests: reader.requests };
};
