import { type Bundle, isJsonObject, type ZObject } from '../shared/types';
import { callInfluitive } from './client';
import { pathId } from './ids';

export type Decision = 'fulfill' | 'refuse';

export interface DecisionResult {
  id: string;
  decision: 'fulfilled' | 'refused';
  message: string | null;
  decided_at: string;
  /** What Influitive returned: its JSON object, or `{}` for an empty body. */
  response: Record<string, unknown>;
}

const PAST_TENSE = { fulfill: 'fulfilled', refuse: 'refused' } as const;

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

  const { data } = await callInfluitive(z, bundle, {
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
        const words = detail.apiWords ? ` Influitive said: "${detail.apiWords}"` : '';
        return new z.errors.Error(
          `Influitive would not ${decision} reward redemption ${id}: it was already decided (fulfilled or refused).${words}`,
          'redemption_already_decided',
          status,
        );
      }
      return undefined;
    },
  });

  return {
    id,
    decision: PAST_TENSE[decision],
    message,
    decided_at: new Date().toISOString().replace(/Z$/, '+00:00'),
    response: isJsonObject(data) ? data : data === undefined ? {} : { body: data },
  };
};

export const decisionOutputFields = [
  { key: 'id', label: 'Redemption ID' },
  { key: 'decision', label: 'Decision' },
  { key: 'message', label: 'Message to the Advocate' },
  { key: 'decided_at', label: 'Decided At', type: 'datetime' as const },
];
