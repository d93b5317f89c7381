import { isEditorRead } from '../../shared/editor';
import type { Bundle, ZObject } from '../../shared/types';
import { redemptionOutputFieldsWithProvider } from '../metadata-fields';
import { fetchPendingRedemptions, MAX_REQUESTS_PER_RUN } from '../pending';
import { newestFirst, type RewardRedemption } from '../redemption';
import { withProviders } from '../reward-providers';
import { redemptionSample } from '../samples';

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/**
 * A pending redemption by id, member email or idempotency key (either form). This is how a vendor's
 * own "order delivered" Zap finds the redemption to fulfill later.
 */
export const findPendingRedemption = async (
  z: ZObject,
  bundle: Bundle,
): Promise<RewardRedemption[]> => {
  const id = text(bundle.inputData.redemption_id);
  const email = text(bundle.inputData.email)?.toLowerCase();
  const key = text(bundle.inputData.idempotency_key);
  if (!id && !email && !key) {
    throw new z.errors.Error(
      'Enter a redemption ID, a member email or an idempotency key to search by.',
      'missing_search_term',
      400,
    );
  }
  const matches = (r: RewardRedemption): boolean =>
    (!id || r.id === id || r.uuid === id) &&
    (!email || r.member.email?.toLowerCase() === email) &&
    (!key || r.idempotency_key === key || r.idempotency_key_alphanumeric === key);
  // Ids and keys are unique, so the listing can stop at the first match; an email may match several.
  const unique = Boolean(id || key);
  // A test in the editor reads the first page only: the user is waiting on it.
  const onePage = isEditorRead(bundle);
  const { redemptions, complete } = await fetchPendingRedemptions(z, bundle, {
    stopWhen: unique ? matches : undefined,
    maxPages: onePage ? 1 : undefined,
  });
  const found = newestFirst(redemptions.filter(matches));
  // "Nothing found" is only true of a list read to its end; otherwise say so, never an empty result.
  if (!complete && onePage && found.length === 0) {
    throw new z.errors.Error(
      `Nothing on the first page of Influitive's pending list matched. A test in the Zap editor reads only that page, to answer quickly; the live Zap reads up to ${MAX_REQUESTS_PER_RUN} pages. Test with a redemption from the trigger's test data, which comes from the same page.`,
      'test_reads_first_page',
      404,
    );
  }
  if (!complete && !onePage && (found.length === 0 || !unique)) {
    throw new z.errors.Error(
      `Influitive lists more pending redemptions than one step may read (${MAX_REQUESTS_PER_RUN} pages, to stay inside its firewall limit), and ${found.length === 0 ? 'none of those read matched' : 'more may match further on'}. Search by redemption ID or idempotency key, or fulfill the oldest pending redemptions in the hub first.`,
      'pending_list_too_long',
      503,
    );
  }
  return withProviders(z, bundle, found);
};

export default {
  key: 'find_reward_redemption',
  noun: 'Reward Redemption',
  display: {
    label: 'Find Reward Redemption',
    description:
      'Finds a pending reward redemption by ID, member email or the idempotency key sent to your reward vendor.',
  },
  operation: {
    inputFields: [
      {
        key: 'redemption_id',
        label: 'Redemption ID',
        required: false,
        helpText: 'The Influitive redemption ID.',
      },
      {
        key: 'email',
        label: 'Member Email',
        required: false,
        helpText: "The advocate's email; returns their pending redemptions, newest first.",
      },
      {
        key: 'idempotency_key',
        label: 'Idempotency Key',
        required: false,
        helpText:
          "The key you sent your reward vendor (Tremendous `external_id`, Tango Card `externalRefID`). Map it from the vendor's delivered event to close the loop.",
      },
    ],
    perform: findPendingRedemption,
    sample: redemptionSample,
    outputFields: redemptionOutputFieldsWithProvider,
  },
};
