import { Deadline } from '../../shared/deadline';
import {
  claimDelivery,
  type DeliveryScope,
  deliveryScope,
  stopRepeatsField,
  stopsRepeats,
  THIRTY_DAYS_SECONDS,
} from '../../shared/dedupe';
import { isEditorRead } from '../../shared/editor';
import { haltDelivery as halt, readHookBody, withoutRequestDump } from '../../shared/hook-request';
import { excerpt, scrubSecrets, secretsOf } from '../../shared/secrets';
import type { Bundle, ZObject } from '../../shared/types';
import {
  type LoudCrowdDelivery,
  LoudCrowdEventShapeError,
  type LoudCrowdRewardEvent,
  loudCrowdEventOutputFields,
  loudCrowdEventSample,
  loudCrowdEventsFromBody,
  loudCrowdSamplePayload,
  normalizeLoudCrowdEvent,
} from '../event';
import { verifyLoudCrowdKey } from '../verify-key';

const SOURCE = 'LoudCrowd';
const URL_HINT = "Check that this Zap's URL is the API Url of LoudCrowd's Webhook integration.";
const MAX_REASONS = 5;

/** Up to five reasons in one line, so a large bad batch still gives a readable halt message. */
const listed = (reasons: readonly string[]): string => {
  const more = reasons.length - MAX_REASONS;
  return reasons.slice(0, MAX_REASONS).join('; ') + (more > 0 ? `; and ${more} more` : '');
};

/** The delivery's events; halts when none of them has an lcId (nothing to run the Zap for). */
const readEvents = (z: ZObject, bundle: Bundle): LoudCrowdRewardEvent[] => {
  let delivery: LoudCrowdDelivery;
  try {
    delivery = loudCrowdEventsFromBody(readHookBody(z, bundle, SOURCE));
  } catch (error) {
    if (!(error instanceof LoudCrowdEventShapeError)) throw error;
    throw halt(z, bundle, `${error.message} ${URL_HINT}`);
  }
  const { events, rejected } = delivery;
  if (events.length === 0) {
    throw halt(
      z,
      bundle,
      `The delivery holds no LoudCrowd event that can be processed: ${listed(rejected)}. ${URL_HINT}`,
    );
  }
  // The valid events of a mixed batch still reward their ambassadors; the rest are logged.
  if (rejected.length > 0) {
    // The reasons quote sender-chosen field names, which may hold a secret.
    z.console.log(
      scrubSecrets(`Skipped LoudCrowd events: ${listed(rejected)}.`, secretsOf(bundle)),
    );
  }
  return events;
};

/** The first event of each lcId in the delivery: a batch that repeats an event rewards it once. */
const firstOfEachLcId = (events: readonly LoudCrowdRewardEvent[]): LoudCrowdRewardEvent[] => {
  const seen = new Set<string>();
  return events.filter((event) => {
    if (seen.has(event.lcId)) return false;
    seen.add(event.lcId);
    return true;
  });
};

/** Claims asked of Zapier's cache at once: a long list is claimed in rounds of this many. */
const CLAIMS_AT_ONCE = 25;
/** Claiming stops here, leaving time for the answer within Zapier's 30 s. */
const CLAIM_BUDGET_MS = 20_000;

/**
 * The events not delivered to this Zap in the last 30 days, best effort through Zapier's cache.
 * Events left unclaimed when the time runs out pass, as when the cache is down: the vendor
 * idempotency key remains the guarantee.
 */
