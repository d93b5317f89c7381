import { bodyShape, UNREADABLE_WINDOW_SECONDS } from '../../src/influitive/unreadable-body';
import { hookBundle, TOKEN } from '../helpers/bundle';
import { messageOf, rejectionOf } from '../helpers/errors';
import nock from '../helpers/nock';
import { runOperation } from '../helpers/run';
import { FakeZapierRpc } from '../helpers/zapier-rpc';

const HOOK = 'triggers.reward_redemption_requested.operation.perform';

describe('bodyShape', () => {
  it('names top-level keys and value types, never a value', () => {
    expect(
      bodyShape({
        event: 'redeemed',
        data: { secret: 'x' },
        items: [1],
        ok: true,
        n: 3,
        none: null,
      }),
    ).toBe(
      '{"event": string, "data": object, "items": array, "ok": boolean, "n": number, "none": null}',
    );
    expect(bodyShape([1, 'a', 2])).toBe('an array of 3 (number, string)');
    expect(bodyShape('text')).toBe('string');
  });

  it('scrubs a secret from a key before shortening it, and caps the keys shown', () => {
    expect(bodyShape({ [`${TOKEN}-and-more-text`]: 1 }, [TOKEN])).toBe(
      '{"[redacted]-and-more-text": number}',
    );
    const many = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`k${i}`, i]));
    expect(bodyShape(many)).toMatch(/"k19": number, and 5 more\}$/);
    expect(bodyShape({ [`${'x'.repeat(50)}`]: 1 })).toBe(`{"${'x'.repeat(40)}…": number}`);
  });
});

describe('an unreadable body on the Influitive hook', () => {
  let rpc: FakeZapierRpc;
  beforeEach(async () => {
    rpc = await new FakeZapierRpc().start();
  });
  afterEach(async () => {
    nock.cleanAll();
    await rpc.stop();
  });

  it(`errors once per connection in ${UNREADABLE_WINDOW_SECONDS / 60} minutes, then halts with the same text, making no request`, async () => {
    const body = { event: 'reward.redeemed', payload: { reward: 'Gift card' } };
    const first = await rejectionOf(runOperation(HOOK, hookBundle(body), rpc.url));
    const second = await rejectionOf(runOperation(HOOK, hookBundle(body), rpc.url));
    const other = rpc.tokenFor({ userId: 'user-2', authId: 'auth-2' });
    const elsewhere = await rejectionOf(
      runOperation(HOOK, hookBundle(body), { url: rpc.url, token: other }),
    );
    expect([first.name, second.name, elsewhere.name]).toEqual([
      'AppError',
      'HaltedError',
      'AppError',
    ]);
    expect(messageOf(second)).toBe(messageOf(first));
    expect(messageOf(first)).toContain(
      'The body\'s shape (keys and types, no values): {"event": string, "payload": object}.',
    );
    expect(messageOf(first)).toContain('`npm run doctor -- --webhook body.json`');
    expect(messageOf(first)).not.toMatch(/reward\.redeemed|Gift card|replay/i);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('keeps a connection secret sent as a key out of the message', async () => {
    const error = await rejectionOf(runOperation(HOOK, hookBundle({ [TOKEN]: TOKEN }), rpc.url));
    expect(error.message).not.toContain(TOKEN.slice(0, 20));
  });
});
