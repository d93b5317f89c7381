/**
 * Time for one run. Zapier stops a step after 30 s, and a step stopped by Zapier says nothing
 * useful, so every operation that reads the pending list works to its own deadline, checked before
 * every request, and ends with its own message first.
 */

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /**
   * Marks `work` (a call to Influitive or to Zapier's cache) as under way until it settles. The
   * real clock ignores it; a test clock moves time only while no such work is under way, so runs
   * that wait for each other see the same order of events however fast the machine is.
   */
  busy<T>(work: Promise<T>): Promise<T>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  busy: (work) => work,
};

let activeClock: Clock = systemClock;

/**
 * Replaces the clock for tests of deadlines and late webhooks, so none of them sleeps for seconds;
 * called with nothing, restores the real one.
 */
export const useClock = (clock: Clock = systemClock): void => {
  activeClock = clock;
};

export const clock = (): Clock => activeClock;

/** A run's budget: about 25 s of Zapier's 30 s, leaving room for core and the answer. */
export const RUN_BUDGET_MS = 25_000;
/** Below this much time left, no new request is started: it could not finish with an answer. */
export const MIN_REQUEST_MS = 1_000;

export class Deadline {
  readonly startedAt: number;

  constructor(
    readonly budgetMs: number = RUN_BUDGET_MS,
    private readonly source: Clock = activeClock,
  ) {
    this.startedAt = source.now();
  }

  elapsedMs(): number {
    return this.source.now() - this.startedAt;
  }

  remainingMs(): number {
    return this.budgetMs - this.elapsedMs();
  }

  /** True when no further request can be started and still finish in time. */
  spent(): boolean {
    return this.remainingMs() < MIN_REQUEST_MS;
  }

  /** A request timeout that ends before the deadline: `defaultMs`, or less when time is short. */
  timeoutFor(defaultMs: number): number {
    return Math.min(defaultMs, Math.max(MIN_REQUEST_MS, this.remainingMs()));
  }

  /** Waits until `elapsedMs` reaches `atMs` (at once when it already has). */
  async waitUntil(atMs: number): Promise<void> {
    const wait = atMs - this.elapsedMs();
    if (wait > 0) await this.source.sleep(wait);
  }
}
