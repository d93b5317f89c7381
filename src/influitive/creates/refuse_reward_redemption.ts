import type { Bundle, ZObject } from '../../shared/types';
import { decideRedemption, decisionOutputFields } from '../decision';
import { redemptionIdField } from '../fields';

export const refuseRewardRedemption = (z: ZObject, bundle: Bundle) =>
  decideRedemption(z, bundle, 'refuse');

export default {
  key: 'refuse_reward_redemption',
  noun: 'Reward Redemption',
  display: {
    label: 'Refuse Reward Redemption',
    description: 'Refuses a pending reward redemption in Influitive and tells the advocate why.',
  },
  operation: {
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
      response: {},
    },
    outputFields: decisionOutputFields,
  },
};
