import type { Bundle, ZObject } from '../../shared/types';
import { decideRedemption, decisionLock, decisionOutputFields } from '../decision';
import { redemptionIdField } from '../fields';

export const refuseRewardRedemption = (z: ZObject, bundle: Bundle) =>
  decideRedemption(z, bundle, 'refuse');

export default {
  key: 'refuse_reward_redemption',
  noun: 'Reward Redemption',
  display: {
    label: 'Refuse Reward Redemption',
    description:
      "Refuses a pending reward redemption in Influitive and tells the advocate why. If Influitive says it was already refused (a replayed run, or someone did it in the hub), the step succeeds with Already Decided Before This Run set to true; Influitive's Answer holds whatever Influitive replied, often nothing.",
  },
  operation: {
    // One decision at a time per redemption, so a replay and a second Zap never race.
    lock: decisionLock,
    inputFields: [
      redemptionIdField,
      {
        key: 'message',
        label: 'Reason for the Advocate',
        type: 'text' as const,
        required: true,
        helpText:
          'Tells the advocate why, e.g. "This hoodie is out of stock; please pick another reward."',
      },
    ],
    perform: refuseRewardRedemption,
    sample: {
      id: '48214',
      decision: 'refused',
      message:
        'Sorry, the Northwind hoodie in size M is out of stock. Your points have been returned.',
      decided_at: '2026-11-20T14:22:40.000+00:00',
      already_decided: false,
      response: {},
    },
    outputFields: decisionOutputFields,
  },
};
