/**
 * The one way this app uses Zapier's cache (`z.cache`): every call scoped to the connection,
 * bounded in time, and never trusted as proof of what Influitive or LoudCrowd said.
 *
 * Why each rule:
 * - core sets no timeout on `z.cache` calls, so a hanging answer would run a hook past Zapier's
 *   30 s; every call here gives up after `cacheTimeoutMs()` (less when the run's deadline is near);
 * - core's RPC client retries a call answered 5xx, so a set-if-absent that was stored but answered
 *   502 is retried and then answers "already there": a claim therefore writes a token unique to
 *   this run and reads it back before it calls anything a repeat;
 * - `z.cache` is documented as internal: a failure is `unknown`, and each caller says what unknown
 *   means for it (a trigger lets the delivery through; the vendor's idempotency key still holds).
 */
import { randomUUID } from 'node:crypto';
import { clock, type Deadline } from './deadline';
import type { ZObject } from './types';

export type CacheScope = ('user' | 'auth')[];
/** Per connection: two connections (two hubs) never see each other's keys. */
export const CONNECTION: CacheScope = ['auth'];

/** How long one cache call may take before it counts as unavailable. */
export const DEFAULT_CACHE_TIMEOUT_MS = 2_000;

/** `ZAPIER_CACHE_TIMEOUT_MS` (tests of a hanging cache shorten it), or the default. */
export const cacheTimeoutMs = (): number => {
  const configured = Number(process.env.ZAPIER_CACHE_TIMEOUT_MS);
  return Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_CACHE_TIMEOUT_MS;
};

/** The cache did not answer in time, answered with an error, or was throttled. */
export class CacheUnavailableError extends Error {
  constructor(reason: string) {
    super(`Zapier's cache is unavailable (${reason})`);
    this.name = 'CacheUnavailableError';
  }
}

export interface CacheOptions {
  /** The run's deadline: a call never outlives it. */
  deadline?: Deadline;
  scope?: CacheScope;
}

const bounded = async <T>(call: () => Promise<T>, options: CacheOptions): Promise<T> => {
  const left = options.deadline ? options.deadline.remainingMs() - 500 : Number.POSITIVE_INFINITY;
  const ms = Math.max(0, Math.min(cacheTimeoutMs(), left));
  if (ms <= 0) throw new CacheUnavailableError("no time left in this run's deadline");
  let timer: NodeJS.Timeout | undefined;
  // A real timer, not the app's clock: this bounds how long Zapier's RPC may keep the run waiting.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CacheUnavailableError(`no answer in ${ms} ms`)), ms);
  });
  try {
    return await clock().busy(Promise.race([call(), timeout]));
  } catch (error) {
    if (error instanceof CacheUnavailableError) throw error;
    throw new CacheUnavailableError((error as Error).message);
  } finally {
    clearTimeout(timer);
  }
};

// Core 19 passes the scope on to Zapier's store, but its typings leave the argument out of get and
// delete; a get must name the same scope as the set it reads.
type ScopedGet = (key: string, scope: CacheScope) => Promise<unknown>;
type ScopedDelete = (key: string, scope: CacheScope) => Promise<unknown>;

/** The value under `key`, or undefined when there is none. Throws CacheUnavailableError. */
export const cacheGet = (z: ZObject, key: string, options: CacheOptions = {}): Promise<unknown> =>
  bounded(
    async () =>
      ((await (z.cache.get as ScopedGet)(key, options.scope ?? CONNECTION)) ??
        undefined) as unknown,
    options,
  );

/**
 * Stores `value` for `ttlSeconds`. Returns false only when `nx` is set and the key exists; throws
 * CacheUnavailableError when the cache fails, hangs or is throttled (it answers null then).
 */
export const cacheSet = async (
  z: ZObject,
  key: string,
  value: unknown,
  ttlSeconds: number,
  options: CacheOptions & { nx?: boolean } = {},
): Promise<boolean> => {
  const stored = await bounded(
    () => z.cache.set(key, value, ttlSeconds, options.scope ?? CONNECTION, options.nx ?? false),
    options,
  );
  if (stored === true || stored === false) return stored;
  throw new CacheUnavailableError('throttled');
};

/** Removes `key`. Throws CacheUnavailableError. */
export const cacheDelete = async (
  z: ZObject,
  key: string,
  options: CacheOptions = {},
): Promise<void> => {
  await bounded(() => (z.cache.delete as ScopedDelete)(key, options.scope ?? CONNECTION), options);
};

/**
 * A claim on a key: `first` when this run holds it, `repeat` when another run's token is there,
 * `unknown` when the cache could not say.
 */
export interface Claim {
  key: string;
  token: string;
  outcome: 'first' | 'repeat' | 'unknown';
}

interface ClaimRecord {
  token: string;
  claimed_at: string;
}

const tokenOf = (value: unknown): string | undefined =>
  typeof value === 'object' && value !== null && typeof (value as ClaimRecord).token === 'string'
    ? (value as ClaimRecord).token
    : undefined;

/**
 * Claims `key` for `ttlSeconds` with a set-if-absent carrying a token unique to this run. An
 * "already there" answer is checked by reading the key back: only another run's token is a repeat,
 * so a stored write whose answer was lost and retried is still this run's. A write that failed or
 * hung is read back too, since it may have landed.
 */
export const claimKey = async (
  z: ZObject,
  key: string,
  ttlSeconds: number,
  options: CacheOptions = {},
): Promise<Claim> => {
  const token = randomUUID();
  const record: ClaimRecord = { token, claimed_at: new Date().toISOString() };
  let stored: boolean | undefined;
  try {
    stored = await cacheSet(z, key, record, ttlSeconds, { ...options, nx: true });
  } catch (error) {
    z.console.log(`Could not claim ${key}: ${(error as Error).message}.`);
  }
  if (stored === true) return { key, token, outcome: 'first' };
  try {
    const holder = tokenOf(await cacheGet(z, key, options));
    if (holder === token) return { key, token, outcome: 'first' };
    if (holder !== undefined && stored === false) return { key, token, outcome: 'repeat' };
    // A holder seen after a failed write may be a retry of this run's own write that landed
    // late under another token: not evidence of a repeat.
    if (holder !== undefined) return { key, token, outcome: 'unknown' };
  } catch (error) {
    z.console.log(`Could not read back the claim on ${key}: ${(error as Error).message}.`);
  }
  return { key, token, outcome: 'unknown' };
};

/**
 * Gives a claim back (when the run fails after claiming, so the next delivery is not a repeat).
 * Only this run's own token is removed; a failure is logged: the claim then expires on its own.
 */
export const releaseClaim = async (
  z: ZObject,
  claim: Claim,
  options: CacheOptions = {},
): Promise<void> => {
  if (claim.outcome !== 'first') return;
  try {
    if (tokenOf(await cacheGet(z, claim.key, options)) !== claim.token) return;
    await cacheDelete(z, claim.key, options);
  } catch (error) {
    z.console.log(`Could not release the claim on ${claim.key}: ${(error as Error).message}.`);
  }
};

/**
 * Once per connection per window: `true` for the first call in `windowSeconds` (and whenever the
 * cache cannot say, so a doubt is loud), `false` for the rest. For alarms such as "the first
 * unreadable body in any hour is an error; the rest halt".
 */
export const firstInWindow = async (
  z: ZObject,
  key: string,
  windowSeconds: number,
  options: CacheOptions = {},
): Promise<boolean> => (await claimKey(z, key, windowSeconds, options)).outcome !== 'repeat';
