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
import { scrubbingSecrets } from './shared/secrets';
import type { Bundle, ZObject } from './shared/types';

type Perform = (z: ZObject, bundle: Bundle) => unknown;
interface Operation {
  key: string;
  operation: { perform: Perform; performList?: Perform };
}

/** The operation with its perform and performList behind the one secret scrubber. */
const scrubbed = <T extends Operation>(item: T): T => {
  const { perform, performList } = item.operation;
  return {
    ...item,
    operation: {
      ...item.operation,
      perform: scrubbingSecrets(perform),
      ...(performList ? { performList: scrubbingSecrets(performList) } : {}),
    },
  };
};

// Every operation leaves through the scrubber, so no output, error or log line can forget it.
const byKey = (...items: Operation[]) =>
  Object.fromEntries(items.map((item) => [item.key, scrubbed(item)])) as Record<
    string,
    { key: string }
  >;

export default {
  version,
  platformVersion,
  authentication: { ...authentication, test: scrubbingSecrets(authentication.test) },
  // Every request goes through z.request, which core logs itself; patching Node's http module to
  // log other clients would only add work to each invocation.
  flags: { skipHttpPatch: true },
  triggers: byKey(
    rewardRedemptionRequested,
    newRewardRedemption,
    overdueRewardRedemption,
    pendingRewardsSummary,
    reward,
    loudCrowdRewardEvent,
  ),
  creates: byKey(fulfillRewardRedemption, refuseRewardRedemption),
  searches: byKey(findRewardRedemption, findMember),
};
