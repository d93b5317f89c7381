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

/** The connection's secret values as stored. */
const secretValues = (bundle: Pick<Bundle, 'authData'>): string[] =>
  SECRET_AUTH_FIELDS.map((field) => bundle.authData?.[field]).filter(
    (value): value is string => typeof value === 'string',
  );
const authValuesKey = (bundle: Pick<Bundle, 'authData'>): string =>
  JSON.stringify(secretValues(bundle));

/** A connection's forms, remembered for the run's own authData object (and only for it). */
const formsByAuthData = new WeakMap<object, { values: string; forms: readonly string[] }>();

/**
 * The secret values of this connection in all their forms, longest first so a secret containing
 * another is scrubbed whole. Worked out once per run: the answer is remembered against the run's own
 * authData object, never across runs, so no connection's secret outlives its invocation here.
 */
export const secretsOf = (bundle: Pick<Bundle, 'authData'>): readonly string[] => {
  const authData: unknown = bundle.authData;
  const values = secretValues(bundle);
  const key = JSON.stringify(values);
  const known =
    typeof authData === 'object' && authData ? formsByAuthData.get(authData) : undefined;
  if (known?.values === key) return known.forms;
  const forms = Object.freeze(
    [...new Set(values.flatMap(formsOf))]
      .filter((form) => form.length >= MIN_SCRUB_LENGTH)
      .sort((a, b) => b.length - a.length),
  );
  if (typeof authData === 'object' && authData)
    formsByAuthData.set(authData, { values: key, forms });
  return forms;
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One pattern for a list of forms, compiled once per list (a run's list lives as long as the run). */
interface Patterns {
  /** Tells whether a text holds any form (no `g`: no lastIndex state between calls). */
  find: RegExp;
  /** Replaces every form (String.prototype.replace starts a global pattern at 0 each time). */
  every: RegExp;
  /** The shortest form: a shorter text cannot hold one. */
  shortest: number;
}
const patternsOf = new WeakMap<readonly string[], Patterns>();

const patterns = (secrets: readonly string[]): Patterns => {
  const known = patternsOf.get(secrets);
  if (known) return known;
  const source = secrets.map(escapeRegExp).join('|');
  const compiled = {
    find: new RegExp(source, 'i'),
    every: new RegExp(source, 'gi'),
    shortest: Math.min(...secrets.map((form) => form.length)),
  };
  patternsOf.set(secrets, compiled);
  return compiled;
};

const holds = (text: string, { find, shortest }: Patterns): boolean =>
  text.length >= shortest && find.test(text);

/**
 * Replaces every occurrence of every secret (e.g. echoed back in an upstream error body), in any
 * letter case: percent-encoding may come back as `%2f` or `%2F`.
 */
export const scrubSecrets = (text: string, secrets: readonly string[]): string => {
  if (secrets.length === 0) return text;
  const found = patterns(secrets);
  return holds(text, found) ? text.replace(found.every, '[redacted]') : text;
};

/** A short, single-line, secret-free excerpt of an upstream body for an error message. */
export const excerpt = (text: string, secrets: readonly string[], max = 160): string => {
  const oneLine = scrubSecrets(text, secrets).replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
};

const isPlainObject = (node: object): boolean => {
  const prototype: unknown = Object.getPrototypeOf(node);
  return prototype === Object.prototype || prototype === null;
};

/**
 * True unless `node` is plain data (strings, numbers, plain objects and arrays) with no secret in
 * any string or field name. Anything else (a Date, an Error, a class instance) counts as holding
 * one, so it goes through the copying walk, which keeps only its own enumerable fields.
 */
const mayHoldSecret = (node: unknown, found: Patterns): boolean => {
  if (typeof node === 'string') return holds(node, found);
  if (typeof node !== 'object' || node === null) return false;
  if (Array.isArray(node)) return node.some((item) => mayHoldSecret(item, found));
  if (!isPlainObject(node)) return true;
  for (const key in node) {
    if (!Object.hasOwn(node, key)) continue;
    if (holds(key, found) || mayHoldSecret((node as Record<string, unknown>)[key], found)) {
      return true;
    }
  }
  return false;
};

/**
 * `value` with every secret replaced inside each string, object key included: a field is never
 * dropped to hide a secret, so a Zap that maps it still gets the rest of its text. Plain data that
 * holds no secret (nearly every output) is returned as it is, without a copy.
 */
export const scrubDeep = <T>(value: T, secrets: readonly string[]): T => {
  if (secrets.length === 0) return value;
  const found = patterns(secrets);
  if (!mayHoldSecret(value, found)) return value;
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string')
      return holds(node, found) ? node.replace(found.every, '[redacted]') : node;
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

/** A console that writes scrubbed arguments; built on a copy, so core's console stays as it was. */
const scrubbedConsoleOf = (
  original: ZObject['console'],
  secrets: readonly string[],
): ZObject['console'] => {
  const scrubbing =
    (write: (...args: unknown[]) => void) =>
    (...args: unknown[]) =>
      write.apply(
        original,
        args.map((arg) => scrubDeep(arg, secrets)),
      );
  return {
    ...original,
    log: scrubbing(original.log),
    info: scrubbing(original.info),
    warn: scrubbing(original.warn),
    error: scrubbing(original.error),
  };
};

/**
 * Runs `perform` with `z.console` writing scrubbed lines. Core's own `z` is handed on, its console
 * property set to a scrubbing copy for the length of the run and put back after: a wrapper object
 * around `z`, or a getter on it, measured about 100 µs more CPU per event in `npm run bench`,
 * mostly garbage collection. A `z` whose console is not a plain writable property gets a copy.
 */
const withScrubbedConsole = async <T>(
  z: ZObject,
  secrets: readonly string[],
  perform: (z: ZObject) => Promise<T> | T,
): Promise<T> => {
  const own = Object.getOwnPropertyDescriptor(z, 'console');
  // A frozen z has no writable property, so it takes this path too.
  if (!own?.writable) {
    return perform({ ...z, console: scrubbedConsoleOf(z.console, secrets) });
  }
  const original = own.value as ZObject['console'];
  const scrubbed = scrubbedConsoleOf(original, secrets);
  z.console = scrubbed;
  try {
    return await perform(z);
  } finally {
    // Put back unless another run on the same z set its own since (tests share one z).
    if (z.console === scrubbed) z.console = original;
  }
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
  // The copy holds the same secrets: the run's later secretsOf(bundle) finds them worked out.
  formsByAuthData.set(bundle.authData, { values: authValuesKey(bundle), forms: secrets });
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
      return scrubDeep(await withScrubbedConsole(z, secrets, (zz) => perform(zz, bundle)), secrets);
    } catch (error) {
      throw scrubError(error, secrets);
    }
  };
