import fc from 'fast-check';
import { errors } from 'zapier-platform-core';
import { receiveLoudCrowdRewardEvents } from '../../../src/loudcrowd/triggers/loudcrowd_reward_event';
import type { ZObject } from '../../../src/shared/types';
import { hookBundle, LOUDCROWD_KEY, TOKEN } from '../../helpers/bundle';
import withMedias from '../fixtures/reward_event_medias.json';

const NUM_RUNS = 300;
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

const nonBlank = fc.string({ minLength: 1 }).filter((text) => text.trim() !== '');

/** A media item as LoudCrowd might send it: known fields in any type, plus anything else. */
const media = fc.oneof(
  fc.record(
    {
      lcId: fc.oneof(nonBlank, fc.jsonValue()),
      lcid: fc.oneof(nonBlank, fc.jsonValue()),
      postedAt: fc.oneof(
        fc.date({ noInvalidDate: true }).map((date) => date.toISOString().replace('Z', '')),
        fc.jsonValue(),
      ),
      postType: fc.oneof(
        fc.constantFrom('FEED', 'STORY', 'REEL', 'story', 'CAROUSEL'),
        fc.jsonValue(),
      ),
      platform: fc.oneof(fc.constantFrom('instagram', 'tik_tok'), fc.jsonValue()),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue(),
);

/** An event with the given lcId and every other field mutated (valid when lcId is non-blank). */
const eventWith = <T>(lcId: fc.Arbitrary<T>) =>
  fc
    .record({
      extra: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }),
      fixture: fc.subarray(Object.keys(withMedias)),
      medias: fc.oneof(fc.array(media, { maxLength: 4 }), fc.jsonValue()),
      mediaKey: fc.constantFrom('medias', 'posts'),
      platform: fc.option(fc.jsonValue(), { nil: undefined }),
      lcId,
    })
    .map(({ extra, fixture, medias, mediaKey, platform, lcId: id }) => ({
      ...extra,
      ...Object.fromEntries(
        fixture.map((key) => [key, withMedias[key as keyof typeof withMedias]]),
      ),
      [mediaKey]: medias,
      ...(platform === undefined ? {} : { platform }),
      lcId: id,
    }));

describe('loudcrowd_reward_event properties', () => {
  test('perform throws nothing but a Zapier error for any JSON body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), (body) => expectOnlyZapierErrors(JSON.stringify(body))),
      { numRuns: NUM_RUNS },
    );
  });

  test('perform throws nothing but a Zapier error for any raw text body', async () => {
    await fc.assert(fc.asyncProperty(fc.string(), expectOnlyZapierErrors), { numRuns: NUM_RUNS });
  });

  test('perform throws nothing but a Zapier error for mutated events', async () => {
    const mutated = fc.oneof(
      eventWith(fc.oneof(nonBlank, fc.jsonValue())),
      fc.array(eventWith(fc.oneof(nonBlank, fc.jsonValue())), {
        maxLength: 4,
      }),
    );
    await fc.assert(
      fc.asyncProperty(mutated, (body) => expectOnlyZapierErrors(JSON.stringify(body))),
      { numRuns: NUM_RUNS },
    );
  });

  test('a valid event yields exactly one item, with id equal to its lcId', async () => {
    await fc.assert(
      fc.asyncProperty(eventWith(nonBlank), async (event) => {
        const items = await perform(JSON.stringify(event));
        expect(items.map((item) => item.id)).toEqual([event.lcId]);
        expect(items[0]?.idempotency_key).toBe(`loudcrowd-reward-${event.lcId}`);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('a list of valid events yields one item per event, in order, with id equal to lcId', async () => {
    const events = fc
      .uniqueArray(nonBlank, { minLength: 1, maxLength: 5 })
      .chain((ids) => fc.tuple(...ids.map((id) => eventWith(fc.constant(id)))));
    await fc.assert(
      fc.asyncProperty(events, async (list) => {
        const items = await perform(JSON.stringify(list));
        expect(items.map((item) => item.id)).toEqual(list.map((event) => event.lcId));
      }),
      { numRuns: NUM_RUNS },
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
          fc.tuple(...ids.map((id) => eventWith(fc.constant(id)))),
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
      { numRuns: NUM_RUNS },
    );
  });
});
