import type { Clock } from '../../src/shared/deadline';

/**
 * A clock the tests move by hand: `sleep` advances it at once, so a run that re-checks for 22 s
 * finishes in milliseconds, and a fake API can answer by what time it is for the app.
 */
export class FakeClock implements Clock {
  private at: number;
  /**
   * Real milliseconds a sleep takes per virtual millisecond (0: none). Runs that wait for each
   * other's HTTP work need some real time to pass, or a wait times out before the work can end.
   */
  realWaitRatio = 0;

  constructor(start = Date.parse('2026-11-23T12:00:00Z')) {
    this.at = start;
  }

  now(): number {
    return this.at;
  }

  async sleep(ms: number): Promise<void> {
    // Concurrent sleeps overlap, as real ones do: each ends at its own start plus ms.
    const wakeAt = this.at + Math.max(0, ms);
    // Let other work (the fake API, other runs) take its turn, as a real wait would.
    const real = ms * this.realWaitRatio;
    await new Promise((resolve) => (real > 0 ? setTimeout(resolve, real) : setImmediate(resolve)));
    this.at = Math.max(this.at, wakeAt);
  }

  advance(ms: number): void {
    this.at += ms;
  }
}

/** The clock every test file's app runs on (installed by setup-env). */
export const testClock = new FakeClock();
