import { type Bundle, isJsonObject, type ZObject } from '../shared/types';
import { callInfluitive } from './client';
import {
  normalizeRedemption,
  RedemptionShapeError,
  type RewardRedemption,
  redemptionsFromPage,
} from './redemption';

/**
 * At most this many pages per run: the first page alone is one request, and ten keep a run well
 * inside both Zapier's 30 s and Influitive's 200 requests per IP in 5 minutes.
 */
export const MAX_PAGES = 10;

export interface PendingRedemptions {
  redemptions: RewardRedemption[];
  /** Requests made, one per page. */
  pages: number;
  /** True when a next page existed but MAX_PAGES was reached. */
  truncated: boolean;
}

const nextLink = (body: unknown): string | undefined => {
  if (!isJsonObject(body) || !isJsonObject(body.links)) return undefined;
  const next = body.links.next;
  return typeof next === 'string' && next.trim() !== '' ? next : undefined;
};

/**
 * The pending redemptions (`GET /reward_redemptions`), normalised, following `links.next` up to
 * MAX_PAGES or until `stopWhen` matches one. An item without an id is logged and skipped: it could
 * not be fulfilled anyway, and one bad record must not stop every other reward.
 */
export const fetchPendingRedemptions = async (
  z: ZObject,
  bundle: Bundle,
  stopWhen?: (redemption: RewardRedemption) => boolean,
): Promise<PendingRedemptions> => {
  const redemptions: RewardRedemption[] = [];
  let path: string | undefined = '/reward_redemptions';
  let pages = 0;
  while (path !== undefined && pages < MAX_PAGES) {
    const { data } = await callInfluitive(z, bundle, { method: 'GET', path });
    pages += 1;
    const page = redemptionsFromPage(data);
    const firstOfPage = redemptions.length;
    for (const raw of page.redemptions) {
      try {
        redemptions.push(
          normalizeRedemption(raw, { contacts: page.contacts, defaultStatus: 'pending' }),
        );
      } catch (error) {
        if (!(error instanceof RedemptionShapeError)) throw error;
        z.console.log(`Skipped a pending redemption Influitive listed: ${error.message}`);
      }
    }
    // Earlier pages were already checked; only this page's records can be the first match.
    if (stopWhen && redemptions.slice(firstOfPage).some(stopWhen)) {
      return { redemptions, pages, truncated: false };
    }
    path = nextLink(data);
  }
  return { redemptions, pages, truncated: path !== undefined };
};
