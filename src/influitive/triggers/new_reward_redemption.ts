import { Deadline } from '../../shared/deadline';
import {
  DROPDOWN_BUDGET_MS,
  isEditorRead,
  MAX_DROPDOWN_PAGES,
  readDropdownPage,
} from '../../shared/editor';
import { scrubSecrets, secretsOf } from '../../shared/secrets';
import type { Bundle, ZObject } from '../../shared/types';
import { rewardFilterField } from '../fields';
import { redemptionOutputFieldsWithProvider } from '../metadata-fields';
import { FIRST_PAGE, isStillPending, pendingContext } from '../pending';
import { influitivePages, RunBudget } from '../pending/list';
import { PollWindowError, readPollWindow } from '../pending/window';
import { isForReward, newestFirst, type RewardRedemption } from '../redemption';
import { includeInfluitiveFulfilledField, keepRewardsYouFulfill } from '../reward-providers';
import { redemptionSample } from '../samples';

/**
 * The poll window (see `pending/window.ts`): every pending redemption requested in the last 48
 * hours, read in this run, all of them, so a flood of new ones is held by Zapier visibly rather
 * than cut. A poll that cannot read its window is an error that says why.
 */
const readForPoll = async (z: ZObject, bundle: Bundle): Promise<RewardRedemption[]> => {
  try {
    return await readPollWindow(pendingContext(z, bundle), {
      baseline: bundle.meta?.isPopulatingDedupe === true,
    });
  } catch (error) {
    if (!(error instanceof PollWindowError)) throw error;
    throw new z.errors.Error(scrubSecrets(error.message, secretsOf(bundle)), 'poll_window', 503);
  }
};

/**
 * One page of the pending list, for the Zap editor (samples, the Reward Redemption dropdown and its
 * "Load more"): the user is waiting, so it never walks the list, and it leaves the connection's
 * layout alone, since one page says nothing about where the list grows.
 */
const readForEditor = (z: ZObject, bundle: Bundle): Promise<RewardRedemption[]> => {
  const deadline = new Deadline(DROPDOWN_BUDGET_MS);
  const budget = new RunBudget(deadline, MAX_DROPDOWN_PAGES + 1);
  const pages = influitivePages(z, bundle);
  return readDropdownPage(
    z,
    bundle,
    FIRST_PAGE,
    async (path) => {
      budget.requests += 1;
      const read = await pages(path, budget);
      return { items: read.redemptions, next: read.next };
    },
    deadline,
  );
};

/** Still pending and of the chosen reward, newest first. */
const forThisZap = (bundle: Bundle, redemptions: readonly RewardRedemption[]) => {
  const rewardId =
    typeof bundle.inputData.reward_id === 'string' ? bundle.inputData.reward_id : undefined;
  return newestFirst(redemptions.filter((r) => isStillPending(r) && isForReward(r, rewardId)));
};

/** The pending redemptions, newest first, optionally of one reward. */
export const listPendingRedemptions = async (
  z: ZObject,
  bundle: Bundle,
): Promise<RewardRedemption[]> =>
  keepRewardsYouFulfill(
    z,
    bundle,
    forThisZap(
      bundle,
      isEditorRead(bundle) ? await readForEditor(z, bundle) : await readForPoll(z, bundle),
    ),
  );

/** Samples for the editor, always from one page (a hook trigger's `performList`). */
export const samplePendingRedemptions = async (
  z: ZObject,
  bundle: Bundle,
): Promise<RewardRedemption[]> =>
  keepRewardsYouFulfill(z, bundle, forThisZap(bundle, await readForEditor(z, bundle)));

export default {
  key: 'new_reward_redemption',
  noun: 'Reward Redemption',
  display: {
    label: 'Reward Requested (Checks Every Few Minutes)',
    description:
      "Triggers when an advocate requests a reward, found by checking Influitive's pending list every few minutes: nothing to set up in the hub. Each redemption still pending (and of the chosen Reward) starts the Zap once; ones already pending when the Zap is turned on do not. It never halts a run: a check that cannot read Influitive is an error, and the next check tries again. Rewards Influitive fulfills itself (such as Tango Card) are left out unless you include them.",
  },
  operation: {
    type: 'polling' as const,
    inputFields: [rewardFilterField, includeInfluitiveFulfilledField],
    perform: listPendingRedemptions,
    // Only the Reward Redemption dropdown asks for more pages; a poll always starts at the first.
    canPaginate: true,
    sample: redemptionSample,
    outputFields: redemptionOutputFieldsWithProvider,
  },
};
