import type { RawHttpResponse } from 'zapier-platform-core';
import { MAX_JSON_DEPTH, parseJson } from '../shared/json';
import { excerpt, scrubSecrets, secretsOf } from '../shared/secrets';
import type { Bundle, ZObject } from '../shared/types';

export const DEFAULT_INFLUITIVE_API_URL = 'https://api.influitive.com';
/** Where the user finds the token and org ID; named in every credential error. */
export const CREDENTIALS_HELP =
  'In your hub, click your name (top right) → Integrations → Influitive API → Manage to copy the API token and X_ORG_ID, then reconnect this account in Zapier.';
/** Zapier stops a step after 30 s; a hung request must fail first, with its own message. */
export const DEFAULT_TIMEOUT_MS = 12_000;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

const isLoopback = (hostname: string): boolean =>
  LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);

/**
 * The API's base URL: `INFLUITIVE_API_URL` (the sandbox, tests) or Influitive's own. Plain HTTP is
 * refused unless the host is loopback, so the token never travels unencrypted. A user name or
 * password in it is refused without being echoed: the token is the only credential Influitive takes.
 */
export const influitiveBaseUrl = (): URL => {
  const configured = process.env.INFLUITIVE_API_URL?.trim() || DEFAULT_INFLUITIVE_API_URL;
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    // Text before an `@` may be a password, so such a value is not shown.
    const shown = configured.includes('@') ? 'its value is not shown as it contains @' : configured;
    throw new Error(
      `INFLUITIVE_API_URL is not a URL (${shown}); unset it to use ${DEFAULT_INFLUITIVE_API_URL}.`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new Error(
      `INFLUITIVE_API_URL must not carry a user name or password (${url.origin}); remove them, as Influitive is called with the API token of the connection.`,
    );
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname)))
    return url;
  throw new Error(
    `INFLUITIVE_API_URL must use https:// (plain http:// is only allowed for a loopback sandbox), got ${url.origin}.`,
  );
};

/** The per-request timeout: `INFLUITIVE_TIMEOUT_MS`, or 12 s. */
export const requestTimeoutMs = (): number => {
  const configured = Number(process.env.INFLUITIVE_TIMEOUT_MS);
  return Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_TIMEOUT_MS;
};

export interface InfluitiveCall {
  method: 'GET' | 'POST';
  /** A path below the base URL (`/reward_redemptions`) or a full URL on the same origin (paging links). */
  path: string;
  params?: Record<string, string>;
  body?: Record<string, unknown>;
  /** Accept a 2xx with an empty body (decisions); otherwise an empty body is an error. */
  allowEmpty?: boolean;
  /** A shorter timeout than the default, so the request ends before the run's deadline. */
  timeoutMs?: number;
  /** Turns a status the caller understands (404 on a decision, say) into its own error. */
  onStatus?: (status: number, detail: ErrorDetail) => Error | undefined;
}

export interface ErrorDetail {
  /** What was called, e.g. `GET /reward_redemptions`, for messages. */
  call: string;
  requestId: string | undefined;
  /** The response's own words (a JSON `error`/`message`, or an excerpt), secret-free. */
  apiWords: string | undefined;
  /** True when the body is the API's own JSON error (an object with error, message, errors or detail). */
  apiError: boolean;
}

export interface InfluitiveResult {
  status: number;
  data: unknown;
}

/** The org ID and token of this connection, or an error that says exactly which is missing. */
export const influitiveCredentials = (z: ZObject, bundle: Bundle) => {
  const token = bundle.authData.api_token?.trim();
  const orgId = bundle.authData.org_id?.trim();
  if (token && orgId) return { token, orgId };
  const missing = [!token && 'API token', !orgId && 'organization ID (X_ORG_ID)']
    .filter(Boolean)
    .join(' and ');
  throw new z.errors.Error(
    `This connection has no Influitive ${missing}, which Influitive steps need. ${CREDENTIALS_HELP}`,
    'missing_credentials',
    400,
  );
};

const basePath = (base: URL): string => base.pathname.replace(/\/$/, '');

/**
 * A path of this app (`/reward_redemptions`) below the base URL, or a full URL on the same origin
 * (a paging link, read without the whitespace around it).
 */
