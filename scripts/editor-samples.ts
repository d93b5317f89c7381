/**
 * The editor's samples, computed from the documented payloads by the app's own normalisers.
 * `npm run samples` writes them to src/editor-samples.json, which the app imports as plain data,
 * so loading the app runs no normaliser, summary or `Intl` set-up at import time (cold start);
 * test/editor-samples.test.ts fails when the committed file and this computation differ.
 */

import { summarizePending } from '../src/influitive/pending-summary';
import { normalizeRedemption } from '../src/influitive/redemption';
import { withProvider } from '../src/influitive/reward-providers';
import { pendingRedemptionPage, SAMPLE_ORG_ID } from '../src/influitive/samples';
import { stillWaiting } from '../src/influitive/still-waiting';
import { DEFAULT_MIN_AGE_HOURS } from '../src/influitive/triggers/overdue_reward_redemption';
import { loudCrowdSamplePayload, normalizeLoudCrowdEvent } from '../src/loudcrowd/event';

export const computeEditorSamples = () => {
  const redemption = withProvider(
    normalizeRedemption(pendingRedemptionPage.reward_redemptions[0], {
      contacts: pendingRedemptionPage.contacts,
      defaultStatus: 'pending',
      orgId: SAMPLE_ORG_ID,
    }),
    {},
  );
  const [overdue] = stillWaiting([redemption], Date.parse('2026-11-23T12:14:03-05:00'), {
    minAgeHours: DEFAULT_MIN_AGE_HOURS,
  }).alerts;
  const summary = summarizePending(
    [
      redemption,
      {
        ...redemption,
        id: '48227',
        requested_at: '2026-11-21T11:47:29-05:00',
        reward_id: '742',
        reward: { id: '742', name: 'Brightline Hoodie (Unisex)' },
        metadata: {},
        summary:
          'Brightline Hoodie (Unisex) for Diego Alvarez <diego.alvarez@contoso-retail.example>',
      },
    ],
    {
      complete: true,
      now: Date.parse('2026-11-23T08:00:00-05:00'),
      amountField: 'amount',
      timeZone: 'America/Toronto',
    },
  );
  return {
    redemption,
    overdue_reward_redemption: overdue,
    pending_rewards_summary: summary,
    loudcrowd_reward_event: normalizeLoudCrowdEvent(loudCrowdSamplePayload),
  };
};
