/** Tango Card's `externalRefID` allows at most 100 alphanumeric characters. */
export const ALPHANUMERIC_KEY_MAX = 100;

export interface IdempotencyKeys {
  /** Free-form key, e.g. for Tremendous `external_id`. */
  idempotency_key: string;
  /** Letters and digits only, at most 100 characters, for Tango Card `externalRefID`. */
  idempotency_key_alphanumeric: string;
}

/**
 * The vendor idempotency key for one source record: the same record always yields the same key,
 * so a replayed Zap places no second order.
 */
export const idempotencyKeys = (prefix: string, id: string): IdempotencyKeys => {
  const key = `${prefix}-${id}`;
  return {
    idempotency_key: key,
    idempotency_key_alphanumeric: key.replace(/[^A-Za-z0-9]/g, '').slice(0, ALPHANUMERIC_KEY_MAX),
  };
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
