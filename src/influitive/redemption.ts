/**
 * The one reward-redemption shape. Influitive's payload field names are not public, so the
 * normaliser accepts every plausible form (side-loaded or embedded members, reward as object or
 * id + name, metadata in three places, webhook bodies wrapped or not) and keeps every field it was
 * sent. Every trigger, search, sample and test goes through `normalizeRedemption`.
 */
import * as zm from 'zod/mini';
import { toIsoWithOffset } from '../shared/dates';
import { hubKeyComponent, idempotencyKeys, idempotencyOutputFields } from '../shared/idempotency';
import { parseJson } from '../shared/json';
import {
  describeJsonType,
  fieldNames,
  firstString,
  idString,
  isJsonObject,
  type JsonObject,
} from '../shared/types';
import { findMember, memberOutputFields, memberSchema, normalizeMember } from './member';

const nullableString = zm.nullable(zm.string());

export const rewardRedemptionSchema = zm.looseObject({
  id: zm.string().check(zm.minLength(1)),
  reward_id: nullableString,
  reward: zm.looseObject({ id: nullableString, name: nullableString }),
  member: memberSchema,
  status: zm.string().check(zm.minLength(1)),
  requested_at: nullableString,
  metadata: zm.record(zm.string(), zm.unknown()),
  summary: zm.string(),
  idempotency_key: zm.string().check(zm.regex(/^influitive-[0-9a-f]{8}-redemption-[\s\S]+$/)),
  idempotency_key_alphanumeric: zm.string().check(zm.regex(/^[A-Za-z0-9]{1,100}$/)),
});
export type RewardRedemption = zm.infer<typeof rewardRedemptionSchema>;

/** Thrown for a payload that cannot be a redemption; callers turn it into the right z.errors type. */
export class RedemptionShapeError extends Error {
  override name = 'RedemptionShapeError';
}

/** Side-loaded records the redemption may refer to (the API's `contacts`). */
export interface RedemptionContext {
  contacts?: readonly unknown[];
  /** Status when the source does not say: the pending list only holds pending redemptions. */
  defaultStatus?: string;
  /** The connection's org ID: the idempotency keys name the hub, so two hubs never share one. */
  orgId?: unknown;
}

/**
 * Keys that name the redemption itself. In a flat webhook body (`{"id": "evt_9f2",
 * "reward_redemption_id": 70005, …}`) the plain `id` is the event's, so these win over it.
 */
const REDEMPTION_ID_KEYS = ['reward_redemption_id', 'redemption_id', 'redemption_uuid'] as const;
const ID_KEYS = [...REDEMPTION_ID_KEYS, 'id', 'uuid'] as const;
const MEMBER_REF_KEYS = [
  'contact_id',
  'member_id',
  'advocate_id',
  'contact_uuid',
  'member_uuid',
] as const;
const REQUESTED_AT_KEYS = [
  'requested_at',
  'created_at',
  'redeemed_at',
  'createdAt',
  'requestedAt',
] as const;

const resolveMember = (raw: JsonObject, contacts: readonly unknown[]): JsonObject => {
  for (const key of ['contact', 'member', 'advocate'] as const) {
    const embedded = raw[key];
    if (isJsonObject(embedded)) return embedded;
    const ref = idString(embedded);
    if (ref !== undefined) return findMember(contacts, ref) ?? { id: ref };
  }
  const ref = firstString(raw, MEMBER_REF_KEYS);
  if (ref === undefined) return {};
  return findMember(contacts, ref) ?? { id: ref };
};

const resolveReward = (
  raw: JsonObject,
): JsonObject & { id: string | null; name: string | null } => {
  const reward = isJsonObject(raw.reward) ? raw.reward : {};
  const nameFromString = typeof raw.reward === 'string' ? raw.reward : undefined;
  return {
    ...reward,
    id:
      firstString(reward, ['id', 'uuid']) ?? firstString(raw, ['reward_id', 'reward_uuid']) ?? null,
    name:
      firstString(reward, ['name', 'title']) ??
      firstString(raw, ['reward_name', 'reward_title']) ??
      nameFromString ??
      null,
  };
};

/**
 * Reward Metadata as a flat object, from an object, a `[{key, value}]` list or a JSON string;
 * undefined when it cannot be read (text that is not JSON, or nests deeper than any metadata).
 */
export const normalizeMetadata = (value: unknown): Record<string, unknown> | undefined => {
  if (typeof value === 'string') {
    const parsed = parseJson(value);
    return parsed.ok ? normalizeMetadata(parsed.value) : undefined;
  }
  if (Array.isArray(value)) {
    const pairs: Record<string, unknown> = {};
    for (const entry of value) {
      if (!isJsonObject(entry)) continue;
      const key = firstString(entry, ['key', 'name', 'label']);
      if (key !== undefined) pairs[key] = entry.value;
    }
    return pairs;
  }
  return isJsonObject(value) ? { ...value } : undefined;
};