const resolveUrl = (z: ZObject, base: URL, path: string, secrets: readonly string[]): URL => {
  const target = path.trim();
  let url: URL;
  try {
    url = target.startsWith('/')
      ? new URL(`${base.origin}${basePath(base)}${target}`)
      : new URL(target);
  } catch {
    throw new z.errors.Error(
      `Influitive returned a paging link that is not a URL ("${excerpt(target, secrets, 80)}"); it was not followed. Try again later; if it persists, tell support@influitive.com.`,
      'invalid_link',
      502,
    );
  }
  // A paging link pointing elsewhere would receive the token; refuse it.
  if (url.origin !== base.origin) {
    throw new z.errors.Error(
      scrubSecrets(
        `Influitive returned a link to ${url.origin}, outside ${base.origin}; it was not followed so the API token stays with Influitive.`,
        secrets,
      ),
      'foreign_link',
      502,
    );
  }
  return url;
};

/** `GET /reward_redemptions`: what was called, without host or query, for messages. */
const callName = (method: string, url: URL, base: URL): string =>
  `${method} ${url.pathname.slice(basePath(base).length) || '/'}`;

/** The words of an error body: the API's own JSON error when it is one, else an excerpt. */
const apiWordsOf = (
  text: string,
  secrets: readonly string[],
): Pick<ErrorDetail, 'apiWords' | 'apiError'> => {
  if (text.trim() === '') return { apiWords: undefined, apiError: false };
  const parsed = parseJson(text);
  if (parsed.ok && typeof parsed.value === 'object' && parsed.value !== null) {
    const record = parsed.value as Record<string, unknown>;
    const words = [record.error, record.message, record.errors, record.detail].find(
      (v) => v !== undefined,
    );
    if (words !== undefined) {
      const said = typeof words === 'string' ? words : JSON.stringify(words);
      return { apiWords: excerpt(said, secrets), apiError: true };
    }
  }
  return { apiWords: excerpt(text, secrets), apiError: false };
};

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), or undefined. */
export const retryAfterSeconds = (
  header: string | undefined,
  now = Date.now(),
): number | undefined => {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
};

const statusError = (z: ZObject, response: RawHttpResponse, detail: ErrorDetail): Error => {
  const { status } = response;
  const ref = detail.requestId ? ` (request id ${detail.requestId})` : '';
  if (status === 401) {
    return new z.errors.ExpiredAuthError(
      `Influitive rejected the API token or organization ID on ${detail.call}${ref}. ${CREDENTIALS_HELP}`,
    );
  }
  if (status === 403 && detail.apiError) {
    // AWS WAF blocks with an HTML or empty 403; a JSON error is the API refusing this token.
    return new z.errors.Error(
      `Influitive refused ${detail.call} with 403${ref}: ${detail.apiWords}. This is a permission problem, not the rate limit: check that the API token belongs to this hub's organization (X_ORG_ID) and that the Influitive API is enabled there. ${CREDENTIALS_HELP}`,
      'influitive_forbidden',
      403,
    );
  }
  if (status === 403 || status === 429) {
    const delay = retryAfterSeconds(response.getHeader('retry-after'));
    const wait = delay === undefined ? '' : ` Influitive asked to wait ${delay} s.`;
    return new z.errors.ThrottledError(
      `Influitive's firewall refused ${detail.call} with ${status}${ref}: it allows 200 requests per IP address in any 5 minutes, and Zapier's addresses are shared.${wait} Zapier will retry later.`,
      delay,
    );
  }
  if (status >= 500) {
    return new z.errors.Error(
      `Influitive had a server error ${status} on ${detail.call}${ref}. This is on Influitive's side; try again later, and if it persists give the request id to support@influitive.com.`,
      'influitive_server_error',
      status,
    );
  }
  const words = detail.apiWords ? `: ${detail.apiWords}` : '';
  return new z.errors.Error(
    `Influitive answered ${detail.call} with ${status}${ref}${words}.`,
    'influitive_request_failed',
    status,
  );
};

/** Where a redirect pointed: the origin of its Location, never its path or query. */
const redirectTarget = (location: string | undefined, from: URL): string => {
  if (!location) return 'no Location';
  try {
    const { origin, protocol } = new URL(location, from);
    return origin === 'null' ? `a ${protocol} location` : origin;
  } catch {
    return 'an invalid Location';
  }
};

/**
 * A 3xx is never followed: a redirected request would carry the token and org ID elsewhere, and a
 * POST turned into a GET could answer 200 for a decision never made.
 */
