/**
 * Fault suite: every Influitive failure mode the client maps, through every operation that calls
 * Influitive, run through core's Lambda handler against the built app (`dist/`, via the root
 * index.js, exactly as Zapier loads it) and the contract-faithful sandbox.
 *
 * For each fault × operation it checks: the `z.errors` type (and its code, status, delay); a message
 * that names the cause, the call and the request id; that no secret reaches the error, its stack,
 * the result or any log line core streams; that the operation made exactly the one request the fault
 * hit (no silent retry, no follow-up); and that the sandbox received no decision it should not have
 * (no decision at all from triggers and searches, no double fulfill, nothing applied after an error).
 */
import { errors } from 'zapier-platform-core';
import { SANDBOX_LOUDCROWD_KEY } from '../../sandbox/environment';
import { hookBundle } from '../../sandbox/gateway';
import type { Fault, RequestLogEntry } from '../../sandbox/http';
import {
  type InfluitiveSandbox,
  SANDBOX_ORG_ID,
  SANDBOX_TOKEN,
  startInfluitiveSandbox,
  wafBlockPage,
} from '../../sandbox/influitive';
import {
  type LambdaHandler,
  productionHandler,
  runThroughHandler,
  zapierErrorMessage,
} from '../../sandbox/lambda';
import { FakeZapierRpc } from '../../sandbox/zapier-rpc';

/**
 * The slow fault's request timeout, and the delay it asks of the sandbox. The sandbox holds a
 * delayed answer until the test releases it, after the app gave up, so the order is explicit
 * however slow the machine. The short timeout is set only around that one faulted call, so no
 * other request can time out spuriously on a busy machine (the default 12 s applies elsewhere).
 */
const TIMEOUT_MS = 50;
const SLOW_MS = 500;
/** Delayed answers waiting for the test to release them. */
const held: (() => void)[] = [];
const holdUntilReleased = (): Promise<void> => new Promise((resolve) => held.push(resolve));
const SECRETS = [SANDBOX_TOKEN, SANDBOX_LOUDCROWD_KEY];
const MAYA = 'maya.patel@northwind-analytics.example';
const AUTH_DATA = {
  api_token: SANDBOX_TOKEN,
  org_id: SANDBOX_ORG_ID,
  loudcrowd_api_key: SANDBOX_LOUDCROWD_KEY,
};
const PAST_TENSE = { fulfill: 'fulfilled', refuse: 'refused' } as const;

