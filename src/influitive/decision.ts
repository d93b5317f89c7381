import { claimKey, releaseClaim } from '../shared/cache';
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
  /** What Influitive returned: its JSON object, `{body}` for any other JSON, or `{}` for an empty body. */
  response: Record<string, unknown>;
}

const PAST_TENSE = { fulfill: 'fulfilled', refuse: 'refused' } as const;
const OTHER: Record<Decision, Decision> = { fulfill: 'refuse', refuse: 'fulfill' };
/**
 * Influitive's words for a decision already made ("has already been fulfilled"). Words that only
 * name the verb ("Only pending redemptions can be fulfilled", "could not be fulfilled: out of
 * stock") say nothing about what was decided, so they never count.
 */
const ALREADY_MADE: Record<Decision, RegExp> = {
  fulfill: /\balready\s+(?:been\s+)?fulfilled\b/i,
  refuse: /\balready\s+(?:been\s+)?(?:refused|rejected|declined)\b/i,
};
const NEGATED = /\b(?:not|never|cannot|can't|couldn't|isn't|wasn't|hasn't)\b/i;
/** Words that say the redemption is no longer waiting for a decision, without saying which. */
const NOT_PENDING =
  /\bonly pending\b|\b(?:no longer|not) pending\b|\balready\s+(?:been\s+)?(?:decided|fulfilled|refused|rejected|declined)\b/i;

/** Which decision Influitive's words say was already made, when they say so unambiguously. */
export const decisionAlreadyMadeIn = (words: string | undefined): Decision | undefined => {
  if (words === undefined || NEGATED.test(words)) return undefined;
  const fulfilled = ALREADY_MADE.fulfill.test(words);
  const refused = ALREADY_MADE.refuse.test(words);
  if (fulfilled === refused) return undefined;
  return fulfilled ? 'fulfill' : 'refuse';
};

/** Why Influitive would not make the decision, and whether the redemption is still pending. */
const refusedDecision = (
  z: ZObject,
  decision: Decision,
  id: string,
  status: number,
  words: string | undefined,
): Error => {
  const made = decisionAlreadyMadeIn(words);
  const said = words ? ` Influitive said: "${words}".` : ' Influitive gave no reason.';
  if (made === OTHER[decision]) {
    return new z.errors.Error(
      `Influitive would not ${decision} reward redemption ${id} (${status}): it was already ${PAST_TENSE[made]}, so it is no longer pending and cannot also be ${PAST_TENSE[decision]}.${said}`,
      'redemption_already_decided',
      status,
    );
  }
  const pending =
    words === undefined
      ? 'Whether it is still pending is not known: check it in the hub (Items to Review) before running this step again.'
      : NOT_PENDING.test(words)
        ? 'By its words the redemption is no longer pending, but they do not say how it was decided: check it in the hub before doing anything else for it.'
        : 'Its words do not say it was decided, so it may still be pending: check it in the hub (Items to Review), fix what Influitive names, then run this step again.';
  return new z.errors.Error(
    `Influitive would not ${decision} reward redemption ${id} (${status}).${said} ${pending}`,
    'decision_not_made',
    status,
  );
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

/** Failures after the POST reached Influitive: the decision may have been applied anyway. */
const ANSWER_LOST = new Set([
  'influitive_timeout',
  'influitive_unreachable',
  'influitive_server_error',
  'influitive_not_json',
  'influitive_too_deep',
]);

/**
 * A decision whose answer was lost (a timeout, a dropped connection or a 5xx after the POST was
 * sent) may have been applied. Saying so, and that a rerun is safe, is what lets the user rerun it.
 */
const mayHaveBeenApplied = (
  z: ZObject,
  error: unknown,
  decision: Decision,
  id: string,
): unknown => {
  const { message, code, status } = zapierErrorParts(error);
  if (!(error instanceof Error) || code === undefined || !ANSWER_LOST.has(code)) return error;
  return new z.errors.Error(
    `${message} The ${decision} of reward redemption ${id} may have been applied; running the step again is safe: if it was applied, the rerun reports it as already ${PAST_TENSE[decision]}.`,
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

  const path = `/reward_redemptions/${pathId(z, id, 'The Reward Redemption')}/decision/${decision}`;

  // Zapier's lock key holds the id as typed, so " 48213" and "48213" would not wait for each
  // other; the app also locks the trimmed id while it decides (best effort: the cache may be down).
  const lock = await claimKey(z, `influitive-decision:${id}`, decisionLock.timeout);
  if (lock.outcome === 'repeat') {
    throw new z.errors.Error(
      `Another step is deciding reward redemption ${id} right now, so nothing was sent to Influitive. Run this step again in a minute; that is safe: if the other step ${PAST_TENSE[decision]} it, the rerun reports it as already ${PAST_TENSE[decision]}.`,
      'decision_in_progress',
      409,
    );
  }

  let alreadyDecided = false;
  let data: unknown;
  try {
    ({ data } = await callInfluitive(z, bundle, {
      method: 'POST',
      path,
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
          if (decisionAlreadyMadeIn(detail.apiWords) === decision) return ALREADY_DONE;
          return refusedDecision(z, decision, id, status, detail.apiWords);
        }
        return undefined;
      },
    }));
  } catch (error) {
    if (error !== ALREADY_DONE) throw mayHaveBeenApplied(z, error, decision, id);
    alreadyDecided = true;
  } finally {
    await releaseClaim(z, lock);
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
    // Influitive's answer is not documented: an object of its JSON fields as sent (`response__…`),
    // or `{}`. No field type names an object, so none is declared; `dict` says it holds keys.
    key: 'response',
    label: "Influitive's Answer, as Sent (Often Empty)",
    dict: true,
  },
];
