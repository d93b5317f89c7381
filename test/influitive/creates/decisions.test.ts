import nock from 'nock';
import fulfill from '../../../src/influitive/creates/fulfill_reward_redemption';
import refuse from '../../../src/influitive/creates/refuse_reward_redemption';
import { API, influitiveHeaders, makeBundle } from '../../helpers/bundle';
import { messageOf, rejectionOf } from '../../helpers/errors';
import { runOperation } from '../../helpers/run';

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
      'Influitive would not fulfill reward redemption 48213: it was already refused, so it cannot also be fulfilled. Influitive said: "Reward redemption has already been refused"',
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
        /did not answer POST .*The fulfill of reward redemption 48213 may or may not have been applied\. Running this step again is safe: if it was applied, the rerun reports it as already fulfilled\.$/,
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

  it('says a refused redemption was already decided', async () => {
    nock(API).post('/reward_redemptions/48214/decision/refuse').reply(422, '');
    const error = await rejectionOf(
      runOperation(
        REFUSE,
        makeBundle({ inputData: { redemption_id: '48214', message: 'Out of stock' } }),
      ),
    );
    expect(messageOf(error)).toBe(
      'Influitive would not refuse reward redemption 48214: it was already decided (fulfilled or refused).',
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