const redirectError = (
  z: ZObject,
  response: RawHttpResponse,
  url: URL,
  detail: ErrorDetail,
  secrets: readonly string[],
): Error => {
  const ref = detail.requestId ? ` (request id ${detail.requestId})` : '';
  const target = redirectTarget(response.getHeader('location'), url);
  return new z.errors.Error(
    scrubSecrets(
      `Influitive answered ${detail.call} with ${response.status}, a redirect to ${target}${ref}. Redirects are not followed, so the API token stays with Influitive and nothing is reported done that was not. If INFLUITIVE_API_URL is set, point it at the API itself; otherwise ask support@influitive.com whether the API moved.`,
      secrets,
    ),
    'influitive_redirect',
    502,
  );
};

const networkError = (z: ZObject, error: unknown, call: string, ms: number): Error => {
  const { code, type, message } = (error ?? {}) as {
    code?: string;
    type?: string;
    message?: string;
  };
  if (type === 'request-timeout' || code === 'ETIMEDOUT' || /timeout/i.test(message ?? '')) {
    return new z.errors.Error(
      `Influitive did not answer ${call} within ${ms / 1000} s, so the request was stopped before Zapier's 30 s limit. Try again; if it keeps happening, Influitive may be slow or down.`,
      'influitive_timeout',
      504,
    );
  }
  const cause = code ?? type ?? 'network error';
  return new z.errors.Error(
    `Could not reach Influitive for ${call}: the connection failed (${cause}). Try again; if it keeps happening, check Influitive's status.`,
    'influitive_unreachable',
    502,
  );
};

/**
 * Every Influitive request goes through here: the auth headers, the base URL, the timeout, JSON
 * parsed by content (Influitive labels some JSON as text/plain), and one mapping from failures to
 * the `z.errors` type that gives the Zap the right behaviour. No message carries a secret.
 */
export const callInfluitive = async (
  z: ZObject,
  bundle: Bundle,
  call: InfluitiveCall,
): Promise<InfluitiveResult> => {
  const { token, orgId } = influitiveCredentials(z, bundle);
  const base = influitiveBaseUrl();
  const secrets = secretsOf(bundle);
  const url = resolveUrl(z, base, call.path, secrets);
  const name = callName(call.method, url, base);
  const ms = call.timeoutMs ?? requestTimeoutMs();
  // `throwForThrottlingEarly` is read by core from the request but is missing from its typings.
  // `raw`: core would log the body scrubbed of the secrets only as stored, so an echo of the
  // token as sent (trimmed) or encoded would reach the log; the body is read here instead.
  const request = {
    url: url.toString(),
    method: call.method,
    params: call.params,
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
    headers: {
      Authorization: `Token ${token}`,
      X_ORG_ID: orgId,
      Accept: 'application/json',
      'Content-Type': 'application/json',
    },
    timeout: ms,
    redirect: 'manual' as const,
    raw: true as const,
    skipThrowForStatus: true,
    throwForThrottlingEarly: false,
  };

  let response: RawHttpResponse;
  let text: string;
  try {
    response = await z.request(request);
    text = await response.text();
  } catch (error) {
    throw networkError(z, error, name, ms);
  }

  if (response.status < 200 || response.status >= 300) {
    // Only a failure needs the API's words; a successful page is parsed once, below.
    const detail: ErrorDetail = {
      call: name,
      requestId: response.getHeader('x-request-id'),
      ...apiWordsOf(text, secrets),
    };
    if (response.status >= 300 && response.status < 400) {
      throw redirectError(z, response, url, detail, secrets);
    }
    throw call.onStatus?.(response.status, detail) ?? statusError(z, response, detail);
  }
  if (text.trim() === '') {
    if (call.allowEmpty) return { status: response.status, data: undefined };
    throw new z.errors.Error(
      `Influitive answered ${name} with ${response.status} and an empty body, where JSON was expected.`,
      'influitive_empty_body',
      502,
    );
  }
  const parsed = parseJson(text);
  if (!parsed.ok && parsed.reason === 'too_deep') {
    throw new z.errors.Error(
      `Influitive answered ${name} with ${response.status} and JSON nested more than ${MAX_JSON_DEPTH} levels deep, which no Influitive answer is; it was not read. Try again later; if it persists, tell support@influitive.com.`,
      'influitive_too_deep',
      502,
    );
  }
  if (!parsed.ok) {
    const type = response.getHeader('content-type') ?? 'no content type';
    throw new z.errors.Error(
      `Influitive answered ${name} with ${response.status} but the body is not JSON (${type}): "${excerpt(text, secrets)}". This is often a firewall or maintenance page; try again later.`,
      'influitive_not_json',
      502,
    );
  }
  return { status: response.status, data: parsed.value };
};