const undeliveredEvents = async (
  z: ZObject,
  scope: DeliveryScope,
  events: readonly LoudCrowdRewardEvent[],
): Promise<LoudCrowdRewardEvent[]> => {
  const deadline = new Deadline(CLAIM_BUDGET_MS);
  const fresh: LoudCrowdRewardEvent[] = [];
  for (let start = 0; start < events.length; start += CLAIMS_AT_ONCE) {
    const round = events.slice(start, start + CLAIMS_AT_ONCE);
    if (deadline.spent()) {
      z.console.log(
        `Claimed ${start} of ${events.length} LoudCrowd events before the time ran out; the other ${events.length - start} pass unchecked for repeats.`,
      );
      return [...fresh, ...events.slice(start)];
    }
    const claims = await Promise.all(
      round.map((event) =>
        claimDelivery(z, scope.key(`loudcrowd-reward:${event.lcId}`), THIRTY_DAYS_SECONDS),
      ),
    );
    fresh.push(...round.filter((_, index) => claims[index]?.outcome !== 'repeat'));
  }
  return fresh;
};

/** The halt for a delivery whose every event already reached this Zap. */
const alreadyDelivered = (
  z: ZObject,
  bundle: Bundle,
  scope: DeliveryScope,
  events: readonly LoudCrowdRewardEvent[],
) => {
  // Scrubbed before shortening, so a secret cut in half by the excerpt cannot slip through.
  const ids = events.map((event) => excerpt(event.lcId, secretsOf(bundle), 60)).join(', ');
  const what =
    events.length === 1
      ? `LoudCrowd reward event ${ids} was`
      : `All LoudCrowd reward events in this delivery (${ids}) were`;
  return halt(
    z,
    bundle,
    `Repeat: ${what} already delivered ${scope.words} in the last 30 days; this repeat was stopped so no reward is sent twice.`,
  );
};

/**
 * One LoudCrowd webhook delivery: the API key checked, each event normalised, and events already
 * delivered dropped; halted with the reason when nothing is left to run the Zap for.
 */
export const receiveLoudCrowdRewardEvents = withoutRequestDump(
  async (z: ZObject, bundle: Bundle): Promise<LoudCrowdRewardEvent[]> => {
    await verifyLoudCrowdKey(z, bundle);
    const unique = firstOfEachLcId(readEvents(z, bundle));
    // A test from the Zap editor (LoudCrowd's Test button while samples load) claims nothing, so
    // pressing Test again, or the first live delivery of the same event, still runs.
    if (!stopsRepeats(bundle) || isEditorRead(bundle)) return unique;
    const scope = deliveryScope(bundle);
    const fresh = await undeliveredEvents(z, scope, unique);
    if (fresh.length === 0) throw alreadyDelivered(z, bundle, scope, unique);
    return fresh;
  },
);

/** The editor's sample: the documented payload through the same normaliser as every delivery. */
export const listLoudCrowdSamples = async (): Promise<LoudCrowdRewardEvent[]> => [
  normalizeLoudCrowdEvent(loudCrowdSamplePayload),
];

export default {
  key: 'loudcrowd_reward_event',
  noun: 'Reward Event',
  display: {
    label: 'New LoudCrowd Reward Event',
    description:
      'Triggers when LoudCrowd sends a reward event for an ambassador, such as posting thresholds met, a storefront sale or a program signup.',
    directions:
      "Copy this Zap's URL. In LoudCrowd, go to Integrations → Outbound → Add Integration → Webhook. Set **API Url** to this Zap's URL and **API Key** to the LoudCrowd API Key of this Zap's connection, then press **Test**. Before the Zap runs, each delivery's API Key is checked and each event already received by this Zap is dropped. A halted run in the Zap history was stopped on purpose and sends no reward: a wrong API Key, a body that holds no LoudCrowd event, or \"Repeat\" (this Zap already had the event). Nobody is emailed about halts. A delivery with no API Key at all is an error the first time in any hour, naming the headers it carried, so you hear of it; the rest that hour halt. A connection without a LoudCrowd API Key makes every delivery an error.",
  },
  operation: {
    type: 'hook' as const,
    inputFields: [stopRepeatsField],
    perform: receiveLoudCrowdRewardEvents,
    performList: listLoudCrowdSamples,
    sample: loudCrowdEventSample,
    outputFields: loudCrowdEventOutputFields,
  },
};
