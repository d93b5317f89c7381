/**
 * LoudCrowd sends the receiver-chosen API Key with every webhook, but does not document which
 * header carries it, so the key is accepted from every plausible place and compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { normalizedHeaders, queryParameters } from '../shared/hook-request';
import type { Bundle, ZObject } from '../shared/types';

/** A place a delivery may carry the key, named the way a halt message tells the user. */
interface KeyLocation {
  where: string;
  read: (headers: Map<string, string>, query: URLSearchParams) => string | undefined;
}

const BEARER = /^bearer\s+(.+)$/i;

/** `Authorization: Bearer <key>` or `Authorization: <key>`; the scheme is optional because undocumented. */
const fromAuthorization = (headers: Map<string, string>): string | undefined => {
  const value = headers.get('authorization')?.trim();
  if (!value) return undefined;
  return BEARER.exec(value)?.[1]?.trim() ?? value;
};

export const KEY_LOCATIONS: readonly KeyLocation[] = [
  { where: 'the Authorization header (Bearer or plain)', read: fromAuthorization },
  { where: 'the X-Api-Key header', read: (headers) => headers.get('x-api-key') },
  { where: 'the Api-Key header', read: (headers) => headers.get('api-key') },
  { where: 'the api_key query parameter', read: (_, query) => query.get('api_key') ?? undefined },
  { where: 'the key query parameter', read: (_, query) => query.get('key') ?? undefined },
];

const LOOKED_IN = KEY_LOCATIONS.map((location) => location.where).join(', ');
const SETUP_HINT =
  "In LoudCrowd, open Integrations → Outbound → your Webhook integration and set its API Key to the same value as this connection's LoudCrowd API Key.";

// Hashing first gives equal-length buffers, so timingSafeEqual never leaks the key's length.
const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

const sameKey = (presented: string, expected: string): boolean =>
  timingSafeEqual(digest(presented), digest(expected));

/** The non-empty keys the delivery carries, with where each was found. */
const presentedKeys = (bundle: Bundle): { where: string; key: string }[] => {
  const headers = normalizedHeaders(bundle);
  const query = queryParameters(bundle);
  return KEY_LOCATIONS.flatMap(({ where, read }) => {
    const key = read(headers, query)?.trim();
    return key ? [{ where, key }] : [];
  });
};

/**
 * Halts the run unless the delivery carries this connection's LoudCrowd API Key in one of
 * `KEY_LOCATIONS`. Fails closed, with a visible error, when the connection has no key. Messages say where the key was
 * looked for, never what was found or expected.
 */
export const verifyLoudCrowdKey = (z: ZObject, bundle: Bundle): void => {
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
  if (presented.length === 0) {
    throw new z.errors.HaltedError(
      `The LoudCrowd delivery carried no API key (looked in ${LOOKED_IN}). ${SETUP_HINT}`,
    );
  }
  // Every candidate is compared (no early exit) so timing does not reveal which one matched.
  const matches = presented.map(({ key }) => sameKey(key, expected));
  if (!matches.includes(true)) {
    const found = presented.map(({ where }) => where).join(', ');
    throw new z.errors.HaltedError(
      `The LoudCrowd delivery's API key does not match this connection's LoudCrowd API Key (found in ${found}; looked in ${LOOKED_IN}). ${SETUP_HINT}`,
    );
  }
};
