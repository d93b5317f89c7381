import nock from 'nock';
import { retryAfterSeconds } from '../../src/influitive/client';
import {
  API,
  authData,
  influitiveHeaders,
  LOUDCROWD_KEY,
  makeBundle,
  TOKEN,
} from '../helpers/bundle';
import { messageOf, rejectionOf } from '../helpers/errors';
import { startLoopbackServer } from '../helpers/loopback';
import { runOperation } from '../helpers/run';
import page1 from './fixtures/reward_redemptions_page1.json';

const POLL = 'triggers.new_reward_redemption.operation.perform';
const lastPage = { ...page1, links: { self: `${API}/reward_redemptions`, next: null } };

afterEach(() => {
  nock.cleanAll();
  delete process.env.INFLUITIVE_API_URL;
  delete process.env.INFLUITIVE_TIMEOUT_MS;
});

describe('Influitive requests', () => {
  it('sends the token, the org id and JSON headers on every request', async () => {
    const scope = nock(API, {
      reqheaders: { ...influitiveHeaders, 'content-type': 'application/json' },
    })
      .get('/reward_redemptions')
      .reply(200, lastPage);
    const results = (await runOperation(POLL, makeBundle())) as { id: string }[];
    expect(results.map((r) => r.id)).toEqual(['48214', '48213']);
    expect(scope.isDone()).toBe(true);
  });

  it('parses JSON that Influitive labels text/plain', async () => {
    nock(API)
      .get('/reward_redemptions')
      .reply(200, JSON.stringify(lastPage), { 'Content-Type': 'text/plain' });
    const results = (await runOperation(POLL, makeBundle())) as { id: string }[];
    expect(results).toHaveLength(2);
  });

  it('uses INFLUITIVE_API_URL, including a base path, for a loopback sandbox over plain http', async () => {
    let seen = '';
    const server = await startLoopbackServer((req, res) => {
      seen = `${req.method} ${req.url} ${req.headers.authorization} ${req.headers.x_org_id}`;
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ reward_redemptions: [] }));
    });
    process.env.INFLUITIVE_API_URL = `${server.url}/v1/`;
    try {
      await expect(runOperation(POLL, makeBundle())).resolves.toEqual([]);
      expect(seen).toBe(`GET /v1/reward_redemptions Token ${TOKEN} ${authData.org_id}`);
    } finally {
      await server.close();
    }
  });

  it.each(['http://api.influitive.example', 'http://10.0.0.5:8080'])(
    'refuses to send the token over plain http to %s',
    async (url) => {
      process.env.INFLUITIVE_API_URL = url;
      const error = await rejectionOf(runOperation(POLL, makeBundle()));
      expect(messageOf(error)).toMatch(/must use https:\/\/.*loopback/);
    },
  );

  it('says so when INFLUITIVE_API_URL is not a URL', async () => {
    process.env.INFLUITIVE_API_URL = 'api.influitive.com';
    const error = await rejectionOf(runOperation(POLL, makeBundle()));
    expect(messageOf(error)).toMatch(/INFLUITIVE_API_URL is not a URL/);
  });

  it('refuses a paging link to another host, so the token is not sent there', async () => {
    nock(API)
      .get('/reward_redemptions')
      .reply(200, { ...page1, links: { next: 'https://evil.example/reward_redemptions?page=2' } });
    const error = await rejectionOf(runOperation(POLL, makeBundle()));
    expect(messageOf(error)).toMatch(/link to https:\/\/evil\.example.*not followed/);
  });

  it('says which credential is missing before calling Influitive', async () => {
    const error = await rejectionOf(
      runOperation(POLL, makeBundle({ authData: { api_token: TOKEN } })),
    );
    expect(messageOf(error)).toMatch(
      /no Influitive organization ID \(X_ORG_ID\).*Integrations → Influitive API/,
    );
  });
});

