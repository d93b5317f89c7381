import fc from 'fast-check';
import fulfill from '../../../src/influitive/creates/fulfill_reward_redemption';
import refuse from '../../../src/influitive/creates/refuse_reward_redemption';
import { decisionAlreadyMadeIn } from '../../../src/influitive/decision';
import { API, influitiveHeaders, makeBundle } from '../../helpers/bundle';
import { messageOf, rejectionOf } from '../../helpers/errors';
import { fuzzRuns, fuzzSeed } from '../../helpers/fuzz';
import nock from '../../helpers/nock';
import { runOperation } from '../../helpers/run';
import { FakeZapierRpc } from '../../helpers/zapier-rpc';

const FULFILL = 'creates.fulfill_reward_redemption.operation.perform';
const REFUSE = 'creates.refuse_reward_redemption.operation.perform';

afterEach(() => nock.cleanAll());

describe('fulfill_reward_redemption', () => {
  it('posts the decision with the message and returns what Influitive said', async () => {
    const message = 'Your gift card: https://www.tremendous.com/rewards/payout/abc123\nEnjoy!';
    const scope = nock(API, {
      reqheaders: { ...influitiveHeaders, 'content-type': 'application/json' },
    })
      .post('/reward_redemptions/48213/decision/fulfill', { message })
      .reply(200, { id: 48213, status: 'fulfilled' });
    const result = await runOperation(
      FULFILL,
      makeBundle({ inputData: { redemption_id: '48213', message } }),
    );
    expect(result).toEqual({
      id: '48213',
      decision: 'fulfilled',
      message,
      already_decided: false,
      decided_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/),
      response: { id: 48213, status: 'fulfilled' },
    });
    expect(scope.isDone()).toBe(true);
  });

  it('sends no body when there is no message, and accepts an empty 204', async () => {
    let body: unknown = 'not called';
    nock(API)
      .post('/reward_redemptions/48213/decision/fulfill')
      .reply(204, (_uri, requestBody) => {
        body = requestBody;
        return '';
      });
    const result = await runOperation(
      FULFILL,
      makeBundle({ inputData: { redemption_id: 48213, message: '  ' } }),
    );
    expect(body).toBe('');
    expect(result).toMatchObject({
      id: '48213',
      decision: 'fulfilled',
      message: null,
      response: {},
    });
  });

  it('keeps a non-object JSON answer under response.body', async () => {
    nock(API).post('/reward_redemptions/48213/decision/fulfill').reply(200, '"ok"');
    const result = await runOperation(
      FULFILL,
      makeBundle({ inputData: { redemption_id: '48213' } }),
    );
    expect(result).toMatchObject({ response: { body: 'ok' } });
  });

  it('says the redemption was not found on 404', async () => {
    nock(API).post('/reward_redemptions/99999/decision/fulfill').reply(404, { error: 'Not found' });
    const error = await rejectionOf(
      runOperation(FULFILL, makeBundle({ inputData: { redemption_id: '99999' } })),
    );
    expect(JSON.parse(error.message)).toMatchObject({
      message: expect.stringMatching(/^Reward redemption 99999 was not found in Influitive\./),
      code: 'redemption_not_found',
      status: 404,
    });
  });

  it.each([409, 422])(
    'succeeds and says so when Influitive answers %i that it was already fulfilled (a replay)',
    async (status) => {
      nock(API)
        .post('/reward_redemptions/48213/decision/fulfill')
        .reply(status, { error: 'Reward redemption has already been fulfilled' });
      const result = await runOperation(
        FULFILL,
        makeBundle({ inputData: { redemption_id: '48213' } }),
      );
      expect(result).toMatchObject({
        id: '48213',
        decision: 'fulfilled',
        already_decided: true,
        response: {},
      });
    },
  );

  it('fails naming both decisions when the redemption was refused instead', async () => {
    nock(API)
      .post('/reward_redemptions/48213/decision/fulfill')
      .reply(422, { error: 'Reward redemption has already been refused' });
    const error = await rejectionOf(
      runOperation(FULFILL, makeBundle({ inputData: { redemption_id: '48213' } })),
    );
    expect(messageOf(error)).toBe(
      'Influitive would not fulfill reward redemption 48213 (422): it was already refused, so it is no longer pending and cannot also be fulfilled. Influitive said: "Reward redemption has already been refused".',
    );
  });

  it('says a timeout after the POST may have applied the decision, and that a rerun is safe', async () => {
    const previous = process.env.INFLUITIVE_TIMEOUT_MS;
    process.env.INFLUITIVE_TIMEOUT_MS = '100';
    try {
      nock(API).post('/reward_redemptions/48213/decision/fulfill').delay(400).reply(200, {});
      const error = await rejectionOf(
        runOperation(FULFILL, makeBundle({ inputData: { redemption_id: '48213' } })),
      );
      expect(JSON.parse(error.message)).toMatchObject({ code: 'influitive_timeout', status: 504 });
      expect(messageOf(error)).toMatch(
        /did not answer POST .*The fulfill of reward redemption 48213 may have been applied; running the step again is safe: if it was applied, the rerun reports it as already fulfilled\.$/,
      );
    } finally {
      if (previous === undefined) delete process.env.INFLUITIVE_TIMEOUT_MS;
      else process.env.INFLUITIVE_TIMEOUT_MS = previous;
    }
  });

  it('locks each redemption, so two decisions on it never run at once', () => {
    for (const create of [fulfill, refuse]) {
      expect(create.operation.lock).toEqual({
        key: 'influitive-decision-{{bundle.inputData.redemption_id}}',
        scope: ['auth'],
        timeout: 60,
      });
    }
  });

  it('still maps other failures through the shared error handling', async () => {
    nock(API).post('/reward_redemptions/48213/decision/fulfill').reply(401, '');
    const error = await rejectionOf(
      runOperation(FULFILL, makeBundle({ inputData: { redemption_id: '48213' } })),
    );
    expect(error.name).toBe('ExpiredAuthError');
  });

  it('asks for the redemption when none is given, without calling Influitive', async () => {
    const error = await rejectionOf(runOperation(FULFILL, makeBundle({ inputData: {} })));
    expect(messageOf(error)).toMatch(/Choose the reward redemption/);
  });
});

