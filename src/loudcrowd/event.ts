/**
 * The one LoudCrowd reward-event shape. LoudCrowd's two help-centre versions disagree (`medias` or
 * `posts`, `lcId` or `lcid` inside, `platform` or not) and `postedAt` has no offset, so the
 * normaliser accepts every documented form and keeps every field it was sent. The trigger, its
 * sample and the tests all go through `normalizeLoudCrowdEvent`.
 */
import * as zm from 'zod/mini';
import editorSamples from '../editor-samples.json';
import { toIsoWithOffset } from '../shared/dates';
import { idempotencyKeys, idempotencyOutputFields } from '../shared/idempotency';
import {
  describeJsonType,
  fieldNames,
  firstString,
  isJsonObject,
  type JsonObject,
} from '../shared/types';

const nullableString = zm.nullable(zm.string());
const count = zm.number().check(zm.int(), zm.nonnegative());

/** What a delivery must have to be a reward event at all; every other field is optional. */
export const loudCrowdEventInputSchema = zm.looseObject(
  {
    lcId: zm
      .string({
        error: (issue) =>
          issue.input === undefined
            ? 'has no lcId'
            : `has an lcId that is ${describeJsonType(issue.input)}, not a string`,
      })
      .check(zm.refine((lcId) => lcId.trim() !== '', { error: 'has an empty lcId' })),
  },
  { error: (issue) => `is ${describeJsonType(issue.input)}, not a JSON object` },
);

export const loudCrowdMediaSchema = zm.looseObject({
  lcId: nullableString,
  postedAt: nullableString,
  postType: nullableString,
  platform: nullableString,
});
export type LoudCrowdMedia = zm.infer<typeof loudCrowdMediaSchema>;

export const loudCrowdRewardEventSchema = zm.looseObject({
  id: zm.string().check(zm.minLength(1)),
  lcId: zm.string().check(zm.minLength(1)),
  medias: zm.array(loudCrowdMediaSchema),
  media_count: count,
  feed_count: count,
  story_count: count,
  reel_count: count,
  idempotency_key: zm.string().check(zm.regex(/^loudcrowd-reward-[\s\S]+$/)),
  idempotency_key_alphanumeric: zm.string().check(zm.regex(/^[A-Za-z0-9]{1,100}$/)),
});
export type LoudCrowdRewardEvent = zm.infer<typeof loudCrowdRewardEventSchema>;

/** Thrown for a delivery that cannot be a reward event; the trigger turns it into a HaltedError. */
export class LoudCrowdEventShapeError extends Error {
  override name = 'LoudCrowdEventShapeError';
}

const nonEmptyString = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

/**
 * `{ <key>_original: value }` when the normaliser could not read a value it was sent, so a field
 * it replaces with null (or a list it cannot read) is never silently lost.
 */
const keepUnread = (key: string, sent: unknown, read: unknown): JsonObject =>
  read === null && sent !== undefined && sent !== null ? { [`${key}_original`]: sent } : {};

/** One media item: `lcId` (or `lcid`), `postedAt` as ISO 8601 in UTC, `postType` upper-cased. */
const normalizeMedia = (item: unknown, eventPlatform: string | null): LoudCrowdMedia => {
  const source: JsonObject = isJsonObject(item) ? item : { value: item };
  const postedAt = toIsoWithOffset(source.postedAt) ?? null;
  const postType = nonEmptyString(source.postType)?.toUpperCase() ?? null;
  const platform = nonEmptyString(source.platform);
  return {
    ...source,
    ...keepUnread('postedAt', source.postedAt, postedAt),
    ...keepUnread('postType', source.postType, postType),
    ...keepUnread('platform', source.platform, platform),
    lcId: firstString(source, ['lcId', 'lcid']) ?? null,
    postedAt,
    postType,
    // A platform sent once for the whole event applies to each of its posts.
    platform: platform ?? eventPlatform,
  };
};

/** The media list under `medias` or its alias `posts`; a lone object counts as a list of one. */
const mediaItems = (event: JsonObject): { items: unknown[]; unread: JsonObject } => {
  const key = event.medias !== undefined && event.medias !== null ? 'medias' : 'posts';
  const value = event[key];
  if (Array.isArray(value)) return { items: value, unread: {} };
  if (isJsonObject(value)) return { items: [value], unread: {} };
  // `posts` keeps its own key in the output; only `medias` is overwritten by the normalised list.
  return { items: [], unread: key === 'medias' ? keepUnread('medias', value, null) : {} };
};

const countOf = (medias: readonly LoudCrowdMedia[], postType: string): number =>
  medias.filter((media) => media.postType === postType).length;

/** The names of a delivery's fields, for a halt reason that helps find what was sent instead. */
const fieldsOf = (raw: unknown): string =>
  isJsonObject(raw) ? ` (its fields: ${fieldNames(raw)})` : '';

/**
 * One reward event in the shape the trigger outputs, or why the value cannot be one. A result, not
 * a throw: a hostile list of 200,000 numbers would otherwise build 200,000 stack traces.
 */
