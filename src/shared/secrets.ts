import type { Bundle } from './types';

/** Connection fields whose values must never appear in a message, a log line or a thrown value. */
export const SECRET_AUTH_FIELDS = ['api_token', 'loudcrowd_api_key'] as const;

const MIN_SCRUB_LENGTH = 4;

/** The secret values of this connection, longest first so a secret containing another is scrubbed whole. */
export const secretsOf = (bundle: Pick<Bundle, 'authData'>): string[] =>
  SECRET_AUTH_FIELDS.map((field) => bundle.authData?.[field])
    .filter(
      (value): value is string => typeof value === 'string' && value.length >= MIN_SCRUB_LENGTH,
    )
    .sort((a, b) => b.length - a.length);

/** Replaces every occurrence of every secret (e.g. echoed back in an upstream error body). */
export const scrubSecrets = (text: string, secrets: readonly string[]): string =>
  secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);

/** A short, single-line, secret-free excerpt of an upstream body for an error message. */
export const excerpt = (text: string, secrets: readonly string[], max = 160): string => {
  const oneLine = scrubSecrets(text, secrets).replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
};