/**
 * `metadata` as a flat object, found in any of its four places. Metadata that cannot be read is
 * kept as it was sent: in place, or under `metadata_original` when `metadata` itself held it.
 */
const resolveMetadata = (raw: JsonObject): JsonObject => {
  const reward = isJsonObject(raw.reward) ? raw.reward : {};
  const found = [raw.metadata, raw.reward_metadata, reward.metadata, reward.reward_metadata].find(
    (candidate) => candidate !== undefined && candidate !== null,
  );
  const metadata = normalizeMetadata(found);
  if (metadata !== undefined) return { metadata };
  return found !== undefined && found === raw.metadata
    ? { metadata: {}, metadata_original: found }
    : { metadata: {} };
};

const summarize = (
  reward: { id: string | null; name: string | null },
  member: ReturnType<typeof normalizeMember>,
) => {
  const what = reward.name ?? (reward.id ? `Reward ${reward.id}` : 'Reward');
  const who =
    member.name && member.email
      ? `${member.name} <${member.email}>`
      : (member.name ?? member.email);
  return who ? `${what} for ${who}` : what;
};

/** Words a redemption's status can be; anything else in `state` is a shipping address field. */
const STATUS_WORDS =
  /^(pending|requested|new|open|in_review|fulfilled|refused|rejected|approved|declined|cancell?ed|completed|shipped|delivered|expired)$/i;

/** `state` as the status only when it is a status word: a shipping `state` is a province (`ON`). */
const statusFromState = (value: unknown): string | undefined => {
  const text = idString(value);
  return text !== undefined && STATUS_WORDS.test(text) ? text : undefined;
};

/** One redemption in the shape every trigger and search outputs. */
export const normalizeRedemption = (
  raw: unknown,
  context: RedemptionContext = {},
): RewardRedemption => {
  if (!isJsonObject(raw)) {
    throw new RedemptionShapeError(
      `A reward redemption must be a JSON object, not ${raw === null ? 'null' : typeof raw}.`,
    );
  }
  const id = firstString(raw, ID_KEYS);
  if (id === undefined) {
    throw new RedemptionShapeError(
      `The reward redemption has no id (looked for ${ID_KEYS.join(', ')}); its fields are: ${fieldNames(raw)}.`,
    );
  }
  // The body's own id, when it is not the redemption's (an event id), is kept beside it.
  const ownId = firstString(raw, ['id']);
  const reward = resolveReward(raw);
  const member = normalizeMember(resolveMember(raw, context.contacts ?? []));
  const requestedAt = REQUESTED_AT_KEYS.map((key) => toIsoWithOffset(raw[key])).find(Boolean);
  return rewardRedemptionSchema.parse({
    ...raw,
    ...(ownId !== undefined && ownId !== id ? { event_id: ownId } : {}),
    id,
    reward_id: reward.id,
    reward,
    member,
    status:
      firstString(raw, ['status']) ??
      statusFromState(raw.state) ??
      context.defaultStatus ??
      'pending',
    requested_at: requestedAt ?? null,
    ...resolveMetadata(raw),
    summary: summarize(reward, member),
    ...idempotencyKeys(`influitive-${hubKeyComponent(context.orgId)}-redemption`, id),
  });
};

/** The redemptions and side-loaded contacts in one API page or webhook list body. */
export const redemptionsFromPage = (
  body: unknown,
): { redemptions: unknown[]; contacts: unknown[] } => {
  if (Array.isArray(body)) return { redemptions: body, contacts: [] };
  if (!isJsonObject(body)) return { redemptions: [], contacts: [] };
  const list = [body.reward_redemptions, body.redemptions, body.data].find(Array.isArray) ?? [];
  const contacts = [body.contacts, body.members, body.included].find(Array.isArray) ?? [];
  return { redemptions: list, contacts };
};

const WRAPPER_KEYS = ['reward_redemption', 'redemption', 'data', 'payload'] as const;
const MAX_WRAPPING = 4;
/** Fields only a redemption has; an envelope (`{id: "evt_…", data: {…}}`) has none of them. */
const REDEMPTION_FIELDS = ['reward_id', 'reward', 'reward_uuid', 'reward_name', ...MEMBER_REF_KEYS];

/** True when a wrapped object, or one it wraps, carries an id of its own. */
const carriesId = (value: JsonObject, depth: number): boolean =>
  firstString(value, ID_KEYS) !== undefined ||
  (depth < MAX_WRAPPING &&
    WRAPPER_KEYS.some((key) => {
      const inner = value[key];
      return isJsonObject(inner) && carriesId(inner, depth + 1);
    }));

