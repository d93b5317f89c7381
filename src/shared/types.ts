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
