import type { ZObject } from './types';

export type DeliveryClaim = 'first' | 'duplicate' | 'unknown';

/**
 * Claims a delivery key with Zapier's cache as a set-if-absent (`nx`), scoped to this connection.
 * Best effort only: `z.cache` is documented as internal, so when it is unavailable or throttled
 * (`null`) the delivery passes and the vendor idempotency key remains the guarantee.
 */
export const claimDelivery = async (
  z: ZObject,
  key: string,
  ttlSeconds: number,
): Promise<DeliveryClaim> => {
  try {
    const stored = await z.cache.set(
      key,
      { claimed_at: new Date().toISOString() },
      ttlSeconds,
      ['auth'],
      true,
    );
    if (stored === true) return 'first';
    if (stored === false) return 'duplicate';
    return 'unknown';
  } catch (error) {
    z.console.log(
      `De-duplication skipped: Zapier's cache is unavailable (${(error as Error).message}).`,
    );
    return 'unknown';
  }
};

export const THIRTY_DAYS_SECONDS = 30 * 24 * 60 * 60;
