import type { Bundle, ZObject } from '../../shared/types';
import { decideRedemption, decisionLock, decisionOutputFields } from '../decision';
import { redemptionIdField } from '../fields';

export const fulfillRewardRedemption = (z: ZObject, bundle: Bundle) =>
  decideRedemption(z, bundle, 'fulfill');

export default {
  key: 'fulfill_reward_redemption',
  noun: 'Reward Redemption',
  display: {
    label: 'Fulfill Reward Redemption',
    description:
      "Fulfills a pending reward redemption in Influitive, with an optional message to the advocate. If Influitive says it was already fulfilled (a replayed run, or someone did it in the hub), the step succeeds with Already Decided Before This Run set to true; Influitive's Answer holds whatever Influitive replied, often nothing.",
  },
  operation: {
    // One decision at a time per redemption, so a replay and a second Zap never race.
    lock: decisionLock,
    inputFields: [
      redemptionIdField,
      {
        key: 'message',
        label: 'Message to the Advocate',
        type: 'text' as const,
        required: false,
        helpText:
          'Shown to the advocate, e.g. the gift card link or the tracking number. Line breaks are kept.',
      },
    ],
    perform: fulfillRewardRedemption,
    sample: {
      id: '48213',
      decision: 'fulfilled',
      message:
        'Your $25 Amazon.com gift card is on its way: https://www.tremendous.com/rewards/payout/abc123',
      decided_at: '2026-11-20T14:20:11.000+00:00',
      already_decided: false,
      response: {},
    },
    outputFields: decisionOutputFields,
  },
};
