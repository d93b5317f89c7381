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
