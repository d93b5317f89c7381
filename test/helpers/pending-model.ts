/**
 * In-memory models for the pending-list simulation: an Influitive hub whose pending list is paged
 * by offset (`?page=N`), so a redemption decided between two page reads makes the next read skip
 * one, and Zapier's cache as a fake `z` with the faults core's RPC client really produces. Both
 * run on the test clock; nothing waits in real time except the cache helper's own timeout on a
 * hanging call (shortened by ZAPIER_CACHE_TIMEOUT_MS).
 */
import { FIRST_PAGE, type Page, type PageSource } from '../../src/influitive/pending/list';
import { normalizeRedemption, type RewardRedemption } from '../../src/influitive/redemption';
import { clock } from '../../src/shared/deadline';
import type { ZObject } from '../../src/shared/types';
import { testClock } from './clock';

/** A small seeded PRNG (mulberry32): the model's own randomness replays with fast-check's seed. */
export class Prng {
  constructor(private state: number) {}
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(below: number): number {
    return Math.floor(this.next() * below);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

export type HubOrder = 'newest_first' | 'oldest_first' | 'other';
export type LinkFault = 'none' | 'self' | 'cycle' | 'endless';

export interface ModelRedemption {
  id: number;
  uuid: string;
  /** When the model created it (ms): the truth for "requested before the Zap was on". */
  createdAt: number;
  /** The date the API shows (whole seconds), or null for a hub that dates nothing. */
  requestedAt: number | null;
  /** The API lists it from this time on (a webhook can arrive before the list has it). */
  listedAt: number;
  decidedAt: number | null;
  record: RewardRedemption;
}

const TEMPLATE = normalizeRedemption(
  { id: 1, reward_id: 9, contact_id: 5, status: 'pending' },
  { defaultStatus: 'pending', orgId: 'org-sim' },
);

/** ISO 8601 with a -05:00 offset, as a hub in Toronto would send it. */
export const isoWithOffset = (ms: number): string =>
  `${new Date(ms - 5 * 3_600_000).toISOString().slice(0, 19)}-05:00`;

/** Statuses a pending redemption may be listed with; none of them means decided. */
export const PENDING_WORDS = ['pending', 'approved', 'in review', 'processing', 'requested'];

export interface HubOptions {
  order: HubOrder;
  pageSize: number;
  /** Equal request dates come back in a different order on every request. */
  shuffleTies?: boolean;
  /** False: the hub dates no redemption. */
  dated?: boolean;
  linkFault?: LinkFault;
  /** Latency of every list request, parked on the test clock. */
  latencyMs?: number;
  seed?: number;
}

export class ModelHub {
  readonly all = new Map<number, ModelRedemption>();
  /** Pending redemptions, ascending by (requestedAt, id). */
  private pending: ModelRedemption[] = [];
  private nextId = 70_001;
  private unlisted = 0;
  readonly rng: Prng;
  /** Runs before each page is answered: churn between page reads. */
  beforeAnswer: ((hub: ModelHub) => void) | undefined;
  requests = 0;
  /** Bumped by every request and decision: a run that sees it change read a moving list. */
  version = 0;

  constructor(readonly options: HubOptions) {
    this.rng = new Prng(options.seed ?? 1);
  }

  /** A redemption requested at `at` (default now), listed `listedAfterMs` later. */
  request(at = testClock.now(), options: { listedAfterMs?: number; status?: string } = {}) {
    const id = this.nextId++;
    this.version += 1;
    const seconds = Math.floor(at / 1000) * 1000;
    const dated = this.options.dated ?? true;
    const status = options.status ?? 'pending';
    const uuid = `rr-${id.toString(16)}-uuid`;
    const record = {
      ...TEMPLATE,
      id: String(id),
      uuid,
      status,
      requested_at: dated ? isoWithOffset(seconds) : null,
    } as RewardRedemption;
    const redemption: ModelRedemption = {
      id,
      uuid,
      createdAt: at,
      requestedAt: dated ? seconds : null,
      listedAt: at + (options.listedAfterMs ?? 0),
      decidedAt: null,
      record,
    };
    this.all.set(id, redemption);
    if (options.listedAfterMs) this.unlisted += 1;
    // Requests arrive in time order, so this is almost always an append.
    let index = this.pending.length;
    while (index > 0 && compare(this.pending[index - 1] as ModelRedemption, redemption) > 0) {
      index -= 1;
    }
    this.pending.splice(index, 0, redemption);
    return redemption;
  }

  decide(id: number): boolean {
    const redemption = this.all.get(id);
    if (redemption === undefined || redemption.decidedAt !== null) return false;
    redemption.decidedAt = testClock.now();
    this.version += 1;
    const index = this.pending.indexOf(redemption);
    if (index >= 0) this.pending.splice(index, 1);
    return true;
  }

  /** Pending redemptions, oldest first (not the API's order). */
  pendingOldestFirst(): readonly ModelRedemption[] {
    return this.pending;
  }

  isPending(id: number): boolean {
    const redemption = this.all.get(id);
    return redemption !== undefined && redemption.decidedAt === null;
  }

  /** The listed redemptions in the API's order. */
  private listed(): ModelRedemption[] {
    const now = testClock.now();
    let view = this.pending;
    if (this.unlisted > 0) {
      view = view.filter((r) => r.listedAt <= now);
      if (view.length === this.pending.length) this.unlisted = 0;
    }
    if (this.options.order === 'other') return [...view].sort((a, b) => hash(a.id) - hash(b.id));
    return view;
  }

  /** One page of `GET /reward_redemptions`, paged by offset. */
  page(url: string): { redemptions: RewardRedemption[]; next: string | null } {
    this.requests += 1;
    const number = pageNumber(url);
    const view = this.listed();
    const length = view.length;
    const newest = this.options.order === 'newest_first';
    const at = (index: number) => view[newest ? length - 1 - index : index] as ModelRedemption;
    const size = this.options.pageSize;
    const offset = (number - 1) * size;
    const end = Math.min(length, offset + size);
    let slice: ModelRedemption[] = [];
    for (let index = offset; index < end; index += 1) slice.push(at(index));
    if (this.options.shuffleTies && slice.length > 0) {
      slice = this.shuffledTies(at, length, offset, end);
    }
    let next = end < length ? `${FIRST_PAGE}?page=${number + 1}` : null;
    const fault = this.options.linkFault ?? 'none';
    if (fault === 'self' && number === 2) next = url;
    if (fault === 'cycle' && next === null && number > 1) next = `${FIRST_PAGE}?page=2`;
    if (fault === 'endless' && next === null) next = `${FIRST_PAGE}?page=${number + 1}`;
    return { redemptions: slice.map((r) => r.record), next };
  }

  /** The page's slice when every group of equal dates is ordered afresh for this request. */
  private shuffledTies(
    at: (index: number) => ModelRedemption,
    length: number,
    offset: number,
    end: number,
  ): ModelRedemption[] {
    const dateAt = (index: number) => at(index).requestedAt;
    let low = offset;
    while (low > 0 && dateAt(low - 1) === dateAt(offset)) low -= 1;
    let high = end;
    while (high < length && dateAt(high) === dateAt(end - 1)) high += 1;
    const span: ModelRedemption[] = [];
    for (let index = low; index < high; index += 1) span.push(at(index));
    for (let start = 0; start < span.length; ) {
      let stop = start + 1;
      while (stop < span.length && span[stop]?.requestedAt === span[start]?.requestedAt) stop += 1;
      for (let index = stop - 1; index > start; index -= 1) {
        const other = start + this.rng.int(index - start + 1);
        [span[index], span[other]] = [
          span[other] as ModelRedemption,
          span[index] as ModelRedemption,
        ];
      }
      start = stop;
    }
    return span.slice(offset - low, end - low);
  }

  /** A PageSource on this hub for one run, counting its requests. */
  source(counter: { requests: number }): PageSource {
    return (url) => {
      counter.requests += 1;
      return clock().busy(
        (async (): Promise<Page> => {
          const latency = this.options.latencyMs ?? 0;
          if (latency > 0) await testClock.park(latency);
          this.beforeAnswer?.(this);
          return { url, ...this.page(url) };
        })(),
      );
    };
  }
}

const compare = (a: ModelRedemption, b: ModelRedemption): number =>
  (a.requestedAt ?? a.createdAt) - (b.requestedAt ?? b.createdAt) || a.id - b.id;

const hash = (id: number): number => Math.imul(id ^ 0x5bd1e995, 0x27d4eb2d) >>> 0;

const pageNumber = (url: string): number => {
  if (url === FIRST_PAGE) return 1;
  const match = /^\/reward_redemptions\?page=(\d+)$/.exec(url);
  if (!match) throw new Error(`the model hub has no page ${url}`);
  return Number(match[1]);
};

export type CacheFault = 'lost' | 'hang' | 'fail' | 'throttle' | 'clear';

interface Entry {
  json: string;
  expiresAt: number;
}

/**
 * Zapier's cache as core exposes it (`z.cache.get/set/delete` with a scope, set-if-absent, a TTL
 * on the test clock) with faults: `fault()` is asked before every call.
 * - lost: the call took effect but its answer was lost (core's RPC retry: a set throws, or a
 *   set-if-absent that stored answers false on the retry);
 * - hang: no answer ever (a set may have landed); the cache helper's own timeout fires;
 * - fail: throws without effect; throttle: answers null without effect;
 * - clear: every entry is lost, then the call goes through.
 */
export class FakeZapierCache {
  readonly store = new Map<string, Entry>();
  readonly lines: string[] = [];
  calls = 0;
  fault: () => CacheFault | undefined = () => undefined;

  private keyOf(key: string, scope: unknown): string {
    return `${Array.isArray(scope) ? scope.join('+') : 'none'}:${key}`;
  }

  private live(full: string): Entry | undefined {
    const entry = this.store.get(full);
    if (entry && entry.expiresAt <= testClock.now()) {
      this.store.delete(full);
      return undefined;
    }
    return entry;
  }

  /** The stored value under `key` for the connection scope, bypassing faults (for invariants). */
  peek(key: string, scope: unknown = ['auth']): { json: string; value: unknown } | undefined {
    const entry = this.live(this.keyOf(key, scope));
    return entry && { json: entry.json, value: JSON.parse(entry.json) };
  }

  clear(): void {
    this.store.clear();
  }

  private begin(): CacheFault | undefined {
    this.calls += 1;
    const fault = this.fault();
    if (fault === 'clear') {
      this.clear();
      return undefined;
    }
    return fault;
  }

  readonly z = {
    console: { log: (...parts: unknown[]) => void this.lines.push(parts.join(' ')) },
    cache: {
      get: async (key: string, scope?: unknown): Promise<unknown> => {
        const fault = this.begin();
        if (fault === 'hang') return never();
        if (fault === 'fail' || fault === 'lost') throw new Error('Zapier cache RPC answered 502');
        if (fault === 'throttle') return null;
        const entry = this.live(this.keyOf(key, scope));
        return entry ? JSON.parse(entry.json) : null;
      },
      set: async (
        key: string,
        value: unknown,
        ttl?: number,
        scope?: unknown,
        nx?: boolean,
      ): Promise<boolean | null> => {
        const fault = this.begin();
        if (fault === 'fail') throw new Error('Zapier cache RPC answered 503');
        if (fault === 'throttle') return null;
        const full = this.keyOf(key, scope);
        const exists = this.live(full) !== undefined;
        const stores = !(nx && exists);
        if (stores) {
          this.store.set(full, {
            json: JSON.stringify(value),
            expiresAt: testClock.now() + (ttl ?? 60 * 60 * 24) * 1000,
          });
        }
        if (fault === 'hang') return never();
        if (fault === 'lost') {
          // The retry of a stored set-if-absent finds the key: "already there".
          if (nx) return false;
          throw new Error('Zapier cache RPC answered 502');
        }
        return stores;
      },
      delete: async (key: string, scope?: unknown): Promise<boolean | null> => {
        const fault = this.begin();
        if (fault === 'fail') throw new Error('Zapier cache RPC answered 503');
        if (fault === 'throttle') return null;
        const deleted = this.store.delete(this.keyOf(key, scope));
        if (fault === 'hang') return never();
        if (fault === 'lost') throw new Error('Zapier cache RPC answered 502');
        return deleted;
      },
    },
  };

  /** The fake as the app's `z` (HintStore uses only `z.cache` and `z.console`). */
  asZ(): ZObject {
    return this.z as unknown as ZObject;
  }
}

const never = <T>(): Promise<T> => new Promise<T>(() => {});