describe('Influitive failures', () => {
  const failWith = (status: number, body: string, headers: Record<string, string> = {}) =>
    nock(API)
      .get('/reward_redemptions')
      .reply(status, body, { 'X-Request-Id': 'req-7f3a', ...headers });

  it('asks the user to reconnect on 401, naming where the credentials are', async () => {
    failWith(401, '', { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Token realm=Api' });
    const error = await rejectionOf(runOperation(POLL, makeBundle()));
    expect(error.name).toBe('ExpiredAuthError');
    expect(error.message).toMatch(
      /rejected the API token or organization ID.*req-7f3a.*Integrations → Influitive API → Manage/,
    );
  });

  it.each([403, 429])(
    'throttles on %i with the delay from Retry-After in seconds',
    async (status) => {
      failWith(status, '<html><body>Request blocked</body></html>', {
        'Retry-After': '90',
        'Content-Type': 'text/html',
      });
      const error = await rejectionOf(runOperation(POLL, makeBundle()));
      expect(error.name).toBe('ThrottledError');
      expect(JSON.parse(error.message)).toEqual({
        message: expect.stringMatching(
          new RegExp(`refused GET /reward_redemptions with ${status}.*200 requests.*wait 90 s`),
        ),
        delay: 90,
      });
    },
  );

  it('throttles without a delay when Retry-After is absent, leaving the back-off to Zapier', async () => {
    failWith(429, 'Too Many Requests');
    const error = await rejectionOf(runOperation(POLL, makeBundle()));
    expect(error.name).toBe('ThrottledError');
    expect(JSON.parse(error.message).delay).toBeUndefined();
  });

  it('reads Retry-After as an HTTP date too', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(retryAfterSeconds('Sun, 22 Nov 2026 10:02:00 GMT', now)).toBe(120);
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
    expect(retryAfterSeconds(undefined, now)).toBeUndefined();
  });

  it.each([500, 502])('names the status and request id on %i', async (status) => {
    failWith(status, '<html>Bad Gateway</html>', { 'Content-Type': 'text/html' });
    const error = await rejectionOf(runOperation(POLL, makeBundle()));
    expect(error.name).toBe('AppError');
    expect(JSON.parse(error.message)).toMatchObject({
      message: expect.stringMatching(
        new RegExp(`server error ${status} on GET /reward_redemptions \\(request id req-7f3a\\)`),
      ),
      status,
    });
  });

  it("quotes the API's words on another 4xx", async () => {
    failWith(400, JSON.stringify({ error: 'page must be a positive integer' }));
    const error = await rejectionOf(runOperation(POLL, makeBundle()));
    expect(messageOf(error)).toBe(
      'Influitive answered GET /reward_redemptions with 400 (request id req-7f3a): page must be a positive integer.',
    );
  });

  it('shows the content type and an excerpt when a 200 is not JSON', async () => {
    failWith(200, '<html><head><title>Maintenance</title></head><body>Back soon</body></html>', {
      'Content-Type': 'text/html; charset=utf-8',
    });
    const error = await rejectionOf(runOperation(POLL, makeBundle()));
    expect(messageOf(error)).toMatch(
      /with 200 but the body is not JSON \(text\/html; charset=utf-8\): "<html><head><title>Maintenance/,
    );
  });

  it('fails on truncated JSON with an excerpt rather than a parse exception', async () => {
    failWith(200, JSON.stringify(lastPage).slice(0, 60), { 'Content-Type': 'application/json' });
    const error = await rejectionOf(runOperation(POLL, makeBundle()));
    expect(messageOf(error)).toMatch(/not JSON \(application\/json\): "\{"reward_redemptions"/);
  });

  it('fails on an empty 200 where a list was expected', async () => {
    failWith(204, '');
    const error = await rejectionOf(runOperation(POLL, makeBundle()));
    expect(messageOf(error)).toMatch(
      /GET \/reward_redemptions with 204 and an empty body, where JSON was expected/,
    );
  });

  it('stops a request that outlives the timeout, with a clear message', async () => {
    const server = await startLoopbackServer(() => {
      // Never answers.
    });
    process.env.INFLUITIVE_API_URL = server.url;
    process.env.INFLUITIVE_TIMEOUT_MS = '150';
    try {
      const error = await rejectionOf(runOperation(POLL, makeBundle()));
      expect(messageOf(error)).toMatch(
        /did not answer GET \/reward_redemptions within 0.15 s.*before Zapier's 30 s limit/,
      );
    } finally {
      await server.close();
    }
  });

  it('names a reset connection as the cause', async () => {
    const server = await startLoopbackServer((req) => req.socket.destroy());
    process.env.INFLUITIVE_API_URL = server.url;
    try {
      const error = await rejectionOf(runOperation(POLL, makeBundle()));
      expect(messageOf(error)).toMatch(
        /Could not reach Influitive for GET \/reward_redemptions: the connection failed \(ECONNRESET\)/,
      );
    } finally {
      await server.close();
    }
  });
});

describe('secrets', () => {
  const echoSecrets = `token ${TOKEN} key ${LOUDCROWD_KEY}`;
  const paths: [string, () => void][] = [
    ['401', () => nock(API).get('/reward_redemptions').reply(401, echoSecrets)],
    ['403', () => nock(API).get('/reward_redemptions').reply(403, `<html>${echoSecrets}</html>`)],
    [
      '429',
      () => nock(API).get('/reward_redemptions').reply(429, echoSecrets, { 'Retry-After': '5' }),
    ],
    ['500', () => nock(API).get('/reward_redemptions').reply(500, echoSecrets)],
    [
      '400 with JSON words',
      () => nock(API).get('/reward_redemptions').reply(400, { error: echoSecrets }),
    ],
    [
      '200 not JSON',
      () => nock(API).get('/reward_redemptions').reply(200, `<p>${echoSecrets}</p>`),
    ],
  ];

  it.each(paths)(
    'keeps the token and the LoudCrowd key out of the error and the logs on %s',
    async (_name, arrange) => {
      arrange();
      const logs: string[] = [];
      const error = await rejectionOf(runOperation(POLL, makeBundle(), undefined, logs));
      // The HTTP log entry exists (so this looks at real logs), with its Authorization header censored.
      expect(logs.join('\n')).toMatch(/GET https:\/\/api\.influitive\.com\/reward_redemptions/);
      const everything = [error.message, String(error.stack), ...logs].join('\n');
      expect(everything).not.toContain(TOKEN);
      expect(everything).not.toContain(LOUDCROWD_KEY);
    },
  );

  it('keeps secrets out of the timeout and reset messages', async () => {
    const server = await startLoopbackServer((req) => req.socket.destroy());
    process.env.INFLUITIVE_API_URL = server.url;
    try {
      const error = await rejectionOf(runOperation(POLL, makeBundle()));
      expect(error.message).not.toContain(TOKEN);
    } finally {
      await server.close();
    }
  });
});
