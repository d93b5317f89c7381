import { type Bundle, isJsonObject, type ZObject } from '../shared/types';
import { zapierErrorParts } from '../shared/zapier-errors';
import { callInfluitive } from './client';
import { pathId } from './ids';

export type Decision = 'fulfill' | 'refuse';

export interface DecisionResult {
  id: string;
  decision: 'fulfilled' | 'refused';
  message: string | null;
  decided_at: string;
  /** True when Influitive said this same decision had already been made (a replayed step). */
  already_decided: boolean;
  /** What Influitive returned: its JSON object, or `{}` for an empty body. */
  response: Record<string, unknown>;
}

const PAST_TENSE = { fulfill: 'fulfilled', refuse: 'refused' } as const;
const OTHER: Record<Decision, Decision> = { fulfill: 'refuse', refuse: 'fulfill' };
/** Words Influitive (or a client of it) uses for each decision already made. */
const DECIDED_WORDS: Record<Decision, RegExp> = {
  fulfill: /\bfulfill(?:ed)?\b/i,
  refuse: /\b(?:refused?|rejected?|declined?)\b/i,
};

/** Which decision Influitive's words say was already made, when they say. */
const decisionNamedIn = (words: string | undefined): Decision | undefined => {
  if (words === undefined) return undefined;
  const fulfilled = DECIDED_WORDS.fulfill.test(words);
  const refused = DECIDED_WORDS.refuse.test(words);
  if (fulfilled === refused) return undefined;
  return fulfilled ? 'fulfill' : 'refuse';
};

/**
 * The lock every decision on one redemption takes: Zapier runs steps with the same key one at a
 * time, so a replayed fulfill and a refuse on the same redemption never race each other.
 */
export const decisionLock = {
  key: 'influitive-decision-{{bundle.inputData.redemption_id}}',
  scope: ['auth' as const],
  timeout: 60,
};

/** Thrown through `onStatus` when Influitive says this very decision was already made. */
const ALREADY_DONE = new Error('already decided the same way');

/**
 * A decision whose answer was lost (a timeout or a dropped connection after the POST was sent)
 * may have been applied. Saying so, and that a rerun is safe, is what lets the user replay it.
 */
const mayHaveBeenApplied = (
  z: ZObject,
  error: unknown,
  decision: Decision,
  id: string,
): unknown => {
  const { message, code, status } = zapierErrorParts(error);
  if (
    !(error instanceof Error) ||
    (code !== 'influitive_timeout' && code !== 'influitive_unreachable')
  )
    return error;
  return new z.errors.Error(
    `${message} The ${decision} of reward redemption ${id} may or may not have been applied. Running this step again is safe: if it was applied, the rerun reports it as already ${PAST_TENSE[decision]}.`,
    code,
    status ?? 504,
  );
};

/**
 * Closes the loop: `POST /reward_redemptions/{id}/decision/{fulfill|refuse}`, with `{message}` only
 * when there is one. A redemption already decided or unknown fails with Influitive's own words.
 */
export const decideRedemption = async (
  z: ZObject,
  bundle: Bundle,
  decision: Decision,
): Promise<DecisionResult> => {
  const id = String(bundle.inputData.redemption_id ?? '').trim();
  if (id === '') {
    throw new z.errors.Error(
      'Choose the reward redemption to decide (Reward Redemption is empty).',
      'missing_redemption_id',
      400,
    );
  }
  const message =
    typeof bundle.inputData.message === 'string' && bundle.inputData.message.trim() !== ''
      ? bundle.inputData.message
      : null;
  if (decision === 'refuse' && message === null) {
    throw new z.errors.Error(
      'Enter a message telling the advocate why the reward was refused.',
      'missing_message',
      400,
    );
  }

  let alreadyDecided = false;
  let data: unknown;
  try {
    ({ data } = await callInfluitive(z, bundle, {
      method: 'POST',
      path: `/reward_redemptions/${pathId(z, id, 'The Reward Redemption')}/decision/${decision}`,
      body: message === null ? undefined : { message },
      allowEmpty: true,
      onStatus: (status, detail) => {
        if (status === 404) {
          return new z.errors.Error(
            `Reward redemption ${id} was not found in Influitive. Map the Redemption ID from the trigger, and check the connection is for the same hub.`,
            'redemption_not_found',
            404,
          );
        }
        if (status === 409 || status === 422) {
          const made = decisionNamedIn(detail.apiWords);
          if (made === decision) return ALREADY_DONE;
          const words = detail.apiWords ? ` Influitive said: "${detail.apiWords}"` : '';
          const what =
            made === OTHER[decision]
              ? `it was already ${PAST_TENSE[made]}, so it cannot also be ${PAST_TENSE[decision]}`
              : 'it was already decided (fulfilled or refused)';
          return new z.errors.Error(
            `Influitive would not ${decision} reward redemption ${id}: ${what}.${words}`,
            'redemption_already_decided',
            status,
          );
        }
        return undefined;
      },
    }));
  } catch (error) {
    if (error !== ALREADY_DONE) throw mayHaveBeenApplied(z, error, decision, id);
    alreadyDecided = true;
  }

  return {
    id,
    decision: PAST_TENSE[decision],
    message,
    decided_at: new Date().toISOString().replace(/Z$/, '+00:00'),
    already_decided: alreadyDecided,
    response: isJsonObject(data) ? data : data === undefined ? {} : { body: data },
  };
};

export const decisionOutputFields = [
  { key: 'id', label: 'Redemption ID', type: 'string' as const },
  { key: 'decision', label: 'Decision (Fulfilled or Refused)', type: 'string' as const },
  { key: 'message', label: 'Message to the Advocate', type: 'string' as const },
  { key: 'decided_at', label: 'Decided At', type: 'datetime' as const },
  {
    key: 'already_decided',
    label: 'Already Decided Before This Run (Nothing Changed)',
    type: 'boolean' as const,
  },
  {
    // Influitive's answer is not documented: its JSON fields as sent (`response__…`), or `{}`.
    key: 'response',
    label: "Influitive's Answer, as Sent (Often Empty)",
    type: 'string' as const,
    dict: true,
  },
];
