import { version as platformVersion } from 'zapier-platform-core';
import { version } from '../package.json';
import authentication from './authentication';
import fulfillRewardRedemption from './influitive/creates/fulfill_reward_redemption';
import refuseRewardRedemption from './influitive/creates/refuse_reward_redemption';
import findMember from './influitive/searches/find_member';
import findRewardRedemption from './influitive/searches/find_reward_redemption';
import newRewardRedemption from './influitive/triggers/new_reward_redemption';
import overdueRewardRedemption from './influitive/triggers/overdue_reward_redemption';
import pendingRewardsSummary from './influitive/triggers/pending_rewards_summary';
import reward from './influitive/triggers/reward';
import rewardRedemptionRequested from './influitive/triggers/reward_redemption_requested';
import loudCrowdRewardEvent from './loudcrowd/triggers/loudcrowd_reward_event';

const byKey = <T extends { key: string }>(...items: T[]) =>
  Object.fromEntries(items.map((item) => [item.key, item])) as Record<string, T>;

export default {
  version,
  platformVersion,
  authentication,
  // Every request goes through z.request, which core logs itself; patching Node's http module to
  // log other clients would only add work to each invocation.
  flags: { skipHttpPatch: true },
  triggers: byKey<{ key: string }>(
    rewardRedemptionRequested,
    newRewardRedemption,
    overdueRewardRedemption,
    pendingRewardsSummary,
    reward,
    loudCrowdRewardEvent,
  ),
  creates: byKey<{ key: string }>(fulfillRewardRedemption, refuseRewardRedemption),
  searches: byKey<{ key: string }>(findRewardRedemption, findMember),
};
