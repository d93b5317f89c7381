import { Deadline } from '../../shared/deadline';
import {
  DROPDOWN_BUDGET_MS,
  isEditorRead,
  MAX_DROPDOWN_PAGES,
  readDropdownPage,
} from '../../shared/editor';
import type { Bundle, ZObject } from '../../shared/types';
import { rewardFilterField } from '../fields';
import { detectListOrder } from '../list-order';
import { redemptionOutputFieldsWithProvider } from '../metadata-fields';
import { FIRST_PAGE, growingEndKnown, isStillPending, PendingReader } from '../pending-redemptions';
import { isForReward, newestFirst, type RewardRedemption } from '../redemption';
import { includeInfluitiveFulfilledField, keepRewardsYouFulfill } from '../reward-providers';
import { redemptionSample } from '../samples';

/** Zapier reads at most this many items of a poll. */
export const POLL_LIMIT = 100;

/**
 * The pending redemptions this poll read, newest first. Once the list's order is known, a poll reads
 * only where new redemptions appear (the front of a newest-first list, the tail of an oldest-first
 * one), so a redemption requested after the Zap was turned on reaches it on the next poll, at one
 * or two requests, whatever the backlog. Learning an oldest-first list's tail takes one poll per
 * 1,000 pending (40 pages of 25); those polls return nothing new and log their progress.
 */
const readForPoll = async (z: ZObject, bundle: Bundle): Promise<RewardRedemption[]> => {
  const reader = new PendingReader(z, bundle);
  const layout = await reader.loadLayout();
  if (layout && growingEndKnown(layout)) {
    const grown = await reader.readGrowingEnd(layout);
    if (grown.covered) return grown.redemptions;
  }
  const resume = layout && !layout.complete && layout.resumeUrl ? layout.resumeUrl : null;
  const walk = await reader.walk(resume ?? FIRST_PAGE, {
    // The first pages of a newest-first list already hold the newest redemptions.
    until: (_page, _index, read) =>
      resume === null &&
      read.length >= POLL_LIMIT &&
      detectListOrder(read.map((r) => r.requested_at)) === 'newest_first',
  });
  await reader.recordWalk(walk, resume === null);
  if (walk.complete || walk.stop === 'match') return walk.redemptions;
  z.console.log(
    `Influitive lists more pending redemptions than one poll may read; this poll read ${walk.pages.length} pages and the next one continues from there.`,
  );
  return [];
};

/**
 * One page of the pending list, for the Zap editor (samples, the Reward Redemption dropdown and its
 * "Load more"): the user is waiting, so it never walks the list, and it leaves the connection's
 * layout alone, since one page says nothing about where the list grows.
 */
const readForEditor = (z: ZObject, bundle: Bundle): Promise<RewardRedemption[]> => {
  const deadline = new Deadline(DROPDOWN_BUDGET_MS);
  const reader = new PendingReader(z, bundle, { deadline, maxRequests: MAX_DROPDOWN_PAGES + 1 });
  return readDropdownPage(
    z,
    bundle,
    FIRST_PAGE,
    async (path) => {
      const read = await reader.readPage(path);
      return { items: read.redemptions, next: read.next };
    },
    deadline,
  );
};

/** Still pending and of the chosen reward, newest first, at most what Zapier reads. */
const forThisZap = (bundle: Bundle, redemptions: readonly RewardRedemption[]) => {
  const rewardId =
    typeof bundle.inputData.reward_id === 'string' ? bundle.inputData.reward_id : undefined;
  return newestFirst(
    redemptions.filter((r) => isStillPending(r) && isForReward(r, rewardId)),
  ).slice(0, POLL_LIMIT);
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
