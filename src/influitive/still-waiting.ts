/**
 * Which pending redemptions have waited too long, as a pure function over plain data: the
 * "Reward Request Still Waiting" trigger reads the list, this decides what fires.
 */
import { isStillPending } from './pending/list';
import { isForReward, type RewardRedemption, requestedMs } from './redemption';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export interface StillWaitingOptions {
  /** Fire once a redemption has been pending this long. */
  minAgeHours: number;
  /** Fire again every this many days while it stays pending (a new alert id each time). */
  remindEveryDays?: number;
  /** Only redemptions of this reward (id or uuid). */
  rewardId?: string;
}

/** `id` is the alert's: the redemption's id, then `-reminder-<n>` for the n-th reminder. */
export type StillWaitingAlert<T extends RewardRedemption = RewardRedemption> = T & {
  redemption_id: string;
  /** Whole hours since it was requested. */
  waiting_hours: number;
  /** Days since it was requested, to one decimal. */
  waiting_days: number;
  /** 0 for the first alert, then 1, 2, … */
  reminder_number: number;
};

/**
 * One alert per redemption still pending (and of the chosen reward) for at least `minAgeHours` at
 * `now`, or the latest reminder due for it; undated redemptions are counted apart, since how long
 * they waited cannot be told. Alerts are newest first by the time they fell due. The idempotency
 * keys stay the redemption's own, so a vendor step run for a reminder cannot order twice.
 */
export const stillWaiting = <T extends RewardRedemption>(
  redemptions: readonly T[],
  now: number,
  options: StillWaitingOptions,
): { alerts: StillWaitingAlert<T>[]; undated: number } => {
  const minAgeMs = options.minAgeHours * HOUR_MS;
  const remindMs = (options.remindEveryDays ?? 0) * DAY_MS;
  const seen = new Set<string>();
  let undated = 0;
  const due: { alert: StillWaitingAlert<T>; dueAt: number }[] = [];
  for (const redemption of redemptions) {
    if (seen.has(redemption.id)) continue;
    seen.add(redemption.id);
    if (!isStillPending(redemption) || !isForReward(redemption, options.rewardId)) continue;
    const at = requestedMs(redemption);
    if (Number.isNaN(at)) {
      undated += 1;
      continue;
    }
    const age = now - at;
    if (age < minAgeMs) continue;
    const reminder = remindMs > 0 ? Math.floor((age - minAgeMs) / remindMs) : 0;
    due.push({
      dueAt: at + minAgeMs + reminder * remindMs,
      alert: {
        ...redemption,
        id: reminder === 0 ? redemption.id : `${redemption.id}-reminder-${reminder}`,
        redemption_id: redemption.id,
        waiting_hours: Math.floor(age / HOUR_MS),
        waiting_days: Math.floor((age / DAY_MS) * 10) / 10,
        reminder_number: reminder,
      },
    });
  }
  due.sort((a, b) => b.dueAt - a.dueAt);
  return { alerts: due.map(({ alert }) => alert), undated };
};
