import fc from 'fast-check';
import { errors } from 'zapier-platform-core';
import { receiveLoudCrowdRewardEvents } from '../../../src/loudcrowd/triggers/loudcrowd_reward_event';
import type { ZObject } from '../../../src/shared/types';
import { hookBundle, LOUDCROWD_KEY, TOKEN } from '../../helpers/bundle';
import { fuzzRuns, fuzzSeed } from '../../helpers/fuzz';
import { json, loudCrowdEvent, nonBlank } from '../../helpers/loudcrowd-arbitraries';

/** Runs per property in `npm test`; `npm run test:fuzz` runs 10,000. */
const NUM_RUNS = 150;
/** The error classes Zapier itself defines (`handleError` is a helper, not a class). */
const ZAPIER_ERROR_NAMES = new Set(
  [...Object.keys(errors), 'AppError'].filter((name) => name !== 'handleError'),
);

/**
 * The perform function runs directly with a `z` that holds only what it uses: Zapier's own error
 * classes and a cache that honours set-if-absent, fresh for every run. The Lambda handler is
 * exercised by the behaviour tests; here it would only slow down hundreds of runs.
 */
const fakeZ = (): ZObject => {
  const claimed = new Set<string>();
  const cache = {
    set: async (key: string, _value: unknown, _ttl: number, _scope: string[], nx: boolean) => {
      if (nx && claimed.has(key)) return false;
      claimed.add(key);
      return true;
    },
  };
  return { errors, cache, console: { log: () => undefined } } as unknown as ZObject;
};

/** Runs one delivery with the right key; a string is sent as the raw body. */
const perform = (rawBody: string) =>
  receiveLoudCrowdRewardEvents(
    fakeZ(),
    hookBundle(rawBody, { headers: { 'Http-X-Api-Key': LOUDCROWD_KEY } }),
  );

/** Perform either returns an array or throws one of Zapier's errors, never a key. */
const expectOnlyZapierErrors = async (rawBody: string) => {
  try {
    expect(Array.isArray(await perform(rawBody))).toBe(true);
  } catch (error) {
    const { name, message } = error as Error;
    expect(ZAPIER_ERROR_NAMES).toContain(name);
    expect(message).not.toContain(LOUDCROWD_KEY);
    expect(message).not.toContain(TOKEN);
  }
};

/** Runs a property with the tier's seed and size (test/helpers/fuzz.ts). */
const settings = { seed: fuzzSeed(), numRuns: fuzzRuns(NUM_RUNS, 10_000) };

describe('loudcrowd_reward_event properties', () => {
  test('perform throws nothing but a Zapier error for any JSON body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), (body) => expectOnlyZapierErrors(JSON.stringify(body))),
      settings,
    );
  });

  test('perform throws nothing but a Zapier error for any raw text body', async () => {
    await fc.assert(fc.asyncProperty(fc.string(), expectOnlyZapierErrors), settings);
  });

  test('perform throws nothing but a Zapier error for mutated events', async () => {
    const mutated = fc.oneof(
      loudCrowdEvent(fc.oneof(nonBlank, json())),
      fc.array(loudCrowdEvent(fc.oneof(nonBlank, json())), { maxLength: 4 }),
    );
    await fc.assert(
      fc.asyncProperty(mutated, (body) => expectOnlyZapierErrors(JSON.stringify(body))),
      settings,
    );
  });

  test('a valid event yields exactly one item, with id equal to its lcId', async () => {
    await fc.assert(
      fc.asyncProperty(loudCrowdEvent(nonBlank), async (event) => {
        const items = await perform(JSON.stringify(event));
        expect(items.map((item) => item.id)).toEqual([event.lcId]);
        expect(items[0]?.idempotency_key).toBe(`loudcrowd-reward-${event.lcId}`);
      }),
      settings,
    );
  });

  test('a list of valid events yields one item per event, in order, with id equal to lcId', async () => {
    const events = fc
      .uniqueArray(nonBlank, { minLength: 1, maxLength: 5 })
      .chain((ids) => fc.tuple(...ids.map((id) => loudCrowdEvent(fc.constant(id)))));
    await fc.assert(
      fc.asyncProperty(events, async (list) => {
        const items = await perform(JSON.stringify(list));
        expect(items.map((item) => item.id)).toEqual(list.map((event) => event.lcId));
      }),
      settings,
    );
  });

  test('a list mixing valid and invalid events yields exactly the valid ones', async () => {
    const invalid = fc.oneof(
      fc.jsonValue().filter((value) => typeof value !== 'object' || value === null),
      fc.dictionary(fc.string(), fc.jsonValue()).map(({ lcId: _dropped, ...rest }) => rest),
      fc.record({ lcId: fc.oneof(fc.constant(' '), fc.integer(), fc.boolean()) }),
    );
    const mixed = fc
      .uniqueArray(nonBlank, { minLength: 1, maxLength: 4 })
      .chain((ids) =>
        fc.tuple(
          fc.tuple(...ids.map((id) => loudCrowdEvent(fc.constant(id)))),
          fc.array(invalid, { maxLength: 4 }),
        ),
      )
      .chain(([valid, bad]) =>
        fc
          .shuffledSubarray([...valid, ...bad], { minLength: valid.length + bad.length })
          .map((list) => ({ valid, list })),
      );
    await fc.assert(
      fc.asyncProperty(mixed, async ({ valid, list }) => {
        const items = await perform(JSON.stringify(list));
        const expected = list.filter((event) => valid.includes(event as (typeof valid)[number]));
        expect(items.map((item) => item.id)).toEqual(
          expected.map((event) => (event as { lcId: string }).lcId),
        );
      }),
      settings,
    );
  });
});
