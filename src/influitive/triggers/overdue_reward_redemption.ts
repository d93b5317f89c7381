import editorSamples from '../../editor-samples.json';
import { clock, Deadline } from '../../shared/deadline';
import { DROPDOWN_BUDGET_MS, isEditorRead } from '../../shared/editor';
import type { Bundle, ZObject } from '../../shared/types';
import { POLLING_LABEL, STILL_WAITING_LABEL } from '../copy';
import { rewardFilterField } from '../fields';
import { hubMetadataOutputFields } from '../metadata-fields';
import { FIRST_PAGE, influitivePages, RunBudget } from '../pending/list';
import { readOldestPending } from '../pending/oldest';
import { type RewardRedemption, redemptionOutputFields } from '../redemption';
import {
  includeInfluitiveFulfilledField,
  keepRewardsYouFulfill,
  providerOutputFields,
  type WithProvider,
} from '../reward-providers';
import { type StillWaitingAlert, type StillWaitingOptions, stillWaiting } from '../still-waiting';

export const DEFAULT_MIN_AGE_HOURS = 24;

/** A whole number of at least 1 from an input, the default when empty, or a clear error. */
const wholeNumber = (
  z: ZObject,
  value: unknown,
  label: string,
  fallback: number | undefined,
): number | undefined => {
  if (value === undefined || value === null || String(value).trim() === '') return fallback;
  const number = Number(String(value).trim());
  if (Number.isInteger(number) && number >= 1 && number <= 10_000) return number;
  throw new z.errors.Error(
    `${label} must be a whole number from 1 to 10000, not "${String(value).slice(0, 20)}".`,
    'invalid_input',
    400,
  );
};

export const stillWaitingOptions = (z: ZObject, bundle: Bundle): StillWaitingOptions => {
  const rewardId =
    typeof bundle.inputData.reward_id === 'string' && bundle.inputData.reward_id.trim() !== ''
      ? bundle.inputData.reward_id.trim()
      : undefined;
  const remindEveryDays = wholeNumber(
    z,
    bundle.inputData.remind_every_days,
    'Remind Again Every (Days)',
    undefined,
  );
  return {
    minAgeHours:
      wholeNumber(z, bundle.inputData.min_age_hours, 'Pending for at Least (Hours)', undefined) ??
      DEFAULT_MIN_AGE_HOURS,
    ...(remindEveryDays === undefined ? {} : { remindEveryDays }),
    ...(rewardId === undefined ? {} : { rewardId }),
  };
};

/** The editor's samples: one page, since the user is waiting. */
const readFirstPage = async (z: ZObject, bundle: Bundle): Promise<RewardRedemption[]> => {
  const budget = new RunBudget(new Deadline(DROPDOWN_BUDGET_MS), 1);
  return (await influitivePages(z, bundle)(FIRST_PAGE, budget)).redemptions;
};

/** Where this Zap's previous check stopped reading a long overdue list (kept per Zap). */
const recallContinuation = async (z: ZObject): Promise<string | null> => {
  try {
    return (await z.cursor.get()) || null;
  } catch {
    return null;
  }
};

const keepContinuation = async (z: ZObject, url: string | null): Promise<void> => {
  try {
    await z.cursor.set(url ?? '');
  } catch {
    // Without the store every check reads from the oldest: the oldest are still reported.
  }
};

