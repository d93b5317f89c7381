/**
 * The pending list at the edge with Zapier: one run's context (Influitive's pages, the
 * connection's hints in `z.cache`, the run's budget), and the reads the search and the editor make.
 */
import { Deadline } from '../../shared/deadline';
import type { Bundle, ZObject } from '../../shared/types';
import type { RewardRedemption } from '../redemption';
import { HintStore } from './hints';
import {
  FIRST_PAGE,
  influitivePages,
  influitiveRecord,
  type ListRead,
  MAX_REQUESTS_PER_RUN,
  RunBudget,
  readFrom,
  UnreadableListError,
} from './list';
import type { PendingContext } from './verify';

export { FIRST_PAGE, isStillPending, MAX_REQUESTS_PER_RUN } from './list';

/** One run's context: 25 s and 40 requests unless told otherwise. */
export const pendingContext = (
  z: ZObject,
  bundle: Bundle,
  options: { deadline?: Deadline; maxRequests?: number; askRecord?: boolean } = {},
): PendingContext => {
  const deadline = options.deadline ?? new Deadline();
  return {
    source: influitivePages(z, bundle),
    ...(options.askRecord ? { record: influitiveRecord(z, bundle) } : {}),
    hints: new HintStore(z, deadline),
    budget: new RunBudget(deadline, options.maxRequests ?? MAX_REQUESTS_PER_RUN),
  };
};

export interface PendingList {
  redemptions: RewardRedemption[];
  /** The whole list was read. */
  complete: boolean;
  requests: number;
}

/**
 * The pending redemptions from the first page, for the search: to the end, to the first page
 * holding a match of `stopWhen`, or to `maxPages`, within one run's deadline and request cap.
 */
export const fetchPendingRedemptions = async (
  z: ZObject,
  bundle: Bundle,
  options: { stopWhen?: (redemption: RewardRedemption) => boolean; maxPages?: number } = {},
): Promise<PendingList> => {
  const { source, budget } = pendingContext(z, bundle, {
    maxRequests: Math.min(options.maxPages ?? MAX_REQUESTS_PER_RUN, MAX_REQUESTS_PER_RUN),
  });
  let read: ListRead;
  try {
    read = await readFrom(source, budget, FIRST_PAGE, (page) =>
      options.stopWhen ? page.redemptions.some(options.stopWhen) : false,
    );
  } catch (error) {
    if (!(error instanceof UnreadableListError)) throw error;
    throw new z.errors.Error(
      `Influitive's pending list cannot be read: ${error.message}. Decide the redemption in the hub, and tell support@influitive.com.`,
      'pending_list_unreadable',
      502,
    );
  }
  return { redemptions: read.redemptions, complete: read.complete, requests: budget.requests };
};