const readLoudCrowdEvent = (
  raw: unknown,
): { event: LoudCrowdRewardEvent; reason?: never } | { event?: never; reason: string } => {
  const parsed = loudCrowdEventInputSchema.safeParse(raw);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => issue.message).join('; ');
    return { reason: `${reasons}${fieldsOf(raw)}` };
  }
  const event: JsonObject & { lcId: string } = parsed.data;
  const { items, unread } = mediaItems(event);
  const medias = items.map((item) => normalizeMedia(item, nonEmptyString(event.platform)));
  return {
    event: loudCrowdRewardEventSchema.parse({
      ...event,
      ...unread,
      id: event.lcId,
      medias,
      media_count: medias.length,
      feed_count: countOf(medias, 'FEED'),
      story_count: countOf(medias, 'STORY'),
      reel_count: countOf(medias, 'REEL'),
      ...idempotencyKeys('loudcrowd-reward', event.lcId),
    }),
  };
};

/** One reward event in the shape the trigger outputs; throws LoudCrowdEventShapeError otherwise. */
export const normalizeLoudCrowdEvent = (raw: unknown): LoudCrowdRewardEvent => {
  const read = readLoudCrowdEvent(raw);
  if (read.reason !== undefined) throw new LoudCrowdEventShapeError(read.reason);
  return read.event;
};

/** The events of one delivery: the valid ones, and a reason for each one that is not. */
export interface LoudCrowdDelivery {
  events: LoudCrowdRewardEvent[];
  /** "event 2 has no lcId (its fields: email)": 1-based positions, as a user counts them. */
  rejected: string[];
}

/**
 * Reads a webhook body: one event object, or a list of them (each becomes one trigger item), of
 * any length: core 19 sets no count on a hook's items, only a size on its result (6 MiB,
 * `RESPONSE_SIZE_LIMIT` in core's large-response-cacher), which a body Zapier accepted stays near.
 * Throws LoudCrowdEventShapeError for a body that cannot hold an event at all.
 */
export const loudCrowdEventsFromBody = (body: unknown): LoudCrowdDelivery => {
  if (!Array.isArray(body) && !isJsonObject(body)) {
    throw new LoudCrowdEventShapeError(
      `The delivery is ${describeJsonType(body)}, not a LoudCrowd event (a JSON object with an lcId) or a list of them.`,
    );
  }
  if (Array.isArray(body) && body.length === 0) {
    throw new LoudCrowdEventShapeError(
      'The delivery is an empty list: it holds no LoudCrowd event.',
    );
  }
  const raws: unknown[] = Array.isArray(body) ? body : [body];
  const delivery: LoudCrowdDelivery = { events: [], rejected: [] };
  raws.forEach((raw, index) => {
    const read = readLoudCrowdEvent(raw);
    if (read.event !== undefined) {
      delivery.events.push(read.event);
      return;
    }
    const which = Array.isArray(body) ? `event ${index + 1}` : 'the event';
    delivery.rejected.push(`${which} ${read.reason}`);
  });
  return delivery;
};

/** A reward event as LoudCrowd documents it, with both of the older version's extras. */
export const loudCrowdSamplePayload = {
  lcId: 'RWD-7Q2K9X4M',
  email: 'jordan.reyes@lumen-outdoor.example',
  igUsername: 'jordanreyes.trails',
  ttUsername: 'jordan.reyes.trails',
  discountCode: 'JORDAN15-7Q2K',
  medias: [
    {
      lcId: 'MED-3F8A1C20',
      postedAt: '2026-11-18T14:02:37.415203',
      postType: 'STORY',
      platform: 'instagram',
    },
    {
      lcid: 'MED-3F8A1D57',
      postedAt: '2026-11-19T09:47:05.118640',
      postType: 'REEL',
      platform: 'instagram',
    },
  ],
};

/**
 * The editor's sample: `loudCrowdSamplePayload` through `normalizeLoudCrowdEvent`, computed by
 * `npm run samples` (scripts/editor-samples.ts) so that loading the app runs no normaliser.
 */
export const loudCrowdEventSample: LoudCrowdRewardEvent = editorSamples.loudcrowd_reward_event;

export const loudCrowdEventOutputFields = [
  { key: 'id', label: 'Reward Event ID', type: 'string' as const },
  { key: 'lcId', label: 'LoudCrowd ID', type: 'string' as const },
  { key: 'email', label: 'Email', type: 'string' as const },
  { key: 'igUsername', label: 'Instagram Username', type: 'string' as const },
  { key: 'ttUsername', label: 'TikTok Username', type: 'string' as const },
  { key: 'discountCode', label: 'Discount Code', type: 'string' as const },
  { key: 'medias[]lcId', label: 'Media LoudCrowd ID', type: 'string' as const },
  { key: 'medias[]postedAt', label: 'Media Posted At', type: 'datetime' as const },
  { key: 'medias[]postType', label: 'Media Post Type', type: 'string' as const },
  { key: 'medias[]platform', label: 'Media Platform', type: 'string' as const },
  { key: 'media_count', label: 'Media Count', type: 'integer' as const },
  { key: 'feed_count', label: 'Feed Post Count', type: 'integer' as const },
  { key: 'story_count', label: 'Story Count', type: 'integer' as const },
  { key: 'reel_count', label: 'Reel Count', type: 'integer' as const },
  ...idempotencyOutputFields,
];
