import { retryAfterSeconds } from '../../src/influitive/client';
import {
  API,
  authData,
  influitiveHeaders,
  LOUDCROWD_KEY,
  makeBundle,
  TOKEN,
} from '../helpers/bundle';
import { testClock } from '../helpers/clock';
import { messageOf, rejectionOf } from '../helpers/errors';
import { startLoopbackServer } from '../helpers/loopback';
import nock from '../helpers/nock';
import { nockRewardProviders } from '../helpers/pending-pages';
import { runOperation } from '../helpers/run';
import page1 from './fixtures/reward_redemptions_page1.json';

const POLL = 'triggers.new_reward_redemption.operation.perform';

// The fixtures' redemptions were requested 2026-11-18..21; the poll returns the last 48 hours, so
// this file's clock stands just after the oldest of them.
beforeAll(() => testClock.setNow(Date.parse('2026-11-20T06:00:00Z')));
const lastPage = { ...page1, links: { self: `${API}/reward_redemptions`, next: null } };

// A poll also reads the hub's reward list, for the providers the pending page does not carry.
beforeEach(() => nockRewardProviders());
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

describe('secrets in other forms', () => {
  // Pasted with whitespace around them; the token goes on the wire trimmed.
  const SPECIAL_TOKEN = 'tok/"Sp+cial&=%\\9f2b8e1d7a4e3b';
  const SPECIAL_KEY = 'lc<key>&"/+=%2F~9d1e3b6f';
  const connection = {
    api_token: `\t${SPECIAL_TOKEN}\n`,
    org_id: authData.org_id,
    loudcrowd_api_key: ` ${SPECIAL_KEY} `,
  };
  const formsOf = (secret: string) => [
    ['as sent', secret],
    ['URL-encoded', encodeURIComponent(secret)],
    ['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
  ];
  const forms = [
    ...formsOf(SPECIAL_TOKEN).map(([how, text]) => [`the token ${how}`, text]),
    ...formsOf(SPECIAL_KEY).map(([how, text]) => [`the LoudCrowd key ${how}`, text]),
  ];

  it.each(forms)(
    'keeps %s out of the error and every log line when the API echoes it',
    async (_form, text) => {
      nock(API)
        .get('/reward_redemptions')
        .reply(400, `<p>Bad request. Authorization: Token ${text}</p>`);
      const logs: string[] = [];
      const error = await rejectionOf(
        runOperation(POLL, makeBundle({ authData: connection }), undefined, logs),
      );
      expect(messageOf(error)).toBe(
        'Influitive answered GET /reward_redemptions with 400: <p>Bad request. Authorization: Token [redacted]</p>.',
      );
      expect(logs.join('\n')).toMatch(/Unhandled error: AppError: .*Token \[redacted\]/);
      for (const line of [error.message, String(error.stack), ...logs]) {
        for (const [, form] of forms) {
          expect(line).not.toContain(form);
          expect(line).not.toContain(JSON.stringify(form).slice(1, -1));
        }
      }
    },
  );

  it('sends the token trimmed', async () => {
    const scope = nock(API, { reqheaders: { authorization: `Token ${SPECIAL_TOKEN}` } })
      .get('/reward_redemptions')
      .reply(200, lastPage);
    await runOperation(POLL, makeBundle({ authData: connection }));
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    ['a valid URL', 'https://zapier:s3cr3t-pa55@api.influitive.com'],
    ['a URL that is otherwise invalid', 'https://zapier:s3cr3t-pa55@api.influitive.com:99999'],
    ['text with a password in it', 'api.influitive.com?password=s3cr3t-pa55@x'],
  ])('refuses INFLUITIVE_API_URL with a password in %s without echoing it', async (_what, url) => {
    process.env.INFLUITIVE_API_URL = url;
    const scope = nock(API).get(/.*/).reply(200, lastPage);
    const logs: string[] = [];
    const error = await rejectionOf(runOperation(POLL, makeBundle(), undefined, logs));
    expect(messageOf(error)).toMatch(
      /^INFLUITIVE_API_URL (must not carry a user name or password|is not a URL)/,
    );
    expect([error.message, String(error.stack), ...logs].join('\n')).not.toContain('s3cr3t-pa55');
    expect(scope.isDone()).toBe(false);
  });
});

describe('redirects', () => {
  const FULFILL = 'creates.fulfill_reward_redemption.operation.perform';
  type Seen = { method?: string; url?: string; headers: Record<string, unknown> };

  /** The API on one loopback port answering with `status`, and where it points on another port. */
  const withRedirect = async (
    status: number,
    location: (elsewhere: string, api: string) => string | undefined,
    run: (seenElsewhere: Seen[], seenByApi: Seen[], elsewhere: string) => Promise<void>,
  ) => {
    const seenElsewhere: Seen[] = [];
    const seenByApi: Seen[] = [];
    const elsewhere = await startLoopbackServer((req, res) => {
      seenElsewhere.push({ method: req.method, url: req.url, headers: req.headers });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(lastPage));
    });
    let apiUrl = '';
    const api = await startLoopbackServer((req, res) => {
      seenByApi.push({ method: req.method, url: req.url, headers: req.headers });
      const target = location(elsewhere.url, apiUrl);
      res.writeHead(status, target === undefined ? {} : { Location: target }).end();
    });
    apiUrl = api.url;
    process.env.INFLUITIVE_API_URL = api.url;
    try {
      await run(seenElsewhere, seenByApi, elsewhere.url);
    } finally {
      await Promise.all([api.close(), elsewhere.close()]);
    }
  };

  it.each([301, 302, 303, 307, 308])(
    'does not follow a %i on a list: nothing reaches the other port and its body is not taken as the list',
    async (status) => {
      await withRedirect(
        status,
        (elsewhere) => `${elsewhere}/steal?from=influitive`,
        async (seenElsewhere, seenByApi, elsewhere) => {
          const error = await rejectionOf(runOperation(POLL, makeBundle()));
          expect(error.name).toBe('AppError');
          expect(messageOf(error)).toBe(
            `Influitive answered GET /reward_redemptions with ${status}, a redirect to ${elsewhere}. Redirects are not followed, so the API token stays with Influitive and nothing is reported done that was not. If INFLUITIVE_API_URL is set, point it at the API itself; otherwise ask support@influitive.com whether the API moved.`,
          );
          expect(seenByApi).toHaveLength(1);
          expect(seenElsewhere).toEqual([]);
        },
      );
    },
  );

  it('does not report a decision answered with 302 as fulfilled, and sends nothing on', async () => {
    await withRedirect(
      302,
      (elsewhere) => `${elsewhere}/ok`,
      async (seenElsewhere, seenByApi, elsewhere) => {
        const error = await rejectionOf(
          runOperation(FULFILL, makeBundle({ inputData: { redemption_id: '48213' } })),
        );
        expect(messageOf(error)).toMatch(
          new RegExp(
            `^Influitive answered POST /reward_redemptions/48213/decision/fulfill with 302, a redirect to ${elsewhere}\\.`,
          ),
        );
        expect(seenByApi.map((seen) => seen.method)).toEqual(['POST']);
        expect(seenElsewhere).toEqual([]);
      },
    );
  });

  it('does not follow a redirect within the API either, and says where it pointed', async () => {
    await withRedirect(
      307,
      () => '/reward_redemptions?moved=1',
      async (_elsewhere, seenByApi) => {
        const error = await rejectionOf(runOperation(POLL, makeBundle()));
        expect(messageOf(error)).toMatch(
          new RegExp(`with 307, a redirect to ${process.env.INFLUITIVE_API_URL}\\. `),
        );
        expect(seenByApi.map((seen) => seen.url)).toEqual(['/reward_redemptions']);
      },
    );
  });

  it.each<[string, string | undefined, string]>([
    ['no Location', undefined, 'no Location'],
    ['a Location that is not HTTP', 'mailto:admin@influitive.example', 'a mailto: location'],
    ['a Location that is not a URL', 'http://[', 'an invalid Location'],
  ])('names a redirect with %s', async (_what, location, named) => {
    await withRedirect(
      302,
      () => location,
      async () => {
        const error = await rejectionOf(runOperation(POLL, makeBundle()));
        expect(messageOf(error)).toMatch(`with 302, a redirect to ${named}. `);
      },
    );
  });
});

