/** A day's figures of the pending list, as a pure function over plain data. */
import { isStillPending } from './pending/list';
import type { RewardRedemption } from './redemption';
import { requestedMs } from './redemption';

export interface RewardCount {
  reward_id: string | null;
  reward_name: string;
  count: number;
  /** The sum of the amount field over this reward's redemptions that carry it, or null. */
  amount_total: number | null;
}

export interface PendingSummary {
  /** The date (YYYY-MM-DD, in the Zap's time zone): one summary a day. */
  id: string;
  date: string;
  pending_count: number;
  /** False when the list was longer than one check reads: the figures are then "at least". */
  pending_count_complete: boolean;
  oldest_redemption_id: string | null;
  oldest_summary: string | null;
  oldest_requested_at: string | null;
  oldest_waiting_days: number | null;
  per_reward: RewardCount[];
  per_reward_text: string;
  amount_field: string;
  amount_total: number | null;
  amount_counted: number;
  text: string;
}

/** A numeric metadata value (`25`, `"25.00"`, `"$25.00"`), or undefined. */
export const amountOf = (value: unknown): number | undefined => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value
    .trim()
    .replace(/^[$€£]/, '')
    .replace(/,/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(text)) return undefined;
  return Number(text);
};

/** Sums to the cent, so 0.1 + 0.2 reads 0.3. */
const add = (a: number | null, b: number): number => Math.round(((a ?? 0) + b) * 100) / 100;

/** YYYY-MM-DD of `now` in `timeZone`, or in UTC when the zone is unknown. */
export const dateIn = (now: number, timeZone: string | undefined): string => {
  const format = (zone: string) =>
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(now);
  try {
    return format(timeZone ?? 'UTC');
  } catch {
    return format('UTC');
  }
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The summary of the pending redemptions read: how many, the oldest, the count (and amount) per
 * reward, most first, and the total of the numeric Reward Metadata field `amountField`.
 */
export const summarizePending = (
  redemptions: readonly RewardRedemption[],
  options: { complete: boolean; now: number; amountField: string; timeZone?: string },
): PendingSummary => {
  const seen = new Set<string>();
  const pending = redemptions.filter((r) => {
    if (seen.has(r.id) || !isStillPending(r)) return false;
    seen.add(r.id);
    return true;
  });
  const byReward = new Map<string, RewardCount>();
  let amountTotal: number | null = null;
  let amountCounted = 0;
  let oldest: RewardRedemption | undefined;
  for (const redemption of pending) {
    const key = redemption.reward_id ?? redemption.reward.name ?? '';
    const entry = byReward.get(key) ?? {
      reward_id: redemption.reward_id,
      reward_name: redemption.reward.name ?? `Reward ${redemption.reward_id ?? 'without an id'}`,
      count: 0,
      amount_total: null,
    };
    entry.count += 1;
    const amount = amountOf(redemption.metadata[options.amountField]);
    if (amount !== undefined) {
      entry.amount_total = add(entry.amount_total, amount);
      amountTotal = add(amountTotal, amount);
      amountCounted += 1;
    }
    byReward.set(key, entry);
    const at = requestedMs(redemption);
    if (!Number.isNaN(at) && (oldest === undefined || at < requestedMs(oldest)))
      oldest = redemption;
  }
  const perReward = [...byReward.values()].sort(
    (a, b) => b.count - a.count || a.reward_name.localeCompare(b.reward_name),
  );
  const date = dateIn(options.now, options.timeZone);
  const atLeast = options.complete ? '' : 'at least ';
  const oldestDays =
    oldest === undefined
      ? null
      : Math.floor(((options.now - requestedMs(oldest)) / 86_400_000) * 10) / 10;
  const perRewardText = perReward.map((r) => `${r.reward_name}: ${r.count}`).join('; ');
  const text = [
    `${date}: ${atLeast}${plural(pending.length, 'reward request')} pending in Influitive.`,
    oldest
      ? `${options.complete ? 'Oldest' : 'Oldest of those read'}: ${oldest.summary}, waiting ${oldestDays} days.`
      : '',
    perRewardText ? `By reward: ${perRewardText}.` : '',
    amountTotal === null ? '' : `Total ${options.amountField}: ${amountTotal}.`,
  ]
    .filter(Boolean)
    .join(' ');
  return {
    id: date,
    date,
    pending_count: pending.length,
    pending_count_complete: options.complete,
    oldest_redemption_id: oldest?.id ?? null,
    oldest_summary: oldest?.summary ?? null,
    oldest_requested_at: oldest?.requested_at ?? null,
    oldest_waiting_days: oldestDays,
    per_reward: perReward,
    per_reward_text: perRewardText,
    amount_field: options.amountField,
    amount_total: amountTotal,
    amount_counted: amountCounted,
    text,
  };
};
