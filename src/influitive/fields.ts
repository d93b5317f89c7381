/** Input fields shared by several Influitive operations, defined once. */

export const rewardFilterField = {
  key: 'reward_id',
  label: 'Reward',
  dynamic: 'reward.id.name',
  required: false,
  helpText:
    'Only redemptions of this reward start the Zap, so each reward can go to its own vendor Zap. Leave empty for every reward.',
};

export const redemptionIdField = {
  key: 'redemption_id',
  label: 'Reward Redemption',
  dynamic: 'new_reward_redemption.id.summary',
  required: true,
  helpText:
    'The pending redemption to decide. Map the **Redemption ID** from the trigger (or from **Find Reward Redemption**); the list shows the redemptions waiting in Influitive.',
};