describe('paging links', () => {
  const NEXT = `${API}/reward_redemptions?page=2`;

  it('follows a links.next with whitespace around it as the trimmed link', async () => {
    const scope = nock(API)
      .get('/reward_redemptions')
      .reply(200, { ...page1, links: { next: ` \t${NEXT}\n` } })
      .get('/reward_redemptions')
      .query({ page: '2' })
      .reply(200, {
        reward_redemptions: [{ id: 48190, created_at: '2026-11-18T11:02:00Z' }],
        links: { next: null },
      });
    const results = (await runOperation(POLL, makeBundle())) as { id: string }[];
    expect(results.map((r) => r.id).sort()).toEqual(['48190', '48213', '48214']);
    expect(scope.isDone()).toBe(true);
  });

  it('still refuses a foreign link with whitespace around it', async () => {
    nock(API)
      .get('/reward_redemptions')
      .reply(200, { ...page1, links: { next: '\n https://evil.example/reward_redemptions ' } });
    const error = await rejectionOf(runOperation(POLL, makeBundle()));
    expect(messageOf(error)).toMatch(/link to https:\/\/evil\.example.*not followed/);
  });

  it.each([
    `${API}:99999/reward_redemptions`,
    'http://[',
    'reward_redemptions?page=2',
    `page 2 of ${TOKEN}`,
  ])(
    'names a links.next that is not a URL (%s) instead of failing with a TypeError',
    async (next) => {
      nock(API)
        .get('/reward_redemptions')
        .reply(200, { ...page1, links: { next } });
      const error = await rejectionOf(runOperation(POLL, makeBundle()));
      expect(error.name).toBe('AppError');
      expect(messageOf(error)).toMatch(
        /^Influitive returned a paging link that is not a URL \(".+"\); it was not followed/,
      );
      expect(error.message).not.toContain(TOKEN);
    },
  );
});

