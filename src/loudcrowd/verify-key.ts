/**
 * LoudCrowd sends the receiver-chosen API Key with every webhook, but does not document how, so
 * the key is accepted from every plausible place and compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { firstInWindow } from '../shared/cache';
import { normalizedHeaders, queryParameters } from '../shared/hook-request';
import { parseJson } from '../shared/json';
import { type Bundle, isJsonObject, type ZObject } from '../shared/types';

/** A key the delivery carries, with where it was found (for messages; never the key itself). */
interface Presented {
  where: string;
  key: string;
}

/** Schemes LoudCrowd might put before the key in Authorization; none is documented. */
const SCHEME = /^(?:token|apikey|api-key|bearer)\s+(.+)$/i;
const BASIC = /^basic\s+([A-Za-z0-9+/=_-]+)$/i;

/** Header names that may carry the key alone, as Zapier hands them over (lower-case, no `http-`). */
const KEY_HEADERS = ['x-loudcrowd-api-key', 'x-api-key', 'api-key', 'apikey'] as const;
const QUERY_PARAMETERS = ['api_key', 'apiKey', 'apikey', 'key'] as const;
const BODY_FIELDS = ['api_key', 'apiKey'] as const;

/** Where the key is looked for, in the words messages use. */
export const LOOKED_IN =
  'the Authorization header (Token, ApiKey, Bearer, Basic or the key alone), the X-LoudCrowd-Api-Key, X-Api-Key, Api-Key and ApiKey headers, the api_key, apiKey and key query parameters, and the api_key or apiKey body field (only when no header carries a key)';
const SETUP_HINT =
  "In LoudCrowd, open Integrations → Outbound → your Webhook integration and set its API Key to the same value as this connection's LoudCrowd API Key.";
/** The first keyless delivery on a connection in this many seconds is an error; the rest halt. */
export const NO_KEY_ALARM_SECONDS = 60 * 60;

/**
 * The value, and each part of it when a repeated header arrives joined as `<key>, <key>`: a key
 * may itself hold a comma, so the whole value stays a candidate too.
 */
const partsOf = (value: string): string[] => {
  const parts = value.split(',').map((part) => part.trim());
  return [...new Set([value.trim(), ...parts])].filter((part) => part !== '');
};

/** `<key>:` or `apikey:<key>` (any user name): both halves are candidates. */
const basicCredentials = (encoded: string): string[] => {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return [decoded];
  return [decoded.slice(0, colon), decoded.slice(colon + 1)];
};

const fromAuthorization = (value: string): Presented[] =>
  partsOf(value).flatMap((part) => {
    const basic = BASIC.exec(part);
    if (basic?.[1]) {
      return basicCredentials(basic[1]).map((key) => ({
        where: 'the Authorization header (Basic)',
        key,
      }));
    }
    const scheme = SCHEME.exec(part);
    return [{ where: 'the Authorization header', key: scheme?.[1] ?? part }];
  });

const headerKeys = (headers: Map<string, string>): Presented[] => {
  const authorization = headers.get('authorization');
  return [
    ...(authorization === undefined ? [] : fromAuthorization(authorization)),
    ...KEY_HEADERS.flatMap((name) => {
      const value = headers.get(name);
      return value === undefined
        ? []
        : partsOf(value).map((key) => ({ where: `the ${name} header`, key }));
    }),
  ];
};

const queryKeys = (query: URLSearchParams): Presented[] =>
  QUERY_PARAMETERS.flatMap((name) =>
    query.getAll(name).map((key) => ({ where: `the ${name} query parameter`, key })),
  );

/** The delivery's JSON body without halting on a bad one: the trigger reports that itself. */
const bodyOf = (bundle: Bundle): unknown => {
  const content = bundle.rawRequest?.content;
  if (typeof content !== 'string') return bundle.cleanedRequest;
  const parsed = parseJson(content);
  return parsed.ok ? parsed.value : undefined;
};

