/**
 * nock for the files that fake an API with it: import it from here, never from 'nock', so the
 * interceptor is set up with the offline rule and removed after the file. Files that only talk
 * to loopback servers do not load nock at all (its interceptor doubles the cost of each request).
 */
import nock from 'nock';

nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);

// nock patches Node's http module for the whole worker: remove this file's interceptor so it
// cannot answer, or slow down, the next file in the same worker.
afterAll(() => {
  nock.cleanAll();
  nock.restore();
});

export default nock;