describe('403', () => {
  it("is a permission error with the API's words when the body is the API's JSON error", async () => {
    nock(API).get('/reward_redemptions').reply(
      403,
      { error: 'You are not authorized to access this resource' },
      {
        'X-Request-Id': 'req-9c1d',
      },
    );
    const error = await rejectionOf(runOperation(POLL, makeBundle()));
    expect(error.name).toBe('AppError');
    expect(JSON.parse(error.message)).toMatchObject({
      message: expect.stringMatching(
        /^Influitive refused GET \/reward_redemptions with 403 \(request id req-9c1d\): You are not authorized to access this resource\. This is a permission problem, not the rate limit.*Integrations → Influitive API → Manage/,
      ),
      code: 'influitive_forbidden',
      status: 403,
    });
  });

  it.each([
    ['an empty body', ''],
    ['a JSON body that is no API error', '{"status":403}'],
  ])("stays the firewall's throttle for %s", async (_what, body) => {
    nock(API).get('/reward_redemptions').reply(403, body);
    const error = await rejectionOf(runOperation(POLL, makeBundle()));
    expect(error.name).toBe('ThrottledError');
  });
});

describe('JSON nested too deep', () => {
  const deep = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

  it('refuses a page nested 20,000 levels deep with a clear error, not a RangeError', async () => {
    nock(API)
      .get('/reward_redemptions')
      .reply(200, `{"reward_redemptions":[{"id":48213,"extra":${deep(20_000)}}]}`);
    const error = await rejectionOf(runOperation(POLL, makeBundle()));
    expect(error.name).toBe('AppError');
    expect(messageOf(error)).toMatch(
      /^Influitive answered GET \/reward_redemptions with 200 and JSON nested more than 64 levels deep/,
    );
  });

  it('quotes an error body nested 20,000 levels deep as text, not a RangeError', async () => {
    nock(API)
      .get('/reward_redemptions')
      .reply(400, `{"error":${deep(20_000)}}`);
    const error = await rejectionOf(runOperation(POLL, makeBundle()));
    expect(messageOf(error)).toMatch(
      /^Influitive answered GET \/reward_redemptions with 400: \{"error":\[\[\[/,
    );
  });
});
