import type { Bundle, ZObject } from 'zapier-platform-core';

export type { Bundle, ZObject };

/** A JSON object as it arrives from a source system: every field kept, none trusted. */
export type JsonObject = Record<string, unknown>;

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A scalar id from a payload as a string, or undefined when absent or not an id at all. */
export const idString = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
};

/** The first present, non-empty string-ish value among `keys` of `source`. */
export const firstString = (source: JsonObject, keys: readonly string[]): string | undefined => {
  for (const key of keys) {
    const found = idString(source[key]);
    if (found !== undefined) return found;
  }
  return undefined;
};

/** Names the JSON type of a value for a halt reason ("an array", "an object", "a string"). */
export const describeJsonType = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
};

/** Up to 20 of a record's field names, for a message that helps find what was sent instead. */
export const fieldNames = (record: JsonObject): string =>
  Object.keys(record).slice(0, 20).join(', ') || 'none';
