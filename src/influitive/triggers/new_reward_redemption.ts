import type { Bundle, ZObject } from '../../shared/types';
import { rewardFilterField } from '../fields';
import { fetchPendingRedemptions } from '../pending-redemptions';
import {
  isForReward,
  newestFirst,
  type RewardRedemption,
  redemptionOutputFields,
} from '../redemption';
import { redemptionSample } from '../samples';

/** Zapier reads at most this many items of a poll. */
export const POLL_LIMIT = 100;

/** The pending redemptions, newest first, optionally of one reward. */
export const listPendingRedemptions = async (
  z: ZObject,
  bundle: Bundle,
): Promise<RewardRedemption[]> => {
  const { redemptions } = await fetchPendingRedemptions(z, bundle);
  const rewardId =
    typeof bundle.inputData.reward_id === 'string' ? bundle.inputData.reward_id : undefined;
  return newestFirst(redemptions.filter((r) => isForReward(r, rewardId))).slice(0, POLL_LIMIT);
};

export default {
  key: 'new_reward_redemption',
  noun: 'Reward Redemption',
  display: {
    label: 'New Reward Redemption (Polling)',
    description:
      'Triggers when an advocate requests a reward that needs fulfilling, checking Influitive every few minutes.',
  },
  operation: {
    type: 'polling' as const,
    inputFields: [rewardFilterField],
    perform: listPendingRedemptions,
    canPaginate: false,
    sample: redemptionSample,
    outputFields: redemptionOutputFields,
  },
};
