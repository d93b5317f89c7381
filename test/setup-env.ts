import nock from 'nock';

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
// Re-checks of an early webhook wait milliseconds in tests instead of seconds.
process.env.INFLUITIVE_VERIFY_RETRY_DELAYS_MS = '5,5,5';
