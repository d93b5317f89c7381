/** User-facing words shared by several Influitive operations, kept out of the logic. */

export const STILL_WAITING_LABEL = 'Reward Request Still Waiting';
export const POLLING_LABEL = 'Reward Requested (Checks Every Few Minutes)';

/**
 * What picks up a redemption a trigger run could not handle, and how to handle it by hand. Zapier
 * never re-runs a trigger (its replay retries action steps only), so this is the advice to give.
 */
export const WHAT_PICKS_IT_UP = `While it stays pending, the "${POLLING_LABEL}" trigger and the "${STILL_WAITING_LABEL}" trigger pick it up; to handle it now, look it up with Find Reward Redemption and run your Zap's steps for it, or decide it in the hub's Items to Review.`;
