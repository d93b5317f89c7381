import { createHash } from 'node:crypto';

/** Tango Card's `externalRefID` allows at most 100 alphanumeric characters. */
export const ALPHANUMERIC_KEY_MAX = 100;

export interface IdempotencyKeys {
  /** Free-form key, e.g. for Tremendous `external_id`. */
  idempotency_key: string;
  /** Letters and digits only, at most 100 characters, for Tango Card `externalRefID`. */
  idempotency_key_alphanumeric: string;
}

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Eight hex characters that stand for one Influitive hub (a hash of its org ID, which is not a
 * secret but need not be spelled out to a vendor), so two hubs that share a vendor account never
 * share a key. `00000000` when the connection has no org ID.
 */
export const hubKeyComponent = (orgId: unknown): string => {
  const text = typeof orgId === 'string' ? orgId.trim().toLowerCase() : '';
  return text === '' ? '00000000' : sha256Hex(`influitive-org:${text}`).slice(0, 8);
};

/**
 * The vendor idempotency keys for one source record: the same record always yields the same keys,
 * so a replayed Zap places no second order, and two records never share one.
 *
 * - `idempotency_key`: `<prefix>-<id>`, the id exactly as the source sent it.
 * - `idempotency_key_alphanumeric`: the prefix's letters and digits, then `id` and the id itself
 *   when it is letters and digits and fits in 100 characters; otherwise `h` and 32 hex characters
 *   of the id's SHA-256. The marker after the fixed prefix keeps the two forms apart, so dropping
 *   punctuation or cutting at 100 can never make two ids collide.
 *
 * `prefix` must be fixed per source (and hub), e.g. `influitive-3fa2b9c1-redemption`.
 */
export const idempotencyKeys = (prefix: string, id: string): IdempotencyKeys => {
  const alphanumericPrefix = prefix.replace(/[^A-Za-z0-9]/g, '');
  const literal = `${alphanumericPrefix}id${id}`;
  const alphanumeric =
    /^[A-Za-z0-9]+$/.test(id) && literal.length <= ALPHANUMERIC_KEY_MAX
      ? literal
      : `${alphanumericPrefix}h${sha256Hex(id).slice(0, 32)}`;
  return { idempotency_key: `${prefix}-${id}`, idempotency_key_alphanumeric: alphanumeric };
};

/** The two key fields as every trigger outputs them, labelled once. */
export const idempotencyOutputFields = [
  {
    key: 'idempotency_key',
    label: 'Idempotency Key (e.g. Tremendous External ID)',
    type: 'string' as const,
  },
  {
    key: 'idempotency_key_alphanumeric',
    label: 'Idempotency Key, Letters and Digits Only (e.g. Tango Card External Ref ID)',
    type: 'string' as const,
  },
];
