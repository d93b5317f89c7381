import { claimDelivery, THIRTY_DAYS_SECONDS } from '../../shared/dedupe';
import { haltDelivery, readHookBody, withoutRequestDump } from '../../shared/hook-request';
import { type Bundle, idString, type ZObject } from '../../shared/types';
import { rewardFilterField } from '../fields';
import { fetchPendingRedemptions } from '../pending-redemptions';
import {
  isForReward,
  normalizeRedemption,
  RedemptionShapeError,
  type RewardRedemption,
  redemptionOutputFields,
  unwrapRedemptionDelivery,
} from '../redemption';
import { redemptionSample } from '../samples';
import { listPendingRedemptions } from './new_reward_redemption';

const SOURCE = 'Influitive';
/** Stop re-checking once this much of Zapier's 30 s has gone, leaving room for the last request. */
const VERIFY_BUDGET_MS = 18_000;
const DEFAULT_RETRY_DELAYS_MS = [1_500, 3_000, 5_000];

/** Waits between re-checks of a redemption the API does not list yet (webhooks can be early). */
const verifyRetryDelays = (): number[] => {
  const configured = process.env.INFLUITIVE_VERIFY_RETRY_DELAYS_MS;
  if (configured === undefined) return DEFAULT_RETRY_DELAYS_MS;
  return configured
    .split(',')
    .map((part) => Number(part.trim()))
    .filter((ms) => Number.isFinite(ms) && ms >= 0);
};

/** A boolean input as Zapier may send it: a boolean, or text such as "false" or "no". */
const isTurnedOff = (value: unknown): boolean =>
  value === false || (typeof value === 'string' && /^(false|no|0|off)$/i.test(value.trim()));

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const sameRedemption = (a: RewardRedemption, b: RewardRedemption): boolean => {
  const ids = new Set([a.id, idString(a.uuid)].filter(Boolean));
  return ids.has(b.id) || ids.has(idString(b.uuid));
};

/**
 * The API's own record of the delivered redemption while it is pending, or undefined. An id the
 * API does not list yet is re-checked a few times, because the webhook can beat the API.
 */
const confirmPending = async (
  z: ZObject,
  bundle: Bundle,
  delivered: RewardRedemption,
): Promise<RewardRedemption | undefined> => {
  const started = Date.now();
  const delays = verifyRetryDelays();
  for (let attempt = 0; ; attempt += 1) {
    const matches = (r: RewardRedemption) => sameRedemption(delivered, r);
    const { redemptions } = await fetchPendingRedemptions(z, bundle, matches);
    const found = redemptions.find(matches);
    const delay = delays[attempt];
    if (found || delay === undefined || Date.now() - started + delay > VERIFY_BUDGET_MS)
      return found;
    await sleep(delay);
  }
};

/**
 * One "Reward Redemption Requested" delivery: normalised, confirmed pending through the API (unless
 * turned off) so a forged or replayed webhook cannot order a gift card, then de-duplicated.
 */
const receiveDelivery = async (z: ZObject, bundle: Bundle): Promise<RewardRedemption[]> => {
  const body = readHookBody(z, bundle, SOURCE);
  let delivered: RewardRedemption;
  try {
    const { redemption, contacts } = unwrapRedemptionDelivery(body);
    delivered = normalizeRedemption(redemption, { contacts, defaultStatus: 'pending' });
  } catch (error) {
    if (!(error instanceof RedemptionShapeError)) throw error;
    throw haltDelivery(
      z,
      bundle,
      `${error.message} Check that this Zap's URL is pasted into the hub's "Reward Redemption Requested" webhook.`,
    );
  }

  let redemption = delivered;
  if (!isTurnedOff(bundle.inputData.verify_with_api)) {
    const confirmed = await confirmPending(z, bundle, delivered);
    if (!confirmed) {
      throw haltDelivery(
        z,
        bundle,
        `Reward redemption ${delivered.id} is not pending in Influitive (already fulfilled or refused, or never requested), so this delivery was stopped and no reward is sent for it.`,
      );
    }
    redemption = confirmed;
  }

  const rewardId =
    typeof bundle.inputData.reward_id === 'string' ? bundle.inputData.reward_id : undefined;
  if (!isForReward(redemption, rewardId)) {
    throw haltDelivery(
      z,
      bundle,
      `Reward redemption ${redemption.id} is for reward ${redemption.reward.name ?? redemption.reward_id ?? 'unknown'}; this Zap only handles reward ${rewardId}.`,
    );
  }

  // Claimed last, so a delivery that failed verification can still be retried.
  const claim = await claimDelivery(
    z,
    `influitive-redemption:${redemption.id}`,
    THIRTY_DAYS_SECONDS,
  );
  if (claim === 'duplicate') {
    throw haltDelivery(
      z,
      bundle,
      `Reward redemption ${redemption.id} was already delivered to this Zap; this repeat was stopped so the reward is not sent twice.`,
    );
  }
  return [redemption];
};

export const receiveRedemptionRequested = withoutRequestDump(receiveDelivery);

export default {
  key: 'reward_redemption_requested',
  noun: 'Reward Redemption',
  display: {
    label: 'Reward Redemption Requested (Instant)',
    description:
      'Triggers when an advocate requests a reward, the instant the hub sends its "Reward Redemption Requested" webhook.',
    directions:
      'Copy this Zap\'s URL. In your AdvocateHub, open the admin Integrations settings, add a webhook for "Reward Redemption Requested" and paste the URL there. Ask support@influitive.com to enable Reward Metadata so each reward carries its vendor SKU and amount.',
  },
  operation: {
    type: 'hook' as const,
    inputFields: [
      rewardFilterField,
      {
        key: 'verify_with_api',
        label: 'Confirm With Influitive Before Triggering',
        type: 'boolean' as const,
        default: 'true',
        required: false,
        helpText:
          'Checks through the API that the redemption is really pending before the Zap runs, so a forged or replayed webhook cannot order a reward. Turn off only if this connection has no API token.',
      },
    ],
    perform: receiveRedemptionRequested,
    performList: listPendingRedemptions,
    sample: redemptionSample,
    outputFields: redemptionOutputFields,
  },
};
