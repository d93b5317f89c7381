import { type Claim, claimKey } from './cache';
import type { Bundle, ZObject } from './types';
import { idString } from './types';

export const THIRTY_DAYS_SECONDS = 30 * 24 * 60 * 60;

/** A boolean input as Zapier may send it: a boolean, or text such as "false" or "no". */
export const isTurnedOff = (value: unknown): boolean =>
  value === false || (typeof value === 'string' && /^(false|no|0|off)$/i.test(value.trim()));

/** The input that lets a Zap that must see every delivery (a logging Zap) keep repeats. */
export const stopRepeatsField = {
  key: 'stop_repeats',
  label: 'Stop Repeated Deliveries',
  type: 'boolean' as const,
  default: 'true',
  required: false,
  helpText:
    'Halts a delivery this Zap already received in the last 30 days, so a resent webhook never rewards twice. Counted per Zap, by the Zap ID Zapier gives the app: two Zaps on one connection each get every delivery once. When Zapier does not say which Zap a delivery is for, repeats are not stopped, so a second Zap never loses a genuine delivery: map the Idempotency Key into the vendor step, which then refuses a second order. Turn off only for a Zap that must see every delivery, such as one that logs them to a sheet.',
};

/** The Zap a delivery is for, when Zapier says (`bundle.meta.zap.id`, typed deprecated in core 19). */
const zapIdOf = (bundle: Pick<Bundle, 'meta'>): string | undefined =>
  idString((bundle.meta as { zap?: { id?: unknown } } | undefined)?.zap?.id);

/**
 * True when repeats are stopped: the user left it on and Zapier names the Zap. Without the Zap's
 * id a repeat cannot be told from the first delivery to another Zap on the connection, so
 * nothing is halted and the vendor idempotency key is the guarantee.
 */
export const stopsRepeats = (bundle: Pick<Bundle, 'inputData' | 'meta'>): boolean =>
  !isTurnedOff(bundle.inputData?.stop_repeats) && zapIdOf(bundle) !== undefined;

export interface DeliveryScope {
  /** The cache key for one delivery, naming the Zap when Zapier says which Zap this is. */
  key: (delivery: string) => string;
  /** "to this Zap" or "on this connection", for messages. */
  words: string;
}

/**
 * Repeats are counted per Zap: two Zaps on one connection (one orders the gift card, one logs it)
 * each see every delivery once. `z.cache` has no Zap scope, so the key names the Zap. Callers ask
 * `stopsRepeats` first, which is false without a Zap id; the per-connection key is never claimed.
 */
export const deliveryScope = (bundle: Pick<Bundle, 'meta'>): DeliveryScope => {
  const zapId = zapIdOf(bundle);
  return zapId === undefined
    ? { key: (delivery) => delivery, words: 'on this connection' }
    : { key: (delivery) => `zap:${zapId}:${delivery}`, words: 'to this Zap' };
};

/**
 * Claims a delivery key for this connection (see `claimKey`): `repeat` only when another run's
 * claim is there. Best effort: when the cache cannot say, the delivery passes and the vendor
 * idempotency key remains the guarantee.
 */
export const claimDelivery = async (z: ZObject, key: string, ttlSeconds: number): Promise<Claim> =>
  claimKey(z, key, ttlSeconds);