describe('refuse_reward_redemption', () => {
  it('posts the refusal with the reason', async () => {
    const message =
      'Sorry, the Northwind hoodie in size M is out of stock. Your points have been returned.';
    const scope = nock(API, { reqheaders: influitiveHeaders })
      .post('/reward_redemptions/48214/decision/refuse', { message })
      .reply(200, { id: 48214, status: 'refused' });
    const result = await runOperation(
      REFUSE,
      makeBundle({ inputData: { redemption_id: '48214', message } }),
    );
    expect(result).toMatchObject({ id: '48214', decision: 'refused', message });
    expect(scope.isDone()).toBe(true);
  });

  it('requires a reason, because the advocate is told why', async () => {
    const error = await rejectionOf(
      runOperation(REFUSE, makeBundle({ inputData: { redemption_id: '48214' } })),
    );
    expect(messageOf(error)).toMatch(/Enter a message telling the advocate why/);
  });

  it('fails on a 422 without words, saying it is not known whether the redemption is pending', async () => {
    nock(API).post('/reward_redemptions/48214/decision/refuse').reply(422, '');
    const error = await rejectionOf(
      runOperation(
        REFUSE,
        makeBundle({ inputData: { redemption_id: '48214', message: 'Out of stock' } }),
      ),
    );
    expect(JSON.parse(error.message)).toMatchObject({ code: 'decision_not_made', status: 422 });
    expect(messageOf(error)).toBe(
      'Influitive would not refuse reward redemption 48214 (422). Influitive gave no reason. Whether it is still pending is not known: check it in the hub (Items to Review) before running this step again.',
    );
  });

  it('succeeds on a replayed refusal that Influitive says was already refused', async () => {
    nock(API)
      .post('/reward_redemptions/48214/decision/refuse')
      .reply(422, { error: 'Reward redemption has already been refused' });
    const result = await runOperation(
      REFUSE,
      makeBundle({ inputData: { redemption_id: '48214', message: 'Out of stock' } }),
    );
    expect(result).toMatchObject({ decision: 'refused', already_decided: true });
  });
});