/**
 * An outer object with an id is the redemption itself unless it wraps one with its own id and
 * does not look like a redemption: then the outer id is the envelope's (an event id), not the
 * redemption's. A redemption-named wrapper (`reward_redemption`) with an id always wins.
 */
const preferInner = (outer: JsonObject, inner: JsonObject): boolean => {
  if (!carriesId(inner, 0)) return false;
  const named = [outer.reward_redemption, outer.redemption].some(
    (candidate) => isJsonObject(candidate) && carriesId(candidate, 0),
  );
  return named || !REDEMPTION_FIELDS.some((field) => outer[field] !== undefined);
};

/**
 * The redemption inside a webhook delivery: the body itself, or wrapped in `reward_redemption`,
 * `redemption`, `data` or `payload` (possibly twice). Members beside the redemption at any level
 * (`contacts`, `contact`, `member`) are kept for the normaliser. An object reached through
 * `reward_redemption` or `redemption` that has an id is the redemption; any other object with an id
 * is too, unless it is an envelope around one (see `preferInner`, judged on the object as sent).
 */
export const unwrapRedemptionDelivery = (
  body: unknown,
): { redemption: JsonObject; contacts: unknown[] } => {
  const contacts: unknown[] = [];
  let current: unknown = body;
  let named = false;
  // A member or reward beside a wrapper belongs to the redemption inside it.
  let carried: JsonObject = {};
  for (let depth = 0; depth <= MAX_WRAPPING && isJsonObject(current); depth += 1) {
    const sent: JsonObject = current;
    const level: JsonObject = { ...carried, ...sent };
    if (Array.isArray(sent.contacts)) contacts.push(...sent.contacts);
    const wrapper = WRAPPER_KEYS.find((key) => isJsonObject(sent[key]));
    const wrapped = wrapper === undefined ? undefined : (sent[wrapper] as JsonObject);
    const hasId = firstString(sent, ID_KEYS) !== undefined;
    if (wrapped === undefined || (hasId && (named || !preferInner(sent, wrapped)))) {
      return { redemption: level, contacts };
    }
    carried = Object.fromEntries(
      (['contact', 'member', 'reward'] as const)
        .filter((key) => isJsonObject(level[key]))
        .map((key) => [key, level[key]]),
    );
    named = wrapper === 'reward_redemption' || wrapper === 'redemption';
    current = wrapped;
  }
  throw new RedemptionShapeError(
    isJsonObject(current)
      ? `The delivery wraps the reward redemption more than ${MAX_WRAPPING} levels deep (in ${WRAPPER_KEYS.join(', ')}).`
      : `The delivery is not a reward redemption: expected a JSON object, got ${describeJsonType(current)}.`,
  );
};

/** True when the redemption is for the reward the user picked (by id, uuid or reward_id). */
export const isForReward = (
  redemption: RewardRedemption,
  rewardId: string | undefined,
): boolean => {
  if (!rewardId) return true;
  const candidates = [redemption.reward_id, redemption.reward.id, idString(redemption.reward.uuid)];
  return candidates.includes(rewardId.trim());
};

/** When the redemption was requested (ms since the epoch), or NaN when it carries no readable date. */
export const requestedMs = (
  redemption: Pick<RewardRedemption, 'requested_at'> | undefined,
): number => Date.parse(redemption?.requested_at ?? '');

/** Newest first by `requested_at`, keeping the source order where dates are unknown or equal. */
export const newestFirst = (redemptions: readonly RewardRedemption[]): RewardRedemption[] =>
  redemptions
    .map((redemption, index) => ({
      redemption,
      index,
      at: requestedMs(redemption),
    }))
    .sort((a, b) => {
      const byDate =
        (Number.isNaN(b.at) ? -Infinity : b.at) - (Number.isNaN(a.at) ? -Infinity : a.at);
      return byDate !== 0 && !Number.isNaN(byDate) ? byDate : a.index - b.index;
    })
    .map(({ redemption }) => redemption);

export const redemptionOutputFields = [
  { key: 'id', label: 'Redemption ID', type: 'string' as const },
  { key: 'summary', label: 'Summary', type: 'string' as const },
  { key: 'status', label: 'Status', type: 'string' as const },
  { key: 'requested_at', label: 'Requested At', type: 'datetime' as const },
  { key: 'reward_id', label: 'Reward ID', type: 'string' as const },
  // The same value again inside the reward's details (`reward__…`); labelled so nobody wonders.
  { key: 'reward__id', label: 'Reward Details: ID (Same as Reward ID)', type: 'string' as const },
  { key: 'reward__name', label: 'Reward Name', type: 'string' as const },
  ...memberOutputFields('member__'),
  ...idempotencyOutputFields,
];