/** Redemptions pending longer than the chosen age, one alert each (and per reminder). */
export const listStillWaiting = async (z: ZObject, bundle: Bundle) => {
  const options = stillWaitingOptions(z, bundle);
  const now = clock().now();
  let redemptions: RewardRedemption[];
  if (isEditorRead(bundle)) {
    redemptions = await readFirstPage(z, bundle);
  } else {
    const continueAt = await recallContinuation(z);
    const read = await readOldestPending(z, bundle, {
      requestedBefore: now - options.minAgeHours * 60 * 60 * 1000,
      continueAt,
    });
    if (read.continueAt !== continueAt) await keepContinuation(z, read.continueAt);
    if (!read.complete) {
      z.console.log(
        `More redemptions have waited longer than ${options.minAgeHours} hours than one check reads; this check reported ${read.redemptions.length} of them. ${read.continueAt ? 'The next check reads on after them, and the one after starts from the oldest again.' : 'The others follow as the oldest are decided.'}`,
      );
    }
    redemptions = read.redemptions;
  }
  const { alerts, undated } = stillWaiting(redemptions, now, options);
  if (undated > 0) {
    z.console.log(
      `${undated} pending redemption${undated === 1 ? ' has' : 's have'} no request date, so how long ${undated === 1 ? 'it has' : 'they have'} waited cannot be told; run \`npm run doctor\` to see the fields the hub sends.`,
    );
  }
  return keepRewardsYouFulfill(z, bundle, alerts);
};

/** The redemption's fields, with `id` as the alert's and the redemption's id beside it. */
const alertOutputFields = [
  {
    key: 'id',
    label: 'Alert ID (Redemption ID, Then the Reminder Number)',
    type: 'string' as const,
  },
  { key: 'redemption_id', label: 'Redemption ID', type: 'string' as const },
  { key: 'waiting_hours', label: 'Hours Waiting', type: 'integer' as const },
  { key: 'waiting_days', label: 'Days Waiting', type: 'number' as const },
  {
    key: 'reminder_number',
    label: 'Reminder Number (0 for the First Alert)',
    type: 'integer' as const,
  },
  ...redemptionOutputFields.filter((field) => field.key !== 'id'),
  ...providerOutputFields,
];

/**
 * The sample redemption as this trigger outputs it, three days after it was requested (computed
 * by `stillWaiting` through `npm run samples`, scripts/editor-samples.ts).
 */
const stillWaitingSample: StillWaitingAlert<WithProvider<RewardRedemption>> =
  editorSamples.overdue_reward_redemption;

export default {
  key: 'overdue_reward_redemption',
  noun: 'Reward Redemption',
  display: {
    label: STILL_WAITING_LABEL,
    description:
      'Triggers when a reward redemption has been pending in Influitive longer than the hours you choose: each redemption still pending that long starts the Zap once (and again at each reminder, if set), so no request waits unseen.',
    directions: `Catches what the other triggers could not: a webhook sent while the Zap was off (Zapier drops those), a delivery halted or errored, a vendor order that failed after the trigger, a reward out of stock. Checks the oldest end of Influitive's pending list every few minutes, in either list order; it never halts a run, and a check that cannot reach the oldest redemptions is an error naming why. Redemptions already waiting when the Zap is turned on are recorded, not sent; reminders for them are. Alert a person (Slack, email), or run the same vendor steps as your "${POLLING_LABEL}" Zap with the same Idempotency Key, which cannot order twice, then Fulfill Reward Redemption. Redemptions waiting for approval are listed in the hub's [Items to Review](https://support.influitive.com/hc/en-us/articles/250).`,
  },
  operation: {
    type: 'polling' as const,
    inputFields: [
      {
        key: 'min_age_hours',
        label: 'Pending for at Least (Hours)',
        type: 'integer' as const,
        default: String(DEFAULT_MIN_AGE_HOURS),
        required: false,
        helpText:
          'Only redemptions still pending this many hours after they were requested start the Zap. Default 24.',
      },
      {
        key: 'remind_every_days',
        label: 'Remind Again Every (Days)',
        type: 'integer' as const,
        required: false,
        helpText:
          'Leave empty for one alert per redemption. With a number, a redemption still pending starts the Zap again every this many days, with a new Alert ID (e.g. `48213-reminder-1`) and the same Idempotency Key.',
      },
      rewardFilterField,
      includeInfluitiveFulfilledField,
    ],
    perform: listStillWaiting,
    sample: stillWaitingSample,
    outputFields: [...alertOutputFields, hubMetadataOutputFields],
  },
};