/** A 200 maintenance page that also echoes the request's token, as a misconfigured proxy might. */
const MAINTENANCE_PAGE = [
  '<html><title>AdvocateHub is down for maintenance</title>',
  `<!-- upstream request: Authorization: Token ${SANDBOX_TOKEN}; lc ${SANDBOX_LOUDCROWD_KEY} -->`,
  "<body><h1>We'll be right back</h1><p>Scheduled maintenance until 06:00 UTC.</p></body></html>",
].join('\n');
const NGINX_500 = `<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n<center><h1>500 Internal Server Error</h1></center>\r\n<!-- Token ${SANDBOX_TOKEN} -->\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

/** A fault without its target: the table pairs each shape with each operation's request. */
type FaultShape = Fault extends infer F
  ? F extends unknown
    ? Omit<F, 'method' | 'path' | 'times'>
    : never
  : never;

/** What an operation must do under one fault. */
type Expected =
  | { ok: true }
  | {
      ok: false;
      name: 'ExpiredAuthError' | 'ThrottledError' | 'AppError';
      /** AppError: `code` and `status`; ThrottledError: `delay` (undefined when not sent). */
      code?: string;
      status?: number;
      delay?: number;
      /** Phrases the message must contain; `{call}` and `{rid}` are filled in per request. */
      says: string[];
      /** Phrases it must not contain. */
      never?: string[];
    };

interface FaultCase {
  name: string;
  fault: FaultShape;
  expected: (op: Operation) => Expected;
  /** The slow fault: the sandbox still serves the request after the app gave up. */
  late?: boolean;
}

interface Operation {
  name: string;
  method: string;
  /** The request the fault targets, as the app's messages name it. */
  call: (id: number) => string;
  httpMethod: 'GET' | 'POST';
  path: (id: number) => RegExp;
  decision?: 'fulfill' | 'refuse';
  /** Needs its own fresh pending redemption (decisions, and the webhook so its retry is no duplicate). */
  fresh?: boolean;
  bundle: (id: number) => Record<string, unknown>;
  /** Checks a successful result (the retry after the fault, or the 204 decision). */
  succeeded: (result: unknown, id: number) => void;
}

const error = (
  name: 'ExpiredAuthError' | 'ThrottledError' | 'AppError',
  says: string[],
  extra: Partial<Extract<Expected, { ok: false }>> = {},
): Expected => ({ ok: false, name, says, ...extra });

const faults: FaultCase[] = [
  {
    name: '401 (empty text/plain, as documented)',
    fault: {
      kind: 'status',
      status: 401,
      contentType: 'text/plain',
      headers: { 'WWW-Authenticate': 'Token realm=Api' },
    },
    expected: () =>
      error('ExpiredAuthError', [
        'Influitive rejected the API token or organization ID on {call} (request id {rid}).',
        'Integrations → Influitive API → Manage',
        'reconnect this account in Zapier',
      ]),
  },
  {
    name: '403 with the HTML WAF page',
    fault: { kind: 'status', status: 403, body: wafBlockPage(403) },
    expected: () =>
      error(
        'ThrottledError',
        [
          "Influitive's firewall refused {call} with 403 (request id {rid})",
          '200 requests per IP address in any 5 minutes',
        ],
        { delay: undefined, never: ['asked to wait', '<html', 'cloudfront'] },
      ),
  },
  {
    name: '429 with Retry-After: 30',
    fault: {
      kind: 'status',
      status: 429,
      body: wafBlockPage(429),
      headers: { 'Retry-After': '30' },
    },
    expected: () =>
      error(
        'ThrottledError',
        [
          "Influitive's firewall refused {call} with 429 (request id {rid})",
          'Influitive asked to wait 30 s.',
        ],
        { delay: 30 },
      ),
  },
  {
    name: '429 without Retry-After',
    fault: { kind: 'status', status: 429, body: wafBlockPage(429) },
    expected: () =>
      error(
        'ThrottledError',
        ["Influitive's firewall refused {call} with 429 (request id {rid})"],
        {
          delay: undefined,
          never: ['asked to wait', 'The server returned 429'],
        },
      ),
  },
  {
    name: '500 with an HTML page',
    fault: { kind: 'status', status: 500, body: NGINX_500 },
    expected: () =>
      error(
        'AppError',
        ['Influitive had a server error 500 on {call} (request id {rid})', "on Influitive's side"],
        { code: 'influitive_server_error', status: 500, never: ['<html', 'nginx'] },
      ),
  },
  {
    name: '502 with the HTML CloudFront page',
    fault: { kind: 'status', status: 502, body: wafBlockPage(502) },
    expected: () =>
      error('AppError', ['Influitive had a server error 502 on {call} (request id {rid})'], {
        code: 'influitive_server_error',
        status: 502,
        never: ['<html', 'cloudfront'],
      }),
  },
  {
    name: 'a connection reset',
    fault: { kind: 'reset' },
    expected: () =>
      error(
        'AppError',
        ['Could not reach Influitive for {call}: the connection failed (ECONNRESET)'],
        {
          code: 'influitive_unreachable',
          status: 502,
        },
      ),
  },
  {
    name: `an answer slower than the timeout (${SLOW_MS} ms against ${TIMEOUT_MS} ms)`,
    fault: { kind: 'delay', ms: SLOW_MS },
    late: true,
    expected: () =>
      error('AppError', [`Influitive did not answer {call} within ${TIMEOUT_MS / 1000} s`], {
        code: 'influitive_timeout',
        status: 504,
      }),
  },
  {
    name: 'a 200 with an HTML body (echoing the token)',
    fault: { kind: 'status', status: 200, body: MAINTENANCE_PAGE },
    expected: () =>
      error(
        'AppError',
        [
          'Influitive answered {call} with 200 but the body is not JSON (text/html; charset=utf-8)',
          'AdvocateHub is down for maintenance',
          '[redacted]',
        ],
        { code: 'influitive_not_json', status: 502 },
      ),
  },
  {
    name: 'a 200 with truncated JSON',
    fault: { kind: 'truncate' },
    expected: () =>
      error(
        'AppError',
        [
          'Influitive answered {call} with 200 but the body is not JSON (application/json; charset=utf-8)',
        ],
        { code: 'influitive_not_json', status: 502 },
      ),
  },
  {
    name: 'an empty 204',
    fault: { kind: 'status', status: 204 },
    // An empty 2xx is Influitive's documented success for a decision, and an error for a read.
    expected: (op) =>
      op.decision
        ? { ok: true }
        : error(
            'AppError',
            ['Influitive answered {call} with 204 and an empty body, where JSON was expected.'],
            { code: 'influitive_empty_body', status: 502 },
          ),
  },
];

let sandbox: InfluitiveSandbox;

/** The "Reward Redemption Requested" delivery for a redemption, as Zapier builds the hook bundle. */
const webhookBundle = (id: number) => {
  const redemption = sandbox.redemption(id);
  const contact = sandbox.members.find((member) => member.id === redemption?.contact_id);
  const content = JSON.stringify({
    event: 'reward_redemption_requested',
    reward_redemption: redemption,
    contact,
  });
  return {
    authData: AUTH_DATA,
    inputData: {},
    ...hookBundle({
      method: 'POST',
      url: new URL('http://127.0.0.1/hooks/reward_redemption_requested'),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Influitive-Webhooks/1.0',
        'content-length': String(Buffer.byteLength(content)),
      },
      content,
    }),
  };
};

const plain = (inputData: Record<string, unknown> = {}) => ({ authData: AUTH_DATA, inputData });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const expectRedemptions = (result: unknown, ids?: number[]) => {
  expect(Array.isArray(result)).toBe(true);
  const items = result as Record<string, unknown>[];
  if (ids) expect(items.map((item) => item.id)).toEqual(ids.map(String));
  else expect(items.length).toBeGreaterThan(0);
  for (const item of items) expect(item.status).toBe('pending');
};

const operations: Operation[] = [
  {
    name: 'authentication.test',
    method: 'authentication.test',
    call: () => 'GET /members/me',
    httpMethod: 'GET',
    path: () => /^\/members\/me$/,
    bundle: () => plain(),
    succeeded: (result) =>
      expect(result).toMatchObject({
        id: expect.any(String),
        email: 'jordan.reyes@brightline.example',
      }),
  },
  {
    name: 'new_reward_redemption (polling)',
    method: 'triggers.new_reward_redemption.operation.perform',
    call: () => 'GET /reward_redemptions',
    httpMethod: 'GET',
    path: () => /^\/reward_redemptions(\?.*)?$/,
    // The poll returns the last 48 hours: a redemption requested now is in it.
    fresh: true,
    bundle: () => plain(),
    succeeded: (result) => expectRedemptions(result),
  },
  {
    name: 'reward_redemption_requested (webhook, verified)',
    method: 'triggers.reward_redemption_requested.operation.perform',
    call: () => 'GET /reward_redemptions',
    httpMethod: 'GET',
    path: () => /^\/reward_redemptions(\?.*)?$/,
    fresh: true,
    bundle: webhookBundle,
    succeeded: (result, id) => expectRedemptions(result, [id]),
  },
  {
    name: 'reward_redemption_requested performList',
    method: 'triggers.reward_redemption_requested.operation.performList',
    call: () => 'GET /reward_redemptions',
    httpMethod: 'GET',
    path: () => /^\/reward_redemptions(\?.*)?$/,
    bundle: () => plain(),
    succeeded: (result) => expectRedemptions(result),
  },
  {
    name: 'reward (dropdown)',
    method: 'triggers.reward.operation.perform',
    call: () => 'GET /external/rewards',
    httpMethod: 'GET',
    path: () => /^\/external\/rewards$/,
    bundle: () => plain(),
    succeeded: (result) =>
      expect(result).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: '731', name: expect.any(String) })]),
      ),
  },
  {
    name: 'fulfill_reward_redemption',
    method: 'creates.fulfill_reward_redemption.operation.perform',
    call: (id) => `POST /reward_redemptions/${id}/decision/fulfill`,
    httpMethod: 'POST',
    path: (id) => new RegExp(`^/reward_redemptions/${id}/decision/fulfill$`),
    decision: 'fulfill',
    fresh: true,
    bundle: (id) =>
      plain({
        redemption_id: String(id),
        message: 'Your $25 gift card: https://vendor.example/rewards/payout/abc',
      }),
    succeeded: (result, id) =>
      expect(result).toMatchObject({ id: String(id), decision: 'fulfilled' }),
  },
  {
    name: 'refuse_reward_redemption',
    method: 'creates.refuse_reward_redemption.operation.perform',
    call: (id) => `POST /reward_redemptions/${id}/decision/refuse`,
    httpMethod: 'POST',
    path: (id) => new RegExp(`^/reward_redemptions/${id}/decision/refuse$`),
    decision: 'refuse',
    fresh: true,
    bundle: (id) =>
      plain({ redemption_id: String(id), message: 'Sorry, this hoodie is out of stock.' }),
    succeeded: (result, id) =>
      expect(result).toMatchObject({ id: String(id), decision: 'refused' }),
  },
  {
    name: 'find_member',
    method: 'searches.find_member.operation.perform',
    call: () => 'GET /members',
    httpMethod: 'GET',
    path: () => /^\/members\?email=/,
    bundle: () => plain({ email: MAYA }),
    succeeded: (result) => expect(result).toEqual([expect.objectContaining({ email: MAYA })]),
  },
  {
    name: 'find_reward_redemption',
    method: 'searches.find_reward_redemption.operation.perform',
    call: () => 'GET /reward_redemptions',
    httpMethod: 'GET',
    path: () => /^\/reward_redemptions(\?.*)?$/,
    bundle: () => plain({ redemption_id: '48231' }),
    succeeded: (result) => expectRedemptions(result, [48231]),
  },
];

type Outcome = { ok: true; result: unknown } | { ok: false; error: Error };

const settle = async (promise: Promise<unknown>): Promise<Outcome> => {
  try {
    return { ok: true, result: await promise };
  } catch (caught) {
    return { ok: false, error: caught as Error };
  }
};

const fill = (phrase: string, call: string, rid: string) =>
  phrase.replaceAll('{call}', call).replaceAll('{rid}', rid);

/** No secret in any text the run produced. */
const expectNoSecrets = (texts: string[]) => {
  for (const text of texts) {
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  }
};

const errorClasses = {
  ExpiredAuthError: errors.ExpiredAuthError,
  ThrottledError: errors.ThrottledError,
  AppError: errors.Error,
} as const;

/** The z.errors payload: Error and ThrottledError carry a JSON message. */
const payloadOf = (caught: Error): Record<string, unknown> => {
  try {
    const parsed: unknown = JSON.parse(caught.message);
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
};

/** One row of the printed matrix: the outcome name of each operation under a fault. */
const matrix = new Map<string, Map<string, string>>();
const record = (fault: string, op: string, outcome: string) => {
  const row = matrix.get(fault) ?? new Map<string, string>();
  row.set(op, outcome);
  matrix.set(fault, row);
};

/** The fault × operation matrix, one row per fault, printed once after the suite. */
const printMatrix = () => {
  const ops = operations.map((op) => op.name);
  const width = Math.max(...faults.map((f) => f.name.length));
  const short = (name: string) =>
    ({
      ExpiredAuthError: 'Expired',
      ThrottledError: 'Throttled',
      AppError: 'AppError',
      ok: 'ok',
    })[name] ?? name;
  const lines = [
    `fault × operation (${faults.length} × ${ops.length} = ${faults.length * ops.length} cases; columns: ${ops.join(' | ')})`,
    ...faults.map(
      (f) =>
        `${f.name.padEnd(width)}  ${ops.map((op) => short(matrix.get(f.name)?.get(op) ?? '-').padEnd(9)).join(' ')}`,
    ),
  ];
  console.log(lines.join('\n'));
};

describe('Influitive faults through the Lambda handler', () => {
  let handler: LambdaHandler;
  let rpc: FakeZapierRpc;

  /** One operation run through the handler, with the RPC stand-in so core streams its logs. */
  const run = (op: Operation, id: number) =>
    settle(runThroughHandler(handler, { method: op.method, bundle: op.bundle(id), rpc }));

  /** A new pending redemption for Maya, newest first in the listing. */
  const freshRedemption = () => sandbox.addRedemption({ rewardId: 731, memberEmail: MAYA }).id;

  beforeAll(async () => {
    // No rate limit: the injected fault must be the only failure.
    sandbox = await startInfluitiveSandbox({ rateLimit: false, wait: holdUntilReleased });
    rpc = await new FakeZapierRpc().start();
    process.env.INFLUITIVE_API_URL = sandbox.url;
    handler = productionHandler();
    // Core echoes z.console lines to the process console; they are checked through rpc.logLines.
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    if (matrix.size > 0) printMatrix();
    delete process.env.INFLUITIVE_API_URL;
    delete process.env.INFLUITIVE_TIMEOUT_MS;
    await Promise.all([sandbox?.close(), rpc?.stop()]);
  });

  afterEach(() => sandbox.clearFaults());

  describe.each(faults)('$name', (faultCase) => {
    it.each(operations)('$name', async (op) => {
      const id = op.fresh ? freshRedemption() : 48231;
      const expected = faultCase.expected(op);
      const logStart = sandbox.requestLog.length;
      const decisionStart = sandbox.decisions.length;
      const linesStart = rpc.logLines.length;

      sandbox.injectFault({
        ...faultCase.fault,
        method: op.httpMethod,
        path: op.path(id),
        times: 1,
      });
      if (faultCase.late) process.env.INFLUITIVE_TIMEOUT_MS = String(TIMEOUT_MS);
      const outcome = await run(op, id).finally(() => delete process.env.INFLUITIVE_TIMEOUT_MS);
      // The slow request is answered (and logged) after the app gave up on it: wait for that
      // event, not for a time a busy machine might overrun.
      if (faultCase.late) {
        for (const release of held.splice(0)) release();
        await sandbox.whenLogged(logStart + 1);
      }

      // Exactly the one faulted request: no silent retry, no re-check after an error, no follow-up.
      const requests: RequestLogEntry[] = sandbox.requestLog.slice(logStart);
      expect(requests.map((r) => `${r.method} ${r.path.split('?')[0]} ${r.fault}`)).toEqual([
        // The sandbox logs a delayed request by what it finally answered, not as a fault.
        `${op.call(id)} ${faultCase.late ? undefined : faultCase.fault.kind}`,
      ]);
      expect(sandbox.pendingFaults).toEqual([]);
      const rid = requests[0]?.requestId ?? 'none';

      if (expected.ok) {
        if (!outcome.ok) throw outcome.error;
        op.succeeded(outcome.result, id);
        record(faultCase.name, op.name, 'ok');
      } else {
        if (outcome.ok)
          throw new Error(`expected ${expected.name}, got ${JSON.stringify(outcome)}`);
        const caught = outcome.error;
        record(faultCase.name, op.name, caught.name);
        expect(caught.name).toBe(expected.name);
        expect(caught).toBeInstanceOf(errorClasses[expected.name]);
        const payload = payloadOf(caught);
        if (expected.name === 'AppError') {
          expect(payload).toMatchObject({ code: expected.code, status: expected.status });
        }
        if (expected.name === 'ThrottledError') expect(payload.delay).toBe(expected.delay);
        const message = zapierErrorMessage(caught);
        for (const phrase of expected.says)
          expect(message).toContain(fill(phrase, op.call(id), rid));
        for (const phrase of expected.never ?? []) {
          expect(message.toLowerCase()).not.toContain(phrase.toLowerCase());
        }
        expectNoSecrets([caught.message, caught.stack ?? '']);
      }
      // Core streams this run's logs, possibly after its answer: wait until they have arrived, so
      // the check looks at real lines.
      const lines = await rpc.linesAfter(linesStart);
      expect(lines.length).toBeGreaterThan(0);
      expectNoSecrets([outcome.ok ? JSON.stringify(outcome.result) : '', ...lines]);

      const attempts = sandbox.decisions.slice(decisionStart);
      if (!op.decision) {
        // Triggers, searches and the connection test never decide anything.
        expect(attempts).toEqual([]);
        // Once the fault is gone the same call succeeds: the fault left nothing behind (the
        // webhook claims its de-duplication key only after verifying, so its retry still runs).
        const retry = await run(op, id);
        if (!retry.ok) throw retry.error;
        op.succeeded(retry.result, id);
        return;
      }

      // The sandbox never applies a faulted decision, except the slow one: it is served after the
      // app gave up, as Influitive would, so that fulfill did happen even though the Zap failed.
      const applied = faultCase.late === true;
      expect(attempts.map((a) => [a.redemptionId, a.decision, a.applied, a.fault])).toEqual([
        [id, op.decision, applied, faultCase.late ? undefined : faultCase.fault.kind],
      ]);
      expect(sandbox.redemption(id)?.status).toBe(applied ? PAST_TENSE[op.decision] : 'pending');

      if (expected.ok) {
        // The 204 is a success to the app and it sends nothing more. The sandbox's injected 204
        // replaced the real answer, so its state did not change (the takesEffect cases below
        // cover a 204 that really applied).
        return;
      }

      // Zapier (or the user) replays the step: exactly one decision is ever applied.
      const retry = await run(op, id);
      if (applied) {
        // Influitive refuses the second decision (422); the step reports the first one as done.
        if (!retry.ok) throw retry.error;
        expect(retry.result).toMatchObject({ already_decided: true });
        expect(sandbox.decisions.filter((d) => d.redemptionId === id).at(-1)?.status).toBe(422);
      } else {
        if (!retry.ok) throw retry.error;
        op.succeeded(retry.result, id);
      }
      expect(sandbox.decisions.filter((d) => d.redemptionId === id && d.applied)).toHaveLength(1);
      expect(sandbox.redemption(id)?.status).toBe(PAST_TENSE[op.decision]);
    });
  });

  /** The change happened at Influitive and only the answer was lost. */
  const lostAnswers: {
    name: string;
    fault: FaultShape;
    /** The status the sandbox answered (null: the connection was reset). */
    answered: number | null;
    errorCode?: string;
  }[] = [
    {
      name: '502 HTML',
      fault: { kind: 'status', status: 502, body: wafBlockPage(502) },
      answered: 502,
      errorCode: 'influitive_server_error',
    },
    {
      name: 'connection reset',
      fault: { kind: 'reset' },
      answered: null,
      errorCode: 'influitive_unreachable',
    },
    {
      name: 'truncated JSON',
      fault: { kind: 'truncate' },
      answered: 200,
      errorCode: 'influitive_not_json',
    },
    { name: 'empty 204', fault: { kind: 'status', status: 204 }, answered: 204 },
  ];
  const decisionOps = operations.filter((op) => op.decision);

  describe.each(lostAnswers)('a decision that took effect but whose answer was $name', (lost) => {
    it.each(decisionOps)(
      '$name is applied exactly once, and a replay succeeds as already decided',
      async (op) => {
        const decision = op.decision ?? 'fulfill';
        const id = freshRedemption();
        sandbox.injectFault({
          ...lost.fault,
          method: 'POST',
          path: op.path(id),
          takesEffect: true,
        });

        const first = await run(op, id);
        if (lost.errorCode) {
          if (first.ok) throw new Error('expected the lost answer to fail the step');
          expect(first.error.name).toBe('AppError');
          expect(payloadOf(first.error).code).toBe(lost.errorCode);
          expectNoSecrets([first.error.message, first.error.stack ?? '']);
        } else {
          if (!first.ok) throw first.error;
          op.succeeded(first.result, id);
        }
        expect(sandbox.redemption(id)?.status).toBe(PAST_TENSE[decision]);

        // The replay reaches Influitive, which says the same decision was made: the step succeeds
        // and says so, and nothing is decided twice.
        const replay = await run(op, id);
        if (!replay.ok) throw replay.error;
        expect(replay.result).toMatchObject({
          id: String(id),
          decision: PAST_TENSE[decision],
          already_decided: true,
        });
        expect(
          sandbox.decisions
            .filter((d) => d.redemptionId === id)
            .map((d) => [d.status, d.applied, d.fault ?? null]),
        ).toEqual([
          [lost.answered, true, lost.fault.kind],
          [422, false, null],
        ]);
      },
    );
  });

  it('never applied two decisions to one redemption, and kept every secret out of the logs', () => {
    const appliedPerRedemption = new Map<number | null, number>();
    for (const attempt of sandbox.decisions.filter((d) => d.applied)) {
      appliedPerRedemption.set(
        attempt.redemptionId,
        (appliedPerRedemption.get(attempt.redemptionId) ?? 0) + 1,
      );
    }
    expect([...appliedPerRedemption.values()].every((count) => count === 1)).toBe(true);
    // The seeded redemptions the reads used were never decided.
    expect(sandbox.redemption(48231)?.status).toBe('pending');
    expect(rpc.logLines.length).toBeGreaterThan(0);
    expectNoSecrets(rpc.logLines);
  });
});
