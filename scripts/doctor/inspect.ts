/**
 * What the app's normaliser makes of a hub's real data. Where each output came from is found by
 * asking the normaliser itself: a field is removed from the record and the output compared, so the
 * report cannot drift from `normalizeRedemption` however its list of accepted names changes.
 */

import { findMember } from '../../src/influitive/member';
import { detectListOrder, type ListOrder } from '../../src/influitive/pending/order';
import {
  normalizeRedemption,
  RedemptionShapeError,
  type RewardRedemption,
  redemptionsFromPage,
  unwrapRedemptionDelivery,
} from '../../src/influitive/redemption';
import { idString, isJsonObject, type JsonObject } from '../../src/shared/types';

/** The outputs whose source the report names. */
export const ASPECTS = [
  'id',
  'member',
  'reward_id',
  'reward_name',
  'requested_at',
  'metadata',
  'status',
] as const;
export type Aspect = (typeof ASPECTS)[number];

/** How the redemption names its member. */
export type MemberKind = 'side-loaded' | 'embedded' | 'id-only' | 'none';

export interface RedemptionReading {
  /** The redemption as the app outputs it (status defaulted to pending, as the triggers do). */
  redemption: RewardRedemption;
  /**
   * Per output, the fields it was read from (`created_at`, `reward.name`); empty when none. More
   * than one means the same value was sent under each, and any of them alone would do.
   */
  sources: Record<Aspect, string[]>;
  member: MemberKind;
  /** How the Reward Metadata was sent, when it was. */
  metadataForm: 'an object' | 'a list of key/value pairs' | 'a JSON string' | undefined;
  /** Top-level fields the normaliser did not read; the Zap gets them as they are. */
  unread: string[];
  /** Top-level fields the app's output replaces with its own (e.g. a `summary` Influitive sent). */
  replaced: string[];
  /** Where the member record says the advocate is untrusted (`member.trusted`), if it does. */
  untrustedBy: string | undefined;
}

export interface PageInspection {
  /** The key that held the list (`reward_redemptions`), or undefined when the body is the list. */
  listKey: string | undefined;
  /** False when no list of redemptions was found at all. */
  listFound: boolean;
  /** The top-level fields of the body, for a message when no list was found. */
  bodyFields: string[];
  contactsKey: string | undefined;
  contactsCount: number;
  /** Records on the page, readable or not. */
  count: number;
  nextLink: string | undefined;
  order: ListOrder;
  readings: RedemptionReading[];
  /** Why each record the app would skip (no id, not an object) cannot be read. */
  unreadable: string[];
}

export interface WebhookInspection {
  /** The path of the redemption inside the body (`reward_redemption`), empty when not wrapped. */
  wrapping: string[];
  /** Fields beside the wrapper, for the report (`event`, `contact`). */
  besideWrapper: string[];
  reading: RedemptionReading;
}

/** Stands in for the default status, so a `status` that says "pending" still shows as read. */
const NOT_SENT = '\u0000not sent';
const PENDING = 'pending';

type Aspects = Record<Aspect, string>;

const aspectsOf = (r: RewardRedemption): Aspects => ({
  id: r.id,
  member: JSON.stringify([
    r.member.id,
    r.member.email,
    r.member.first_name,
    r.member.last_name,
    r.member.name,
  ]),
  reward_id: String(r.reward.id),
  reward_name: String(r.reward.name),
  requested_at: String(r.requested_at),
  metadata: JSON.stringify(r.metadata),
  status: r.status,
});

/** The outputs of a record, or undefined when the app cannot read it as a redemption at all. */
const outputsOf = (raw: JsonObject, contacts: readonly unknown[]): Aspects | undefined => {
  try {
    return aspectsOf(normalizeRedemption(raw, { contacts, defaultStatus: NOT_SENT }));
  } catch (error) {
    if (error instanceof RedemptionShapeError) return undefined;
    throw error;
  }
};

const without = (record: JsonObject, keys: readonly string[]): JsonObject => {
  const copy = { ...record };
  for (const key of keys) delete copy[key];
  return copy;
};

