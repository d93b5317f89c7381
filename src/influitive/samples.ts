import editorSamples from '../editor-samples.json';
import type { RewardRedemption } from './redemption';
import type { WithProvider } from './reward-providers';

/** The org ID of the hub the samples come from; it shapes the sample's idempotency keys. */
export const SAMPLE_ORG_ID = '7b3e9f1a-5c2d-4e8b-a6f0-1d3c5e7a9b2f';

/**
 * A pending redemption as `GET /reward_redemptions` lists it, with Reward Metadata enabled and the
 * member side-loaded in `contacts`. The static samples are this record through the one normaliser.
 */
export const pendingRedemptionPage = {
  reward_redemptions: [
    {
      id: 48213,
      uuid: '6f0e9c1a-3b2d-4e5f-8a7b-1c2d3e4f5a6b',
      reward_id: 731,
      reward: { id: 731, name: 'Amazon.com Gift Card ($25)', points: 2500, provider: 'manual' },
      contact_id: 90211,
      points: 2500,
      created_at: '2026-11-20T09:14:03-05:00',
      metadata: { vendor_product_id: 'AMZN-US-25', amount: '25.00', currency: 'USD' },
    },
  ],
  contacts: [
    {
      id: 90211,
      uuid: 'c4b3a291-8f7e-4d6c-b5a4-93e2f1d0c9b8',
      name: 'Maya Patel',
      first_name: 'Maya',
      last_name: 'Patel',
      email: 'maya.patel@northwind-analytics.example',
      company: 'Northwind Analytics',
      title: 'Data Engineer',
    },
  ],
  links: { self: 'https://api.influitive.com/reward_redemptions', next: null },
};

/**
 * With its reward's provider, as the redemption triggers output it (the search ignores those):
 * `pendingRedemptionPage`'s record through `normalizeRedemption` and `withProvider`, computed by
 * `npm run samples` (scripts/editor-samples.ts) so that loading the app runs no normaliser.
 */
export const redemptionSample: WithProvider<RewardRedemption> = editorSamples.redemption;
