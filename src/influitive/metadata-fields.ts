/**
 * Reward Metadata as labelled output fields. Its keys are whatever a hub's admins gave their
 * rewards, so they are read from the hub's own pending redemptions (one page) when the Zap editor
 * shows a step's fields, instead of guessed from the sample.
 */
import { Deadline } from '../shared/deadline';
import { scrubSecrets, secretsOf } from '../shared/secrets';
import { type Bundle, isJsonObject, type ZObject } from '../shared/types';
import { zapierErrorMessage } from '../shared/zapier-errors';
import { FIRST_PAGE, influitivePages, RunBudget } from './pending/list';
import { type RewardRedemption, redemptionOutputFields } from './redemption';
import { providerOutputFields } from './reward-providers';

type FieldType = 'string' | 'number' | 'boolean' | 'datetime';

export interface MetadataOutputField {
  key: string;
  label: string;
  type: FieldType;
  list?: true;
}

/** Enough for any real reward; a page of hostile metadata cannot flood the editor. */
export const MAX_METADATA_FIELDS = 50;
/** `metadata__shipping__weight`: nested objects are labelled this deep, no deeper. */
const MAX_DEPTH = 3;
const MAX_KEY_LENGTH = 100;
/** The editor waits on this read; Zapier gives it 30 s. */
const FIELDS_BUDGET_MS = 10_000;

const ABBREVIATIONS = new Set(['id', 'sku', 'url', 'uuid', 'utid', 'api', 'upc', 'ean', 'isbn']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?)?$/;

/** `vendor_product_id` → "Vendor Product ID", `amountCents` → "Amount Cents". */
export const keyInWords = (key: string): string => {
  const words = key
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
  if (words.length === 0) return key.trim();
  return words
    .map((word) =>
      ABBREVIATIONS.has(word.toLowerCase())
        ? word.toUpperCase()
        : `${word.charAt(0).toUpperCase()}${word.slice(1)}`,
    )
    .join(' ');
};

/** The type the values show: the same JSON type in each (dates as ISO 8601 text), else text. */
const typeOf = (values: readonly unknown[]): FieldType => {
  const present = values.filter((value) => value !== null && value !== undefined);
  if (present.length === 0) return 'string';
  if (present.every((value) => typeof value === 'boolean')) return 'boolean';
  if (present.every((value) => typeof value === 'number' && Number.isFinite(value))) {
    return 'number';
  }
  if (present.every((value) => typeof value === 'string' && ISO_DATE.test(value.trim()))) {
    return 'datetime';
  }
  return 'string';
};

interface Seen {
  path: string[];
  values: unknown[];
  list: boolean;
}

/** Every scalar or list-of-scalars leaf of `metadata`, by its flattened path. */
const collect = (
  into: Map<string, Seen>,
  value: Record<string, unknown>,
  path: readonly string[],
): void => {
  for (const [key, inner] of Object.entries(value)) {
    if (key.trim() === '' || key.length > MAX_KEY_LENGTH) continue;
    const at = [...path, key];
    if (isJsonObject(inner)) {
      if (at.length < MAX_DEPTH) collect(into, inner, at);
      continue;
    }
    const list = Array.isArray(inner);
    // Zapier turns a list of objects into line items, which a single field cannot label.
    if (list && inner.some((item) => typeof item === 'object' && item !== null)) continue;
    const flat = at.join('__');
    const seen = into.get(flat) ?? { path: at, values: [], list: false };
    seen.values.push(...(list ? inner : [inner]));
    seen.list ||= list;
    into.set(flat, seen);
  }
};

/**
 * One labelled, typed field per Reward Metadata key the redemptions carry (`metadata__amount`,
 * "Reward Metadata: Amount"), in the order first seen, at most `MAX_METADATA_FIELDS`.
 */
export const metadataOutputFields = (
  redemptions: readonly Pick<RewardRedemption, 'metadata'>[],
): MetadataOutputField[] => {
  const seen = new Map<string, Seen>();
  for (const redemption of redemptions) collect(seen, redemption.metadata, []);
  return [...seen.entries()]
    .slice(0, MAX_METADATA_FIELDS)
    .map(([flat, { path, values, list }]) => ({
      key: `metadata__${flat}`,
      label: `Reward Metadata: ${path.map(keyInWords).join(' ')}`,
      type: typeOf(values),
      ...(list ? { list: true as const } : {}),
    }));
};

/**
 * The Reward Metadata fields of this hub, from one page of its pending redemptions. When that page
 * cannot be read (no Influitive token on the connection, an outage), the step keeps its static
 * fields and the reason is logged: the editor must never fail for want of labels.
 */
export const hubMetadataOutputFields = async (
  z: ZObject,
  bundle: Bundle,
): Promise<MetadataOutputField[]> => {
  const budget = new RunBudget(new Deadline(FIELDS_BUDGET_MS), 1);
  try {
    const { redemptions } = await influitivePages(z, bundle)(FIRST_PAGE, budget);
    return metadataOutputFields(redemptions);
  } catch (error) {
    z.console.log(
      scrubSecrets(
        `Reward Metadata fields were not labelled, because one page of pending redemptions could not be read: ${zapierErrorMessage(error)}`,
        secretsOf(bundle),
      ),
    );
    return [];
  }
};

/**
 * The static redemption fields, served by one function that all three redemption steps share.
 * Core deep-copies, walks and freezes the whole definition on every event; written out, this list
 * would be copied three times over. A function is one value, and the editor asks it for the same
 * fields (it takes no arguments, so it needs no connection and cannot fail).
 */
const staticFields = [...redemptionOutputFields, ...providerOutputFields];
export const staticRedemptionOutputFields = () => staticFields;

/**
 * A redemption step's output fields: the redemption's and its reward's provider (one shared
 * function), then this hub's Reward Metadata.
 */
export const redemptionOutputFieldsWithProvider = [
  staticRedemptionOutputFields,
  hubMetadataOutputFields,
];