/** A record the app can no longer read at all lost its id, not every other output too. */
const changed = (before: Aspects, after: Aspects | undefined, aspect: Aspect): boolean =>
  after === undefined ? aspect === 'id' : after[aspect] !== before[aspect];

/** What the normaliser outputs for a record with nothing but an id: each output's "not found". */
const EMPTY = aspectsOf(normalizeRedemption({ id: 'x' }, { defaultStatus: NOT_SENT }));

const found = (outputs: Aspects, aspect: Aspect): boolean =>
  aspect === 'id' || outputs[aspect] !== EMPTY[aspect];

/**
 * The top-level keys each output depends on: removing one changes it. A value sent twice (a date
 * as both `created_at` and `requested_at`) survives either removal, so an output that is found
 * but has no single source is looked up again by removing pairs of the remaining keys.
 */
const topLevelSources = (
  raw: JsonObject,
  contacts: readonly unknown[],
  baseline: Aspects,
): Record<Aspect, string[]> => {
  const keys = Object.keys(raw);
  const sources = Object.fromEntries(ASPECTS.map((a) => [a, [] as string[]])) as Record<
    Aspect,
    string[]
  >;
  const withoutEach = new Map(keys.map((key) => [key, outputsOf(without(raw, [key]), contacts)]));
  for (const aspect of ASPECTS) {
    sources[aspect] = keys.filter((key) => changed(baseline, withoutEach.get(key), aspect));
  }
  for (const aspect of ASPECTS) {
    if (sources[aspect].length > 0 || !found(baseline, aspect)) continue;
    pairs: for (const [i, a] of keys.entries()) {
      for (const b of keys.slice(i + 1)) {
        if (changed(baseline, outputsOf(without(raw, [a, b]), contacts), aspect)) {
          sources[aspect] = [a, b];
          break pairs;
        }
      }
    }
  }
  return sources;
};

/**
 * `reward` → `reward.name`: the fields inside an object that are enough on their own to give the
 * output its value (the other places the same value was sent are left out for the test).
 */
const refine = (
  raw: JsonObject,
  contacts: readonly unknown[],
  baseline: Aspects,
  aspect: Aspect,
  sources: string[],
): string[] =>
  sources.flatMap((key) => {
    const value = raw[key];
    if (!isJsonObject(value)) return [key];
    const rest = without(
      raw,
      sources.filter((other) => other !== key),
    );
    const inner = Object.keys(value).filter(
      (sub) =>
        !changed(baseline, outputsOf({ ...rest, [key]: { [sub]: value[sub] } }, contacts), aspect),
    );
    return inner.length > 0 ? inner.map((sub) => `${key}.${sub}`) : [key];
  });

