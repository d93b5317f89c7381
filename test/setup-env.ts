import { useClock } from '../src/shared/deadline';
import { testClock } from './helpers/clock';
import { stayOffline } from './helpers/offline';

// Tests never reach the internet: only servers the tests start on loopback are allowed. Files
// that fake an API with nock load it through test/helpers/nock.ts, which adds nock's own rule.
stayOffline();

process.env.DISABLE_ZAPIER_ANALYTICS = '1';
delete process.env.INFLUITIVE_API_URL;
delete process.env.INFLUITIVE_TIMEOUT_MS;
// The app's waits (re-checks of an early webhook, the run's deadline) run on a clock the tests
// move, so the real schedule is tested and no test sleeps for seconds. The built app used by the
// sandbox tests has its own real clock; the sandbox environment shortens its re-checks.
delete process.env.INFLUITIVE_VERIFY_RETRY_DELAYS_MS;
useClock(testClock);
// The z.cache helper gives up on a call after a real-time bound, since it guards against Zapier's
// RPC hanging. On a loaded machine a stand-in's answer can take seconds, and a call cut short there
// changes what the app does (no hints, no read lock), so tests keep the bound far away; a test of a
// hanging cache shortens it itself.
beforeEach(() => {
  process.env.ZAPIER_CACHE_TIMEOUT_MS = '60000';
});
