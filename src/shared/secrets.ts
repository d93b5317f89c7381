import type { Bundle, ZObject } from './types';

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
  escaped.replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
const slashEscaped = (escaped: string): string => escaped.replace(/\//g, '\\/');

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
    slashEscaped(json),
    htmlSafeJson(json),
    slashEscaped(htmlSafeJson(json)),
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

/**
 * `value` with every secret replaced inside each string, object key included: a field is never
 * dropped to hide a secret, so a Zap that maps it still gets the rest of its text.
 */
export const scrubDeep = <T>(value: T, secrets: readonly string[]): T => {
  if (secrets.length === 0) return value;
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return scrubSecrets(node, secrets);
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== 'object' || node === null) return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, field]) => [scrubSecrets(key, secrets), walk(field)]),
    );
  };
  return walk(value) as T;
};

/**
 * A thrown value with every secret replaced in its message and stack, keeping its class (a
 * HaltedError stays a halt). z.errors messages are JSON text; the JSON-escaped forms are secrets
 * too, and `[redacted]` needs no escaping, so the JSON stays valid.
 */
export const scrubError = (error: unknown, secrets: readonly string[]): unknown => {
  if (secrets.length === 0 || !(error instanceof Error)) return error;
  error.message = scrubSecrets(error.message, secrets);
  if (error.stack !== undefined) error.stack = scrubSecrets(error.stack, secrets);
  return error;
};

/** A `z` whose console lines are scrubbed before core writes them anywhere. */
const scrubbingConsole = (z: ZObject, secrets: readonly string[]): ZObject => {
  const scrubArgs =
    (write: (...args: unknown[]) => void) =>
    (...args: unknown[]) =>
      write(...args.map((arg) => scrubDeep(arg, secrets)));
  const { console: original } = z;
  const console = Object.assign(Object.create(original) as typeof original, {
    log: scrubArgs(original.log.bind(original)),
    info: scrubArgs(original.info.bind(original)),
    warn: scrubArgs(original.warn.bind(original)),
    error: scrubArgs(original.error.bind(original)),
  });
  return Object.assign(Object.create(z) as ZObject, { console });
};

/**
 * Core scrubs its own log lines (HTTP details: response headers, bodies) of the connection's
 * values as stored; the other forms (trimmed, URL- or JSON-encoded) are added to the bundle core
 * reads them from, under names the app never reads, so an echo in any form is scrubbed there too.
 */
const teachCoreLogScrubber = (bundle: Bundle, secrets: readonly string[]): void => {
  if (!Object.isExtensible(bundle)) return;
  // A copy: the caller's authData object (shared between runs in tests) stays as it was.
  const forms = Object.fromEntries(secrets.map((form, index) => [`scrub_form_${index}`, form]));
  bundle.authData = { ...bundle.authData, ...forms };
};

type Perform<T> = (z: ZObject, bundle: Bundle) => Promise<T> | T;

/**
 * The one exit every operation goes through (src/index.ts wraps each perform with it): its result,
 * anything it throws and every line it logs leave with this connection's secrets replaced, in every
 * form `secretsOf` knows, whatever Influitive or LoudCrowd echoed back.
 */
export const scrubbingSecrets =
  <T>(perform: Perform<T>): ((z: ZObject, bundle: Bundle) => Promise<T>) =>
  async (z, bundle) => {
    const secrets = secretsOf(bundle);
    if (secrets.length === 0) return perform(z, bundle);
    teachCoreLogScrubber(bundle, secrets);
    try {
      return scrubDeep(await perform(scrubbingConsole(z, secrets), bundle), secrets);
    } catch (error) {
      throw scrubError(error, secrets);
    }
  };
