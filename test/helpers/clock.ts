import type { Clock } from '../../src/shared/deadline';

interface Timer {
  at: number;
  seq: number;
  wake: () => void;
}

/**
 * A discrete-event clock for tests. Time moves only when every run is waiting on the clock: a
 * `sleep` wakes when all work marked `busy` (the app's calls to Influitive and to Zapier's cache)
 * has settled, or is parked on the clock itself (a fake API's latency), and no earlier timer is
 * left. So a run that re-checks for 22 s finishes in milliseconds, and runs that wait for each
 * other see the same order of events on a fast machine and on a loaded one.
 */
export class FakeClock implements Clock {
  private at: number;
  private timers: Timer[] = [];
  private seq = 0;
  private busyCount = 0;
  private parked = 0;
  private stepping = false;

  constructor(start = Date.parse('2026-11-23T12:00:00Z')) {
    this.at = start;
  }

  now(): number {
    return this.at;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => {
      this.timers.push({ at: this.at + Math.max(0, ms), seq: this.seq++, wake });
      this.step();
    });
  }

  async busy<T>(work: Promise<T>): Promise<T> {
    this.busyCount += 1;
    try {
      return await work;
    } finally {
      this.busyCount -= 1;
      this.step();
    }
  }

  /** A fake server's latency: waits `ms` on this clock without holding time still. */
  async park(ms: number): Promise<void> {
    this.parked += 1;
    try {
      await this.sleep(ms);
    } finally {
      this.parked -= 1;
    }
  }

  /** Sets the time (a file whose fixtures are dated around a day of its own). */
  setNow(ms: number): void {
    this.at = ms;
  }

  /** Moves time by hand (an advocate requests a reward a second later). */
  advance(ms: number): void {
    this.at += ms;
  }

  /** Timers not yet woken (a test that ends with some left has a run still waiting). */
  pending(): number {
    return this.timers.length;
  }

  private step(): void {
    if (this.stepping) return;
    this.stepping = true;
    void this.settleThenWake();
  }

  private async settleThenWake(): Promise<void> {
    // Let callbacks already due (answers read, promises chained on them) run first.
    for (let turn = 0; turn < 5; turn += 1) await new Promise((done) => setImmediate(done));
    this.stepping = false;
    if (this.busyCount > this.parked || this.timers.length === 0) return;
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = this.timers.shift();
    if (next === undefined) return;
    this.at = Math.max(this.at, next.at);
    next.wake();
    this.step();
  }
}

/** The clock every test file's app runs on (installed by setup-env). */
export const testClock = new FakeClock();