/** `api_key`/`apiKey` of the body, or of each event of a list. */
const bodyKeys = (bundle: Bundle): Presented[] => {
  const body = bodyOf(bundle);
  const records = (Array.isArray(body) ? body : [body]).filter(isJsonObject);
  return records.flatMap((record) =>
    BODY_FIELDS.flatMap((field) => {
      const value = record[field];
      return typeof value === 'string' ? [{ where: `the ${field} body field`, key: value }] : [];
    }),
  );
};

/** Every non-empty key the delivery carries; body fields only when no header carries one. */
export const presentedKeys = (bundle: Bundle): Presented[] => {
  const trimmed = (keys: Presented[]) =>
    keys.map(({ where, key }) => ({ where, key: key.trim() })).filter(({ key }) => key !== '');
  const inHeaders = trimmed(headerKeys(normalizedHeaders(bundle)));
  const inQuery = trimmed(queryKeys(queryParameters(bundle)));
  return [...inHeaders, ...inQuery, ...(inHeaders.length === 0 ? trimmed(bodyKeys(bundle)) : [])];
};

// Hashing first gives equal-length buffers, so timingSafeEqual never leaks the key's length.
const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** True when any candidate is the key; every candidate is compared, so timing says nothing. */
const anyMatches = (presented: readonly Presented[], expected: string): boolean => {
  const want = digest(expected);
  return presented.reduce((found, { key }) => timingSafeEqual(digest(key), want) || found, false);
};

/** The header names of the delivery, for a message (never their values). */
const headerNames = (bundle: Bundle): string => {
  const names = [...normalizedHeaders(bundle).keys()].map((name) =>
    name.length > 60 ? `${name.slice(0, 60)}…` : name,
  );
  const more = names.length > 30 ? ` and ${names.length - 30} more` : '';
  return names.length === 0 ? 'none' : `${names.slice(0, 30).join(', ')}${more}`;
};

/**
 * Loud once an hour per connection, silent after: LoudCrowd sending its key somewhere this app
 * does not look would lose every reward, so the user must hear of it; a stranger posting keyless
 * bodies must not flood the user's inbox or turn the Zap off.
 */
const noKeyError = async (z: ZObject, bundle: Bundle): Promise<Error> => {
  const message = `The LoudCrowd delivery carried no API key (looked in ${LOOKED_IN}). Its headers were: ${headerNames(bundle)}.`;
  if (await firstInWindow(z, 'loudcrowd-no-key', NO_KEY_ALARM_SECONDS)) {
    return new z.errors.Error(
      `${message} If LoudCrowd sent it, its API Key travels somewhere this app does not look: send these header names to the app's maintainer. Otherwise someone else posted to this Zap's URL. ${SETUP_HINT} Further deliveries without a key in the next hour are halted without an email.`,
      'loudcrowd_key_missing',
      401,
    );
  }
  return new z.errors.HaltedError(`${message} ${SETUP_HINT}`);
};

/**
 * Halts the run unless the delivery carries this connection's LoudCrowd API Key in one of the
 * places listed in `LOOKED_IN`. Fails closed, with a visible error, when the connection has no
 * key. Messages say where the key was looked for, never what was found or expected.
 */
export const verifyLoudCrowdKey = async (z: ZObject, bundle: Bundle): Promise<void> => {
  const configured: unknown = bundle.authData?.loudcrowd_api_key;
  const expected = typeof configured === 'string' ? configured.trim() : '';
  if (expected === '') {
    // A set-up mistake no stranger can cause: an error (the user is emailed), not a silent halt.
    throw new z.errors.Error(
      'This connection has no LoudCrowd API Key, so LoudCrowd deliveries are stopped unverified. Reconnect and add a LoudCrowd API Key (a long random secret), then enter the same value as the API Key of the Webhook integration in LoudCrowd.',
      'missing_loudcrowd_key',
      400,
    );
  }
  const presented = presentedKeys(bundle);
  if (presented.length === 0) throw await noKeyError(z, bundle);
  if (!anyMatches(presented, expected)) {
    const found = [...new Set(presented.map(({ where }) => where))].join(', ');
    throw new z.errors.HaltedError(
      `The LoudCrowd delivery's API key does not match this connection's LoudCrowd API Key (found in ${found}; looked in ${LOOKED_IN}). ${SETUP_HINT}`,
    );
  }
};
