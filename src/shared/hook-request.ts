import { MAX_JSON_DEPTH, nestsDeeperThan, parseJson } from './json';
import { scrubSecrets, secretsOf } from './secrets';
import type { Bundle, ZObject } from './types';
import { isJsonObject } from './types';

/**
 * Header names as Zapier hands them to a hook (`Http-X-Api-Key`, `Http-Authorization`,
 * `Content-Type`), lower-cased and without the `http-` prefix: `x-api-key`, `authorization`.
 */
export const normalizedHeaders = (bundle: Pick<Bundle, 'rawRequest'>): Map<string, string> => {
  const headers = new Map<string, string>();
  const raw = bundle.rawRequest?.headers;
  if (!isJsonObject(raw)) return headers;
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value !== 'string') continue;
    const key = name
      .toLowerCase()
      .replace(/^http[-_]/, '')
      .replace(/_/g, '-');
    if (!headers.has(key)) headers.set(key, value);
  }
  return headers;
};

/** Query parameters of the delivery, from the raw query string or the cleaned request. */
export const queryParameters = (bundle: Pick<Bundle, 'rawRequest' | 'cleanedRequest'>) => {
  const raw = bundle.rawRequest?.querystring;
  const params = new URLSearchParams(typeof raw === 'string' ? raw.replace(/^\?/, '') : '');
  const cleaned: unknown = isJsonObject(bundle.cleanedRequest)
    ? bundle.cleanedRequest.querystring
    : undefined;
  if (isJsonObject(cleaned)) {
    for (const [name, value] of Object.entries(cleaned)) {
      if (typeof value === 'string' && !params.has(name)) params.set(name, value);
    }
  }
  return params;
};

/**
 * The delivery's JSON body. The raw bytes are preferred because `cleanedRequest` mixes the query
 * string into the body; a body that is empty or not JSON halts the run with the reason, so a bad
 * delivery shows up in the Zap history instead of as an unhandled exception.
 */
export const readHookBody = (z: ZObject, bundle: Bundle, source: string): unknown => {
  const content = bundle.rawRequest?.content;
  if (typeof content === 'string') return parseRawBody(z, content, source);
  const body = cleanedBody(z, bundle, source);
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) throw tooDeep(z, source);
  return body;
};

const tooDeep = (z: ZObject, source: string): Error =>
  new z.errors.HaltedError(
    `${source} sent a body nested more than ${MAX_JSON_DEPTH} levels deep; no ${source} event is shaped like that, so it was not processed.`,
  );

const parseRawBody = (z: ZObject, content: string, source: string): unknown => {
  if (content.trim() === '') {
    throw new z.errors.HaltedError(`${source} sent an empty body; there is no event to process.`);
  }
  const parsed = parseJson(content);
  if (parsed.ok) return parsed.value;
  if (parsed.reason === 'too_deep') throw tooDeep(z, source);
  throw new z.errors.HaltedError(
    `${source} sent a body that is not JSON (${content.length} bytes); there is no event to process.`,
  );
};

const cleanedBody = (z: ZObject, bundle: Bundle, source: string): unknown => {
  const cleaned: unknown = bundle.cleanedRequest;
  if (isJsonObject(cleaned)) {
    const { querystring: _querystring, ...body } = cleaned;
    if (Object.keys(body).length > 0) return body;
  } else if (cleaned !== undefined && cleaned !== null) {
    return cleaned;
  }
  throw new z.errors.HaltedError(`${source} sent an empty body; there is no event to process.`);
};

/** A halt for a delivery that must not run the Zap, scrubbed of secrets: payload text is sender-chosen. */
export const haltDelivery = (
  z: ZObject,
  bundle: Pick<Bundle, 'authData'>,
  message: string,
): Error => new z.errors.HaltedError(scrubSecrets(message, secretsOf(bundle)));

type HookPerform<T> = (z: ZObject, bundle: Bundle) => Promise<T>;

/**
 * Core appends the bundle minus authData (`What happened: …`) to an error's message unless the
 * error is marked `doNotContextify`. For a hook that dump holds `rawRequest.headers`, so a key the
 * delivery carried would show in the Zap history: every error of a hook's perform opts out.
 */
export const withoutRequestDump =
  <T>(perform: HookPerform<T>): HookPerform<T> =>
  async (z, bundle) => {
    try {
      return await perform(z, bundle);
    } catch (error) {
      if (error instanceof Error) Object.assign(error, { doNotContextify: true });
      throw error;
    }
  };