describe('redemption ids in the path', () => {
  it.each([
    ['..', '..', 'contains "."'],
    ['.', '.', 'contains "."'],
    ['a dot-segment before an id', '../48213', 'contains "."'],
    ['a path', '48213/../../members/me', 'contains "/"'],
    ['an encoded dot-segment', '%2e%2e', 'contains "%"'],
    ['a query', '48213?admin=1', 'contains "?"'],
    ['a fragment', '48213#x', 'contains "#"'],
    ['a space', '482 13', 'contains " "'],
    ['a decimal number', 4.5, 'contains "."'],
    ['101 characters', 'x'.repeat(101), 'is 101 characters long'],
  ])('refuses %s before any request', async (_what, id, why) => {
    const scope = nock(API).post(/.*/).reply(200, {});
    const error = await rejectionOf(
      runOperation(FULFILL, makeBundle({ inputData: { redemption_id: id } })),
    );
    expect(error.name).toBe('AppError');
    expect(JSON.parse(error.message)).toMatchObject({
      message: `The Reward Redemption ${why}, so it cannot be an Influitive id (digits, a uuid, or letters, digits, - and _). Map the id from an Influitive trigger or search rather than typing it.`,
      code: 'invalid_influitive_id',
      status: 400,
    });
    expect(scope.isDone()).toBe(false);
  });

  it.each([
    ['digits', 48213, '48213'],
    ['a uuid', 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b', 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b'],
    ['a plain token', ' rr_9Kx-2 ', 'rr_9Kx-2'],
  ])('accepts %s and posts to exactly its path', async (_what, id, inPath) => {
    const scope = nock(API).post(`/reward_redemptions/${inPath}/decision/fulfill`).reply(204);
    await runOperation(FULFILL, makeBundle({ inputData: { redemption_id: id } }));
    expect(scope.isDone()).toBe(true);
  });
});

describe('decisions Influitive would not make', () => {
  const STILL_PENDING =
    'Its words do not say it was decided, so it may still be pending: check it in the hub (Items to Review), fix what Influitive names, then run this step again.';
  const NO_LONGER_PENDING =
    'By its words the redemption is no longer pending, but they do not say how it was decided: check it in the hub before doing anything else for it.';

  it.each<[number, Record<string, unknown>, string, string]>([
    [
      422,
      { error: 'Only pending redemptions can be fulfilled' },
      'Only pending redemptions can be fulfilled',
      NO_LONGER_PENDING,
    ],
    [
      422,
      { error: 'This redemption cannot be fulfilled' },
      'This redemption cannot be fulfilled',
      STILL_PENDING,
    ],
    [
      409,
      { error: 'Reward redemption could not be fulfilled: out of stock' },
      'Reward redemption could not be fulfilled: out of stock',
      STILL_PENDING,
    ],
    [
      422,
      { errors: { message: ['is too long to be sent with a fulfilled redemption'] } },
      '{"message":["is too long to be sent with a fulfilled redemption"]}',
      STILL_PENDING,
    ],
  ])(
    'fails a %i that only names the verb, quoting Influitive: %j',
    async (status, body, words, pending) => {
      const scope = nock(API, { reqheaders: influitiveHeaders })
        .post('/reward_redemptions/48213/decision/fulfill')
        .reply(status, body);
      const error = await rejectionOf(
        runOperation(FULFILL, makeBundle({ inputData: { redemption_id: '48213' } })),
      );
      expect(scope.isDone()).toBe(true);
      expect(error.name).toBe('AppError');
      expect(JSON.parse(error.message)).toMatchObject({ code: 'decision_not_made', status });
      expect(messageOf(error)).toBe(
        `Influitive would not fulfill reward redemption 48213 (${status}). Influitive said: "${words}". ${pending}`,
      );
    },
  );

  it('never reports a decision as already made unless the words say that same decision was made', () => {
    const verbs = ['fulfilled', 'fulfill', 'refused', 'rejected', 'declined', 'decided', 'pending'];
    const fillers = [
      'Only',
      'This redemption',
      'cannot be',
      'could not be',
      'has been',
      'is',
      'out of stock',
      ':',
      'message',
      'not',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...verbs, ...fillers), { maxLength: 8 }), (parts) => {
        const words = parts.join(' ');
        const made = decisionAlreadyMadeIn(words);
        // "already" must stand right before the past tense of the decision it reports.
        if (!/\balready\b/i.test(words)) expect(made).toBeUndefined();
        if (made === 'fulfill') expect(words).toMatch(/already (been )?fulfilled/i);
        if (made === 'refuse')
          expect(words).toMatch(/already (been )?(refused|rejected|declined)/i);
      }),
      { seed: fuzzSeed(), numRuns: fuzzRuns(300, 5000) },
    );
    fc.assert(
      fc.property(
        fc.constantFrom('has already been', 'was already', 'is already', 'already'),
        fc.constantFrom('Reward redemption', 'This redemption', 'Redemption 48213'),
        (phrase, subject) => {
          expect(decisionAlreadyMadeIn(`${subject} ${phrase} fulfilled`)).toBe('fulfill');
          expect(decisionAlreadyMadeIn(`${subject} ${phrase} refused`)).toBe('refuse');
        },
      ),
      { seed: fuzzSeed(), numRuns: fuzzRuns(50, 500) },
    );
  });

  it.each([500, 502, 503])(
    'says a %i after the POST may have applied the decision, and that running the step again is safe',
    async (status) => {
      nock(API, { reqheaders: influitiveHeaders })
        .post('/reward_redemptions/48214/decision/refuse', { message: 'Out of stock' })
        .reply(status, '<html>Bad gateway</html>', { 'X-Request-Id': 'req-7f3a' });
      const error = await rejectionOf(
        runOperation(
          REFUSE,
          makeBundle({ inputData: { redemption_id: '48214', message: 'Out of stock' } }),
        ),
      );
      expect(JSON.parse(error.message)).toMatchObject({ code: 'influitive_server_error', status });
      expect(messageOf(error)).toMatch(
        new RegExp(
          `^Influitive had a server error ${status} on POST /reward_redemptions/48214/decision/refuse \\(request id req-7f3a\\).* The refuse of reward redemption 48214 may have been applied; running the step again is safe: if it was applied, the rerun reports it as already refused\\.$`,
        ),
      );
    },
  );
});

