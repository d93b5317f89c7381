import nock from 'nock';
import { useClock } from '../src/shared/deadline';
import { testClock } from './helpers/clock';

// Tests never reach the internet: only servers the tests start on loopback are allowed.
nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);

// Each test file loads its own nock; remove this file's interceptor so it cannot answer for the
// next file in the same worker.
afterAll(() => {
  nock.cleanAll();
  nock.restore();
});

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
