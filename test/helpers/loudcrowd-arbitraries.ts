/**
 * The one generator of LoudCrowd deliveries' parts, shared by the LoudCrowd property test and the
 * hostile-input suite: strings of every kind, hostile keys, and mutations of the documented event.
 */
import fc from 'fast-check';
import lcFixture from '../loudcrowd/fixtures/reward_event_medias.json';

const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
// Any code point, lone surrogate halves included: what `{ unit: 'binary' }` draws, without the
// 1.1-million-entry reverse table fast-check builds for that unit when the file loads (~1.1 s).
const codePoint = fc.integer({ min: 0, max: 0x10ffff }).map((point) => String.fromCodePoint(point));
/** Strings of every kind: ASCII, any code point, lone surrogates, and the blank ones JS trims. */
export const anyString = fc.oneof(
  { weight: 3, arbitrary: fc.string() },
  { weight: 2, arbitrary: fc.string({ unit: codePoint }) },
  { weight: 1, arbitrary: fc.string({ unit: codeUnit }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\t\n',
      '\u00a0',
      '\ufeff',
      '\u2028',
      '\u0000',
      '0',
      'null',
      'undefined',
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'hasOwnProperty',
    ),
  },
);
export const nonBlank = anyString.filter((text) => text.trim() !== '');
export const blank = fc.constantFrom('', ' ', '\t', '\n\r', '\u00a0', '\ufeff', '\u2028 ');

/** Keys an attacker would try, and the fields the normalisers care about. */
export const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'lcId',
  'lcid',
  'id',
  'medias',
  'posts',
  'idempotency_key',
  'media_count',
  'reward',
  'contact',
  'member',
  'metadata',
  'status',
];
export const key = fc.oneof(
  { weight: 2, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_KEYS) },
);
export const json = (maxDepth = 3) => fc.jsonValue({ maxDepth });

/** An object with own properties only, `__proto__` and `constructor` included. */
export const withOwn = (entries: readonly (readonly [string, unknown])[], base: object = {}) => {
  const object: Record<string, unknown> = { ...base };
  for (const [name, value] of entries) {
    Object.defineProperty(object, name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return object;
};
export const hostileObject = (maxKeys = 4) =>
  fc.array(fc.tuple(key, json(2)), { maxLength: maxKeys }).map((entries) => withOwn(entries));

/** A media item as LoudCrowd might send it: known fields in any type, plus anything else. */
export const lcMedia = fc.oneof(
  fc
    .record(
      {
        lcId: fc.oneof(nonBlank, json(1)),
        lcid: fc.oneof(nonBlank, json(1)),
        postedAt: fc.oneof(
          fc.date({ noInvalidDate: true }).map((date) => date.toISOString().replace('Z', '')),
          json(1),
        ),
        postType: fc.oneof(fc.constantFrom('FEED', 'STORY', 'REEL', 'story', 'CAROUSEL'), json(1)),
        platform: fc.oneof(fc.constantFrom('instagram', 'tik_tok'), json(1)),
        extra: hostileObject(2),
      },
      { requiredKeys: [] },
    )
    .map(({ extra, ...fields }) => withOwn(Object.entries(fields), extra)),
  json(2),
);

/** An lcId: usually valid, sometimes blank, another type, or missing. */
export const lcIdValue = fc.oneof(
  { weight: 6, arbitrary: nonBlank },
  { weight: 1, arbitrary: blank },
  { weight: 1, arbitrary: json(1) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/**
 * A mutation of the documented event: fixture fields, mutated medias, hostile extras, and the given
 * lcId (by default usually valid, sometimes blank, another type, or missing).
 */
export const loudCrowdEvent = <T>(lcId: fc.Arbitrary<T> = lcIdValue as fc.Arbitrary<T>) =>
  fc
    .record({
      extra: hostileObject(),
      fixture: fc.subarray(Object.keys(lcFixture)),
      medias: fc.oneof(fc.array(lcMedia, { maxLength: 4 }), json(2)),
      mediaKey: fc.constantFrom('medias', 'posts'),
      platform: fc.option(json(1), { nil: undefined }),
      lcId,
    })
    .map(({ extra, fixture, medias, mediaKey, platform, lcId: id }) => {
      const fields: [string, unknown][] = fixture.map((name) => [
        name,
        lcFixture[name as keyof typeof lcFixture],
      ]);
      fields.push([mediaKey, medias]);
      if (platform !== undefined) fields.push(['platform', platform]);
      const event = withOwn(fields, extra);
      if (id === undefined) delete event.lcId;
      else
        Object.defineProperty(event, 'lcId', { value: id, enumerable: true, configurable: true });
      return event;
    });