const valueAt = (raw: JsonObject, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>((node, part) => (isJsonObject(node) ? node[part] : undefined), raw);

const memberKind = (raw: JsonObject, contacts: readonly unknown[], path: string | undefined) => {
  if (path === undefined) return 'none';
  const value = valueAt(raw, path);
  if (isJsonObject(value)) return 'embedded';
  const ref = idString(value);
  return ref !== undefined && findMember(contacts, ref) ? 'side-loaded' : 'id-only';
};

const metadataForm = (value: unknown): RedemptionReading['metadataForm'] => {
  if (typeof value === 'string') return 'a JSON string';
  if (Array.isArray(value)) return 'a list of key/value pairs';
  return isJsonObject(value) ? 'an object' : undefined;
};

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** `trusted: false` or `untrusted: true` on the member or the redemption, named by its field. */
const untrustedField = (redemption: RewardRedemption): string | undefined => {
  const places: [string, JsonObject][] = [
    ['member', redemption.member],
    ['', redemption],
  ];
  for (const [prefix, record] of places) {
    const name = (key: string) => (prefix ? `${prefix}.${key}` : key);
    if (record.trusted === false) return name('trusted');
    if (record.untrusted === true) return name('untrusted');
  }
  return undefined;
};

/**
 * One record as the app reads it: its output, and where each part came from. Throws
 * RedemptionShapeError for a record the app cannot read (it skips those).
 */
export const readRedemption = (
  raw: unknown,
  contacts: readonly unknown[] = [],
): RedemptionReading => {
  const redemption = normalizeRedemption(raw, { contacts, defaultStatus: PENDING });
  const record = raw as JsonObject;
  const baseline = outputsOf(record, contacts) as Aspects;
  const topLevel = topLevelSources(record, contacts, baseline);
  const sources = { ...topLevel };
  for (const aspect of ['reward_id', 'reward_name', 'metadata'] as const) {
    sources[aspect] = refine(record, contacts, baseline, aspect, topLevel[aspect]);
  }
  const read = new Set(Object.values(topLevel).flat());
  const output = redemption as JsonObject;
  const notRead = Object.keys(record).filter((key) => !read.has(key));
  const metadataPath = sources.metadata[0];
  return {
    redemption,
    sources,
    member: memberKind(record, contacts, sources.member[0]),
    metadataForm:
      metadataPath === undefined ? undefined : metadataForm(valueAt(record, metadataPath)),
    unread: notRead.filter((key) => sameJson(output[key], record[key])),
    replaced: notRead.filter((key) => !sameJson(output[key], record[key])),
    untrustedBy: untrustedField(redemption),
  };
};

const keyHolding = (body: unknown, value: unknown): string | undefined =>
  isJsonObject(body) ? Object.keys(body).find((key) => body[key] === value) : undefined;

const nextLinkOf = (body: unknown): string | undefined => {
  const links = isJsonObject(body) ? body.links : undefined;
  const next = isJsonObject(links) ? links.next : undefined;
  return typeof next === 'string' && next.trim() !== '' ? next : undefined;
};

/** One page of `GET /reward_redemptions`, read record by record as the polling trigger reads it. */
export const inspectPage = (body: unknown): PageInspection => {
  const { redemptions, contacts } = redemptionsFromPage(body);
  const listKey = keyHolding(body, redemptions);
  const readings: RedemptionReading[] = [];
  const unreadable: string[] = [];
  for (const raw of redemptions) {
    try {
      readings.push(readRedemption(raw, contacts));
    } catch (error) {
      if (!(error instanceof RedemptionShapeError)) throw error;
      unreadable.push(error.message);
    }
  }
  return {
    listKey,
    listFound: Array.isArray(body) || listKey !== undefined,
    bodyFields: isJsonObject(body) ? Object.keys(body) : [],
    contactsKey: keyHolding(body, contacts),
    contactsCount: contacts.length,
    count: redemptions.length,
    nextLink: nextLinkOf(body),
    order: detectListOrder(readings.map((reading) => reading.redemption.requested_at)),
    readings,
    unreadable,
  };
};

/** The path of the shallowest object in `body` whose every field the unwrapped redemption kept. */
const pathTo = (body: unknown, redemption: JsonObject, limit = 5): string[] => {
  let level: [string[], unknown][] = [[[], body]];
  for (let depth = 0; depth <= limit && level.length > 0; depth += 1) {
    for (const [path, node] of level) {
      if (
        isJsonObject(node) &&
        Object.keys(node).length > 0 &&
        Object.keys(node).every((key) => redemption[key] === node[key])
      ) {
        return path;
      }
    }
    level = level.flatMap(([path, node]) =>
      isJsonObject(node)
        ? Object.entries(node).map(([key, child]): [string[], unknown] => [[...path, key], child])
        : [],
    );
  }
  return [];
};

/**
 * A "Reward Redemption Requested" body, through the instant trigger's own unwrap and normaliser.
 * Throws RedemptionShapeError with the reason the trigger would halt the delivery.
 */
export const inspectWebhook = (body: unknown): WebhookInspection => {
  const { redemption, contacts } = unwrapRedemptionDelivery(body);
  const reading = readRedemption(redemption, contacts);
  const wrapping = redemption === body ? [] : pathTo(body, redemption);
  const first = wrapping[0];
  return {
    wrapping,
    besideWrapper:
      first !== undefined && isJsonObject(body)
        ? Object.keys(body).filter((key) => key !== first)
        : [],
    reading,
  };
};
