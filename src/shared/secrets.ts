import type { Bundle } from './types';

/** Connection fields whose values must never appear in a message, a log line or a thrown value. */
export const SECRET_AUTH_FIELDS = ['api_token', 'loudcrowd_api_key'] as const;

const MIN_SCRUB_LENGTH = 4;

/** `encodeURIComponent`, or nothing for a value it cannot encode (a lone surrogate). */
const uriEncoded = (value: string): string[] => {
  try {
    return [encodeURIComponent(value)];
  } catch {
    return [];
  }
};

/** Rails' JSON escapes `<`, `>`, `&` and the two line separators; some encoders also escape `/`. */
const htmlSafeJson = (escaped: string): string =>
  escaped
    .replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');

/**
 * Every form a secret takes in text: trimmed as it goes on the wire (the raw value contains it, so
 * it is covered too), URL-encoded, form-encoded, and JSON-escaped as an API error might echo it.
 */
const formsOf = (value: string): string[] => {
  const trimmed = value.trim();
  const json = JSON.stringify(trimmed).slice(1, -1);
  return [
    trimmed,
    ...uriEncoded(trimmed),
    new URLSearchParams({ s: trimmed }).toString().slice(2),
    json,
    htmlSafeJson(json),
  ];
};

/** The secret values of this connection in all their forms, longest first so a secret containing another is scrubbed whole. */
export const secretsOf = (bundle: Pick<Bundle, 'authData'>): string[] => {
  const values = SECRET_AUTH_FIELDS.map((field) => bundle.authData?.[field]).filter(
    (value): value is string => typeof value === 'string',
  );
  const forms = new Set(values.flatMap(formsOf));
  return [...forms]
    .filter((form) => form.length >= MIN_SCRUB_LENGTH)
    .sort((a, b) => b.length - a.length);
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces every occurrence of every secret (e.g. echoed back in an upstream error body), in any
 * letter case: percent-encoding may come back as `%2f` or `%2F`.
 */
export const scrubSecrets = (text: string, secrets: readonly string[]): string =>
  secrets.length === 0
    ? text
    : text.replace(new RegExp(secrets.map(escapeRegExp).join('|'), 'gi'), '[redacted]');

/** A short, single-line, secret-free excerpt of an upstream body for an error message. */
export const excerpt = (text: string, secrets: readonly string[], max = 160): string => {
  const oneLine = scrubSecrets(text, secrets).replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
};
