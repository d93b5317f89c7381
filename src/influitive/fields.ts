/** Input fields shared by several Influitive operations, defined once. */

export const rewardFilterField = {
  key: 'reward_id',
  label: 'Reward',
  dynamic: 'reward.id.label',
  required: false,
  helpText:
    'Only redemptions of this reward start the Zap, so each reward can go to its own vendor Zap. Leave empty for every reward. Rewards not published in the hub are marked "(unpublished)".',
};

export const redemptionIdField = {
  key: 'redemption_id',
  label: 'Reward Redemption',
  dynamic: 'new_reward_redemption.id.summary',
  search: 'find_reward_redemption.id',
  required: true,
  helpText:
    'The pending redemption to decide. Map the **Redemption ID** from the trigger (or from **Find Reward Redemption**); the list shows the redemptions waiting in Influitive.',
};
