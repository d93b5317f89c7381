import editorSamples from '../../editor-samples.json';
import { cacheGet, cacheSet } from '../../shared/cache';
import { clock } from '../../shared/deadline';
import { type Bundle, isJsonObject, type ZObject } from '../../shared/types';
import { STILL_WAITING_LABEL } from '../copy';
import { fetchPendingRedemptions } from '../pending';
import { dateIn, type PendingSummary, summarizePending } from '../pending-summary';

/** A day's summary is kept this long, so the checks after the first cost no request. */
const SUMMARY_TTL_SECONDS = 26 * 60 * 60;

const amountFieldOf = (bundle: Bundle): string => {
  const value = bundle.inputData.amount_field;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : 'amount';
};

const timeZoneOf = (bundle: Bundle): string | undefined => {
  const zone = (bundle.meta as { timezone?: unknown } | undefined)?.timezone;
  return typeof zone === 'string' && zone !== '' ? zone : undefined;
};

/**
 * Today's summary, read once a day per connection: Zapier checks every few minutes and keeps only
 * the first item with a given date, so later checks that day return it again from the cache.
 */
export const summarizeToday = async (z: ZObject, bundle: Bundle): Promise<PendingSummary[]> => {
  const now = clock().now();
  const amountField = amountFieldOf(bundle);
  const timeZone = timeZoneOf(bundle);
  const key = `influitive-pending-summary:${dateIn(now, timeZone)}:${timeZone ?? 'UTC'}:${amountField}`;
  try {
    const kept = await cacheGet(z, key);
    if (isJsonObject(kept) && typeof kept.id === 'string')
      return [kept as unknown as PendingSummary];
  } catch {
    // Read the list below.
  }
  const { redemptions, complete } = await fetchPendingRedemptions(z, bundle);
  const summary = summarizePending(redemptions, { complete, now, amountField, timeZone });
  try {
    await cacheSet(z, key, summary, SUMMARY_TTL_SECONDS);
  } catch {
    // The next check reads the list again.
  }
  return [summary];
};

/** Two redemptions summarised on 2026-11-23 in Toronto (`npm run samples`, scripts/editor-samples.ts). */
const sample: PendingSummary = editorSamples.pending_rewards_summary;

export default {
  key: 'pending_rewards_summary',
  noun: 'Pending Rewards Summary',
  display: {
    label: 'Daily Pending Rewards Summary',
    description:
      "Triggers when a new day starts, with a summary of Influitive's pending reward redemptions: how many, the oldest, the count per reward and the total amount, for a Slack or email digest.",
    directions: `The first check of each day (in the Zap's time zone) reads the pending list (counting only redemptions still pending) and starts the Zap once with that day's figures; the day the Zap is turned on is recorded, not sent. It never halts a run. A hub with more pending than one check reads (about 1,000) reports "at least" figures and the oldest of those it read, flagged by Count Is Complete. To act on each redemption that waits too long, use "${STILL_WAITING_LABEL}". Amounts come from [Reward Metadata](https://support.influitive.com/hc/en-us/articles/50066).`,
  },
  operation: {
    type: 'polling' as const,
    inputFields: [
      {
        key: 'amount_field',
        label: 'Amount Field in Reward Metadata',
        required: false,
        default: 'amount',
        helpText:
          'The Reward Metadata key whose numbers are totalled (e.g. `amount` for a $25 gift card). Redemptions without it are counted but not summed.',
      },
    ],
    perform: summarizeToday,
    sample,
    outputFields: [
      { key: 'id', label: 'Summary ID (the Date)', type: 'string' as const },
      { key: 'date', label: 'Date', type: 'string' as const },
      { key: 'text', label: 'Summary Text', type: 'string' as const },
      { key: 'pending_count', label: 'Pending Redemptions', type: 'integer' as const },
      { key: 'pending_count_complete', label: 'Count Is Complete', type: 'boolean' as const },
      { key: 'oldest_redemption_id', label: 'Oldest Redemption ID', type: 'string' as const },
      { key: 'oldest_summary', label: 'Oldest Redemption', type: 'string' as const },
      { key: 'oldest_requested_at', label: 'Oldest Requested At', type: 'datetime' as const },
      { key: 'oldest_waiting_days', label: 'Oldest Days Waiting', type: 'number' as const },
      { key: 'per_reward_text', label: 'Pending Count by Reward', type: 'string' as const },
      { key: 'per_reward[]reward_id', label: 'Per Reward: Reward ID', type: 'string' as const },
      { key: 'per_reward[]reward_name', label: 'Per Reward: Reward Name', type: 'string' as const },
      { key: 'per_reward[]count', label: 'Per Reward: Pending', type: 'integer' as const },
      {
        key: 'per_reward[]amount_total',
        label: 'Per Reward: Amount Total',
        type: 'number' as const,
      },
      { key: 'amount_field', label: 'Amount Field', type: 'string' as const },
      { key: 'amount_total', label: 'Amount Total', type: 'number' as const },
      { key: 'amount_counted', label: 'Redemptions With an Amount', type: 'integer' as const },
    ],
  },
};
