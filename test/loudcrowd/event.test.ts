import App from '../../src';
import {
  LoudCrowdEventShapeError,
  loudCrowdEventOutputFields,
  loudCrowdEventSample,
  loudCrowdEventsFromBody,
  loudCrowdRewardEventSchema,
  loudCrowdSamplePayload,
  normalizeLoudCrowdEvent,
} from '../../src/loudcrowd/event';
import trigger from '../../src/loudcrowd/triggers/loudcrowd_reward_event';
import withMedias from './fixtures/reward_event_medias.json';

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$/;
// Words a title-case label may keep in lower case.
const MINOR_WORDS = new Set(['and', 'or', 'of', 'e.g.']);

/** The sample's value(s) for an output field key; `medias[]x` reads x from every media item. */
const valuesAt = (key: string): unknown[] => {
  const [list, field] = key.split('[]');
  if (field === undefined) return [loudCrowdEventSample[key]];
  const items = loudCrowdEventSample[list as string];
  return Array.isArray(items) ? items.map((item: Record<string, unknown>) => item[field]) : [];
};

describe('loudCrowdEventSample', () => {
  test('is the documented payload through the one normaliser', () => {
    expect(loudCrowdEventSample).toEqual(normalizeLoudCrowdEvent(loudCrowdSamplePayload));
    expect(loudCrowdRewardEventSchema.safeParse(loudCrowdEventSample).success).toBe(true);
    expect(trigger.operation.sample).toBe(loudCrowdEventSample);
  });

  test('has a non-empty value for every output field', () => {
    for (const { key } of loudCrowdEventOutputFields) {
      const values = valuesAt(key);
      expect({ key, values }).toEqual({ key, values: expect.arrayContaining([expect.anything()]) });
      for (const value of values) expect({ key, value }).not.toEqual({ key, value: '' });
    }
  });

  test('has every date in ISO 8601 with an offset', () => {
    const dated = loudCrowdEventOutputFields.filter((field) => field.type === 'datetime');
    expect(dated.map((field) => field.key)).toEqual(['medias[]postedAt']);
    expect(valuesAt('medias[]postedAt')).toEqual([
      '2026-11-18T14:02:37.415+00:00',
      '2026-11-19T09:47:05.118+00:00',
    ]);
    for (const value of valuesAt('medias[]postedAt')) expect(value).toMatch(ISO_WITH_OFFSET);
  });

  test('labels every output field in title case, each key once', () => {
    const keys = loudCrowdEventOutputFields.map((field) => field.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const { label } of loudCrowdEventOutputFields) {
      const lowerCase = label
        .replace(/[(),]/g, ' ')
        .split(/\s+/)
        .filter((word) => word !== '' && !MINOR_WORDS.has(word) && !/^[A-Z0-9]/.test(word));
      expect({ label, lowerCase }).toEqual({ label, lowerCase: [] });
    }
  });
});

describe('loudcrowd_reward_event definition', () => {
  test('is registered in the app as a static hook with a sample list and no subscribe step', () => {
    const registered = (App.triggers as Record<string, typeof trigger>).loudcrowd_reward_event;
    // Registered behind the secret scrubber: the same definition with wrapped perform functions.
    expect(registered).toMatchObject({
      ...trigger,
      operation: {
        ...trigger.operation,
        perform: expect.any(Function),
        performList: expect.any(Function),
      },
    });
    expect(Object.keys(registered?.operation ?? {}).sort()).toEqual(
      ['inputFields', 'outputFields', 'perform', 'performList', 'sample', 'type'].sort(),
    );
    expect(trigger.operation.type).toBe('hook');
  });

  test('describes itself as Zapier asks and tells the user where to paste the URL', () => {
    expect(trigger.display.description).toMatch(/^Triggers when .*\.$/);
    const { directions } = trigger.display;
    expect(directions.length).toBeGreaterThanOrEqual(12);
    expect(directions.length).toBeLessThanOrEqual(1000);
    expect(directions).toContain('Integrations → Outbound → Add Integration → Webhook');
    expect(directions).toMatch(/API Url.*API Key.*Test/);
  });
});

describe('normalizeLoudCrowdEvent', () => {
  test('keeps every field it was sent and prefers medias over posts', () => {
    const event = normalizeLoudCrowdEvent({ ...withMedias, posts: [{ lcid: 'OTHER' }] });
    expect(event.posts).toEqual([{ lcid: 'OTHER' }]);
    expect(event.medias.map((media) => media.lcId)).toEqual([
      'MED-51C0E7A2',
      'MED-51C0E7B9',
      'MED-51C0E8D4',
    ]);
  });

  test('falls back to posts when medias is null', () => {
    const event = normalizeLoudCrowdEvent({
      lcId: 'RWD-1',
      medias: null,
      posts: [{ lcid: 'P-1' }],
    });
    expect(event.medias.map((media) => media.lcId)).toEqual(['P-1']);
    expect(event).not.toHaveProperty('medias_original');
  });

  test('reads a numeric postedAt as epoch seconds in UTC', () => {
    const event = normalizeLoudCrowdEvent({ lcId: 'RWD-1', medias: [{ postedAt: 1_794_000_000 }] });
    expect(event.medias[0]?.postedAt).toBe('2026-11-06T21:20:00.000+00:00');
  });

  test('throws LoudCrowdEventShapeError (not a TypeError) for a value that is not an event', () => {
    expect(() => normalizeLoudCrowdEvent(['RWD-1'])).toThrow(
      new LoudCrowdEventShapeError('is an array, not a JSON object'),
    );
  });

  test('reads each event of a list, with the 1-based position of each one it rejects', () => {
    const { events, rejected } = loudCrowdEventsFromBody([
      { lcId: 'A' },
      { lcId: '' },
      { lcId: 'B' },
    ]);
    expect(events.map((event) => event.id)).toEqual(['A', 'B']);
    expect(rejected).toEqual(['event 2 has an empty lcId (its fields: lcId)']);
  });
});