describe('the decision lock on the trimmed id', () => {
  let rpc: FakeZapierRpc;
  beforeAll(async () => {
    rpc = await new FakeZapierRpc().start();
  });
  afterAll(() => rpc.stop());
  beforeEach(() => rpc.reset());

  it('locks the trimmed id while deciding, and gives the lock back after', async () => {
    const scope = nock(API).post('/reward_redemptions/48213/decision/fulfill').reply(204);
    const result = await runOperation(
      FULFILL,
      makeBundle({ inputData: { redemption_id: ' 48213\n' } }),
      rpc.url,
    );
    expect(scope.isDone()).toBe(true);
    expect(result).toMatchObject({ id: '48213', already_decided: false });
    const sets = rpc.calls.filter((call) => call.method === 'zcache_set');
    expect(sets.map((call) => [call.params[0], call.params[2], call.params[4]])).toEqual([
      ['influitive-decision:48213', 60, true],
    ]);
    expect(rpc.peek('influitive-decision:48213', ['auth'])).toBeUndefined();
  });

  it('sends nothing while another step holds the lock on the same redemption typed differently', async () => {
    const scope = nock(API).post(/.*/).reply(204);
    rpc.store.set(
      FakeZapierRpc.scopedKey('influitive-decision:48213', ['auth'], {
        userId: 'user-1',
        authId: 'auth-1',
      }),
      {
        value: JSON.stringify({ token: 'other-run', claimed_at: '2026-12-03T18:00:00.000Z' }),
        expiresAt: undefined,
      },
    );
    const error = await rejectionOf(
      runOperation(FULFILL, makeBundle({ inputData: { redemption_id: '48213 ' } }), rpc.url),
    );
    expect(JSON.parse(error.message)).toMatchObject({ code: 'decision_in_progress', status: 409 });
    expect(messageOf(error)).toMatch(
      /^Another step is deciding reward redemption 48213 right now, so nothing was sent to Influitive\./,
    );
    expect(scope.isDone()).toBe(false);
    // The other step's lock is left alone.
    expect(rpc.peek('influitive-decision:48213', ['auth'])).toMatchObject({ token: 'other-run' });
  });

  it("still decides when Zapier's cache hangs, giving up on the lock in time", async () => {
    process.env.ZAPIER_CACHE_TIMEOUT_MS = '100';
    rpc.mode = 'hang';
    try {
      const scope = nock(API, { reqheaders: influitiveHeaders })
        .post('/reward_redemptions/48213/decision/fulfill')
        .reply(204);
      const result = await runOperation(
        FULFILL,
        makeBundle({ inputData: { redemption_id: '48213' } }),
        rpc.url,
      );
      expect(scope.isDone()).toBe(true);
      expect(result).toMatchObject({ id: '48213', decision: 'fulfilled', already_decided: false });
      expect(rpc.calls.map((call) => call.method)).toContain('zcache_set');
    } finally {
      delete process.env.ZAPIER_CACHE_TIMEOUT_MS;
    }
  });

  it('declares no field type for the response, which holds an object', () => {
    const field = fulfill.operation.outputFields.find((f) => f.key === 'response');
    expect(field).toEqual({
      key: 'response',
      label: "Influitive's Answer, as Sent (Often Empty)",
      dict: true,
    });
    expect(typeof fulfill.operation.sample.response).toBe('object');
  });
});
