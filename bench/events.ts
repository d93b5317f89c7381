/**
 * The hook deliveries the per-event and delivery benches send: bodies as LoudCrowd and Influitive
 * post them, wrapped in the bundle Zapier builds for a static hook (sandbox/gateway.ts hookBundle).
 */
import { randomUUID } from 'node:crypto';
import { SANDBOX_LOUDCROWD_KEY } from '../sandbox/environment';
import { hookBundle } from '../sandbox/gateway';
import { SANDBOX_ORG_ID, SANDBOX_TOKEN } from '../sandbox/influitive';
import { pendingRedemptionPage } from '../src/influitive/samples';

export const SOURCES = ['loudcrowd', 'influitive'] as const;
export type Source = (typeof SOURCES)[number];

export const HOOK_TRIGGER: Record<Source, string> = {
  loudcrowd: 'loudcrowd_reward_event',
  influitive: 'reward_redemption_requested',
};
export const hookMethod = (source: Source) => `triggers.${HOOK_TRIGGER[source]}.operation.perform`;

/** The connection, as the sandbox environment fills it in. */
const AUTH_DATA = {
  api_token: SANDBOX_TOKEN,
  org_id: SANDBOX_ORG_ID,
  loudcrowd_api_key: SANDBOX_LOUDCROWD_KEY,
};
const HOOK_URL = 'https://hooks.zapier.com/hooks/catch/1234567/abcdefg/';
const RUN_ID = randomUUID().slice(0, 8).toUpperCase();

/** A LoudCrowd reward event as LoudCrowd posts it (test/loudcrowd/fixtures/reward_event_posts.json). */
export const loudCrowdBody = (n: number, run = RUN_ID) => ({
  lcId: `RWD-${run}-${n}`,
  email: 'theo.lindqvist@nordlys-apparel.example',
  igUsername: 'theo.outdoors',
  ttUsername: 'theo.lindqvist',
  posts: [
    {
      lcid: `MED-${run}-${n}-A`,
      postedAt: '2026-09-28T12:14:09.118640',
      postType: 'REEL',
      platform: 'instagram',
    },
    {
      lcid: `MED-${run}-${n}-B`,
      postedAt: '2026-09-29T19:58:33.500000',
      postType: 'FEED',
      platform: 'tik_tok',
    },
  ],
});

/** Influitive's "Reward Redemption Requested" webhook body: the app's sample record, wrapped. */
export const influitiveBody = (n: number) => ({
  event: 'reward_redemption_requested',
  reward_redemption: {
    ...pendingRedemptionPage.reward_redemptions[0],
    id: 1_000_000 + n,
    uuid: randomUUID(),
  },
  contact: pendingRedemptionPage.contacts[0],
});

/** One delivery's bundle, as Zapier builds it for a static hook. */
export const deliveryBundle = (content: string, inputData: Record<string, unknown>) => ({
  authData: AUTH_DATA,
  inputData,
  ...hookBundle({
    method: 'POST',
    url: new URL(HOOK_URL),
    headers: { 'content-type': 'application/json', 'x-api-key': SANDBOX_LOUDCROWD_KEY },
    content,
  }),
});
