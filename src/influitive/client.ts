import type { HttpResponse } from 'zapier-platform-core';
import { excerpt, secretsOf } from '../shared/secrets';
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
 * refused unless the host is loopback, so the token never travels unencrypted.
 */
export const influitiveBaseUrl = (): URL => {
  const configured = process.env.INFLUITIVE_API_URL?.trim() || DEFAULT_INFLUITIVE_API_URL;
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    throw new Error(
      `INFLUITIVE_API_URL is not a URL (${configured}); unset it to use ${DEFAULT_INFLUITIVE_API_URL}.`,
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

const resolveUrl = (z: ZObject, base: URL, path: string): URL => {
  const url = /^https?:\/\//i.test(path)
    ? new URL(path)
    : new URL(`${base.origin}${basePath(base)}${path}`);
  // A paging link pointing elsewhere would receive the token; refuse it.
  if (url.origin !== base.origin) {
    throw new z.errors.Error(
      `Influitive returned a link to ${url.origin}, outside ${base.origin}; it was not followed so the API token stays with Influitive.`,
      'foreign_link',
      502,
    );
  }
  return url;
};

/** `GET /reward_redemptions`: what was called, without host or query, for messages. */
const callName = (method: string, url: URL, base: URL): string =>
  `${method} ${url.pathname.slice(basePath(base).length) || '/'}`;

const parseJsonByContent = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};

const apiWordsOf = (text: string, secrets: string[]): string | undefined => {
  if (text.trim() === '') return undefined;
  const parsed = parseJsonByContent(text);
  if (parsed.ok && typeof parsed.value === 'object' && parsed.value !== null) {
    const record = parsed.value as Record<string, unknown>;
    const words = [record.error, record.message, record.errors, record.detail].find(
      (v) => v !== undefined,
    );
    if (words !== undefined)
      return excerpt(typeof words === 'string' ? words : JSON.stringify(words), secrets);
  }
  return excerpt(text, secrets);
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

const statusError = (z: ZObject, response: HttpResponse, detail: ErrorDetail): Error => {
  const { status } = response;
  const ref = detail.requestId ? ` (request id ${detail.requestId})` : '';
  if (status === 401) {
    return new z.errors.ExpiredAuthError(
      `Influitive rejected the API token or organization ID on ${detail.call}${ref}. ${CREDENTIALS_HELP}`,
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
  const url = resolveUrl(z, base, call.path);
  const name = callName(call.method, url, base);
  const secrets = secretsOf(bundle);
  const ms = call.timeoutMs ?? requestTimeoutMs();
  // `throwForThrottlingEarly` is read by core from the request but is missing from its typings.
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
    skipThrowForStatus: true,
    throwForThrottlingEarly: false,
  };

  let response: HttpResponse;
  try {
    response = await z.request(request);
  } catch (error) {
    throw networkError(z, error, name, ms);
  }

  const text = response.content ?? '';
  if (response.status < 200 || response.status >= 300) {
    // Only a failure needs the API's words; a successful page is parsed once, below.
    const detail: ErrorDetail = {
      call: name,
      requestId: response.getHeader('x-request-id'),
      apiWords: apiWordsOf(text, secrets),
    };
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
  const parsed = parseJsonByContent(text);
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
