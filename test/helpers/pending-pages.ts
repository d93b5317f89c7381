import externalRewards from '../influitive/fixtures/external_rewards.json';
import page1 from '../influitive/fixtures/reward_redemptions_page1.json';
import page2 from '../influitive/fixtures/reward_redemptions_page2.json';
import { API } from './bundle';
import nock from './nock';

/** Influitive's pending list on two pages (the fixtures), linked by links.next. */
export const nockBothPages = () =>
  nock(API)
    .get('/reward_redemptions')
    .reply(200, page1)
    .get('/reward_redemptions')
    .query({ page: '2' })
    .reply(200, page2);

/**
 * The hub's reward list (`GET /external/rewards`), which the redemption triggers read for each
 * reward's provider when a redemption does not carry it; persisted, as every run may ask.
 */
export const nockRewardProviders = () =>
  nock(API).persist().get('/external/rewards').reply(200, externalRewards);
