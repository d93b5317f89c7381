import {
  claimDelivery,
  deliveryScope,
  isTurnedOff,
  stopRepeatsField,
  stopsRepeats,
  THIRTY_DAYS_SECONDS,
} from '../../shared/dedupe';
import { haltDelivery, readHookBody, withoutRequestDump } from '../../shared/hook-request';
import { scrubSecrets, secretsOf } from '../../shared/secrets';
import type { Bundle, ZObject } from '../../shared/types';
import { STILL_WAITING_LABEL, WHAT_PICKS_IT_UP } from '../copy';
import { rewardFilterField } from '../fields';
import { withPickUpAdvice } from '../hook-advice';
import { redemptionOutputFieldsWithProvider } from '../metadata-fields';
import { pendingContext } from '../pending';
import { unknownReason, verifyPending } from '../pending/verify';
import {
  isForReward,
  normalizeRedemption,
  RedemptionShapeError,
  type RewardRedemption,
  unwrapRedemptionDelivery,
} from '../redemption';
import { haltIfInfluitiveFulfills, includeInfluitiveFulfilledField } from '../reward-providers';
import { redemptionSample } from '../samples';
import { unreadableBody } from '../unreadable-body';
import { samplePendingRedemptions } from './new_reward_redemption';

const SOURCE = 'Influitive';

/**
 * One "Reward Redemption Requested" delivery: normalised, confirmed pending through the API (unless
 * turned off) so a forged or replayed webhook cannot order a gift card, then de-duplicated for
 * this Zap.
 */
const receiveDelivery = async (z: ZObject, bundle: Bundle): Promise<RewardRedemption[]> => {
  const body = readHookBody(z, bundle, SOURCE);
  let delivered: RewardRedemption;
  try {
    const { redemption, contacts } = unwrapRedemptionDelivery(body);
    delivered = normalizeRedemption(redemption, {
      contacts,
      defaultStatus: 'pending',
      orgId: bundle.authData.org_id,
    });
  } catch (error) {
    if (!(error instanceof RedemptionShapeError)) throw error;
    throw await unreadableBody(z, bundle, body, error.message);
  }

  let redemption = delivered;
  if (!isTurnedOff(bundle.inputData.verify_with_api)) {
    const askRecord =
      bundle.inputData.record_endpoint === true || bundle.inputData.record_endpoint === 'true';
    const verdict = await verifyPending(pendingContext(z, bundle, { askRecord }), delivered);
    if (verdict.kind === 'decided') {
      throw haltDelivery(
        z,
        bundle,
        `Not pending: Influitive says reward redemption ${verdict.redemption.id} is already ${verdict.redemption.status}, so this delivery was stopped and no reward is sent for it.`,
      );
    }
    if (verdict.kind === 'absent') {
      throw haltDelivery(
        z,
        bundle,
        `Not pending: reward redemption ${delivered.id} is not in Influitive's pending list. This run read the whole list ${verdict.checks === 1 ? 'twice' : `${verdict.checks} times over ${verdict.seconds} s, in case the webhook came before the API listed it`}, and the last two reads agreed. It was already fulfilled or refused, or never requested, so this delivery was stopped and no reward is sent for it.`,
      );
    }
    if (verdict.kind === 'unknown') {
      throw new z.errors.Error(
        scrubSecrets(
          `Could not tell whether reward redemption ${delivered.id} is pending: ${unknownReason(verdict)}. The Zap did not run for it. ${WHAT_PICKS_IT_UP}`,
          secretsOf(bundle),
        ),
        'verification_incomplete',
        503,
      );
    }
    redemption = verdict.redemption;
  }

  const rewardId =
    typeof bundle.inputData.reward_id === 'string' ? bundle.inputData.reward_id : undefined;
  if (!isForReward(redemption, rewardId)) {
    throw haltDelivery(
      z,
      bundle,
      `Reward redemption ${redemption.id} is for reward ${redemption.reward.name ?? redemption.reward_id ?? 'unknown'}; this Zap only handles reward ${rewardId}.`,
    );
  }

  redemption = await haltIfInfluitiveFulfills(
    z,
    bundle,
    redemption,
    !isTurnedOff(bundle.inputData.verify_with_api),
  );

  // Claimed last, so a delivery that failed verification can still be retried.
  if (stopsRepeats(bundle)) {
    const scope = deliveryScope(bundle);
    const claim = await claimDelivery(
      z,
      scope.key(`influitive-redemption:${redemption.id}`),
      THIRTY_DAYS_SECONDS,
    );
    if (claim.outcome === 'repeat') {
      throw haltDelivery(
        z,
        bundle,
        `Repeat: reward redemption ${redemption.id} was already delivered ${scope.words}; this repeat was stopped so the reward is not sent twice.`,
      );
    }
  }
  return [redemption];
};

export const receiveRedemptionRequested = withoutRequestDump(withPickUpAdvice(receiveDelivery));

export default {
  key: 'reward_redemption_requested',
  noun: 'Reward Redemption',
  display: {
    label: 'Reward Requested (Needs Hub Webhook)',
    description:
      'Triggers when an advocate requests a reward, the moment the hub\'s "Reward Redemption Requested" webhook reaches this Zap, once Influitive confirms the redemption is still pending.',
    directions: `Copy this Zap's URL. In your AdvocateHub, open the admin Integrations settings, add a webhook for "Reward Redemption Requested" and paste the URL there. Ask support@influitive.com to enable Reward Metadata so each reward carries its vendor SKU and amount. Before the Zap runs, each delivery is checked against Influitive's pending list and against what this Zap already received. A halted run in the Zap history was stopped on purpose and sends no reward: "Not pending" (already fulfilled or refused, or never requested), "Repeat" (this Zap already had it), another reward than the one chosen, or a reward Influitive fulfills itself. Nobody is emailed about halts. A body that is not a reward redemption errors once an hour (then halts) and names its shape. Zapier drops deliveries that arrive while the Zap is off or paused, and never re-runs an errored trigger: a "${STILL_WAITING_LABEL}" Zap catches every redemption left pending, and Find Reward Redemption finds one to handle by hand.`,
  },
  operation: {
    type: 'hook' as const,
    inputFields: [
      rewardFilterField,
      {
        key: 'verify_with_api',
        label: 'Confirm With Influitive Before Triggering',
        type: 'boolean' as const,
        default: 'true',
        required: false,
        helpText:
          "Checks Influitive's pending list before the Zap runs, so a forged or replayed webhook cannot order a reward. **Confirmed**: the Zap runs with Influitive's own record. **Not pending** (Influitive says it was decided, or never lists it in about 20 s of re-checks): the run is halted, silently, because anyone can post to this URL. **Could not tell** (the list could not be read to its end within the run's 25 s): the run errors so you are emailed; the redemption is picked up by the \"Reward Request Still Waiting\" trigger while it stays pending. Costs 1–2 requests once the list is known, never more than 40 per run. Turn off only if this connection has no API token.",
      },
      {
        key: 'record_endpoint',
        label: 'Influitive Answers Single Redemptions',
        type: 'boolean' as const,
        default: 'false',
        required: false,
        helpText:
          "Turn on only if `npm run doctor` reports that your hub answers `GET /reward_redemptions/{id}` for a pending redemption: each webhook is then confirmed with that one request, Influitive's own record of it. Off, or when the hub does not answer, the pending list is read as usual.",
      },
      stopRepeatsField,
      includeInfluitiveFulfilledField,
    ],
    perform: receiveRedemptionRequested,
    performList: samplePendingRedemptions,
    sample: redemptionSample,
    outputFields: redemptionOutputFieldsWithProvider,
  },
};
