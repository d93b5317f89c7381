/**
 * Rewards Influitive fulfills itself. A reward's Fulfillment is Manual or Tango Card; a Tango Card
 * reward is ordered by Influitive once approved, so a Zap that also orders it pays twice. Each
 * redemption carries its reward's `provider` and whether Influitive fulfills it, and the redemption
 * triggers leave those out unless the Zap asks for them.
 */
import { cacheGet, cacheSet } from '../shared/cache';
import { clock, Deadline } from '../shared/deadline';
import { isTurnedOff } from '../shared/dedupe';
import { haltDelivery } from '../shared/hook-request';
import { scrubSecrets, secretsOf } from '../shared/secrets';
import { type Bundle, idString, isJsonObject, type ZObject } from '../shared/types';
import { zapierErrorMessage } from '../shared/zapier-errors';
import { callInfluitive, requestTimeoutMs } from './client';
import { WHAT_PICKS_IT_UP } from './copy';
import { nextLink } from './pending/list';
import type { RewardRedemption } from './redemption';
import { rewardsIn } from './triggers/reward';

/** A provider list read this long ago is read again: the limit on how stale it can be. */
export const PROVIDER_CACHE_SECONDS = 5 * 60;
export const PROVIDER_CACHE_KEY = 'influitive-reward-providers-v1';
/** Pages of `GET /external/rewards` read for the list (a hub has tens of rewards, not thousands). */
export const MAX_REWARD_PAGES = 5;
/** Providers that mean "your team sends it": anything else is fulfilled by Influitive. */
const YOURS = new Set(['', 'manual', 'custom']);

/** Reward id or uuid → its provider (null when the reward has none). */
export type RewardProviders = Record<string, string | null>;

export type WithProvider<T extends RewardRedemption = RewardRedemption> = T & {
  reward_provider: string | null;
  fulfilled_by_influitive: boolean;
};

/** Provider absent, empty, `manual` or `custom` is yours; any other (e.g. `tango_card`) is Influitive's. */
export const isFulfilledByInfluitive = (provider: string | null | undefined): boolean =>
  !YOURS.has((provider ?? '').trim().toLowerCase());

const providerText = (value: unknown): string | null =>
  typeof value === 'string' ? value.trim() : null;

/** The provider the redemption's own record carries (`reward.provider` or `reward_provider`). */
const carriedProvider = (redemption: RewardRedemption): string | null | undefined => {
  const own = redemption.reward.provider ?? redemption.reward_provider;
  return own === undefined ? undefined : providerText(own);
};

/** The provider of a redemption's reward: its own record's, else the hub's reward list. */
export const providerOf = (
  redemption: RewardRedemption,
  providers: RewardProviders,
): string | null => {
  const carried = carriedProvider(redemption);
  if (carried !== undefined) return carried;
  const ids = [redemption.reward_id, redemption.reward.id, idString(redemption.reward.uuid)];
  const known = ids.find((id) => id !== null && id !== undefined && Object.hasOwn(providers, id));
  return known === undefined || known === null ? null : (providers[known] ?? null);
};

export const withProvider = <T extends RewardRedemption>(
  redemption: T,
  providers: RewardProviders,
): WithProvider<T> => {
  const provider = providerOf(redemption, providers);
  return {
    ...redemption,
    reward_provider: provider,
    fulfilled_by_influitive: isFulfilledByInfluitive(provider),
  };
};

/** Providers by every id and uuid the list gives, from up to MAX_REWARD_PAGES pages. */
const fetchProviders = async (z: ZObject, bundle: Bundle): Promise<RewardProviders> => {
  const deadline = new Deadline(10_000);
  const providers: RewardProviders = {};
  let path: string | null = '/external/rewards';
  for (let page = 0; path !== null && page < MAX_REWARD_PAGES; page += 1) {
    const { data } = await callInfluitive(z, bundle, {
      method: 'GET',
      path,
      timeoutMs: deadline.timeoutFor(requestTimeoutMs()),
    });
    for (const raw of rewardsIn(data)) {
      if (!isJsonObject(raw)) continue;
      for (const id of [idString(raw.id), idString(raw.uuid)]) {
        if (id !== undefined) providers[id] = providerText(raw.provider);
      }
    }
    path = nextLink(data);
  }
  return providers;
};

interface StoredProviders {
  read_at: number;
  providers: RewardProviders;
}

const isStored = (value: unknown): value is StoredProviders =>
  isJsonObject(value) && typeof value.read_at === 'number' && isJsonObject(value.providers);

/**
 * The hub's reward providers, read in this run or from Zapier's cache when that copy is younger
 * than PROVIDER_CACHE_SECONDS by the app's clock (never one from the future).
 */
export const readRewardProviders = async (z: ZObject, bundle: Bundle): Promise<RewardProviders> => {
  try {
    const stored = await cacheGet(z, PROVIDER_CACHE_KEY);
    const age = isStored(stored) ? clock().now() - stored.read_at : Number.NaN;
    if (isStored(stored) && age >= 0 && age < PROVIDER_CACHE_SECONDS * 1000) {
      return stored.providers;
    }
  } catch {
    // Without the cache the list is read in this run.
  }
  const providers = await fetchProviders(z, bundle);
  try {
    const stored: StoredProviders = { read_at: clock().now(), providers };
    await cacheSet(z, PROVIDER_CACHE_KEY, stored, PROVIDER_CACHE_SECONDS);
  } catch {
    // The next run reads the list again.
  }
  return providers;
};

/** Reads the reward list only when a redemption does not carry its own provider. */
const providersFor = async (
  z: ZObject,
  bundle: Bundle,
  redemptions: readonly RewardRedemption[],
): Promise<RewardProviders> =>
  redemptions.some((r) => carriedProvider(r) === undefined) ? readRewardProviders(z, bundle) : {};

export const includeInfluitiveFulfilledField = {
  key: 'include_influitive_fulfilled',
  label: 'Include Rewards Influitive Fulfills Itself',
  type: 'boolean' as const,
  default: 'false',
  required: false,
  helpText:
    'A reward whose Fulfillment is not Manual (e.g. Tango Card) is sent by Influitive itself once the redemption is approved, so by default this trigger leaves it out: a Zap that also orders it would pay twice. Turn on for a Zap that only notifies or logs. See [Creating rewards](https://support.influitive.com/hc/en-us/articles/50066). Each redemption carries **Reward Provider** and **Fulfilled by Influitive**.',
};

const includesInfluitiveFulfilled = (bundle: Pick<Bundle, 'inputData'>): boolean => {
  const value = bundle.inputData?.include_influitive_fulfilled;
  return value !== undefined && value !== null && value !== '' && !isTurnedOff(value);
};

/** Every redemption with its reward's provider (for searches: nothing is left out). */
export const withProviders = async <T extends RewardRedemption>(
  z: ZObject,
  bundle: Bundle,
  redemptions: readonly T[],
): Promise<WithProvider<T>[]> => {
  if (redemptions.length === 0) return [];
  const providers = await providersFor(z, bundle, redemptions);
  return redemptions.map((r) => withProvider(r, providers));
};

/** For polls: every redemption with its provider, without Influitive's own unless the Zap asks. */
export const keepRewardsYouFulfill = async <T extends RewardRedemption>(
  z: ZObject,
  bundle: Bundle,
  redemptions: readonly T[],
): Promise<WithProvider<T>[]> => {
  const annotated = await withProviders(z, bundle, redemptions);
  return includesInfluitiveFulfilled(bundle)
    ? annotated
    : annotated.filter((r) => !r.fulfilled_by_influitive);
};

/**
 * For the hook: the redemption with its provider, or a halt naming the reward and its provider.
 * With `readList` false (verification turned off, maybe no API token) only what the delivery
 * carries is used. A reward list that cannot be read is an error, never a guess.
 */
export const haltIfInfluitiveFulfills = async (
  z: ZObject,
  bundle: Bundle,
  redemption: RewardRedemption,
  readList: boolean,
): Promise<WithProvider> => {
  let providers: RewardProviders = {};
  if (readList && carriedProvider(redemption) === undefined) {
    try {
      providers = await readRewardProviders(z, bundle);
    } catch (error) {
      if (error instanceof z.errors.ThrottledError || error instanceof z.errors.ExpiredAuthError) {
        throw error;
      }
      throw new z.errors.Error(
        scrubSecrets(
          `Could not read the hub's rewards (GET /external/rewards) to tell whether Influitive fulfills reward ${redemption.reward.name ?? redemption.reward_id ?? 'unknown'} itself, so the Zap did not run for reward redemption ${redemption.id}: ${zapierErrorMessage(error)} ${WHAT_PICKS_IT_UP}`,
          secretsOf(bundle),
        ),
        'reward_providers_unreadable',
        503,
      );
    }
  }
  const annotated = withProvider(redemption, providers);
  if (annotated.fulfilled_by_influitive && !includesInfluitiveFulfilled(bundle)) {
    throw haltDelivery(
      z,
      bundle,
      `Fulfilled by Influitive: reward ${redemption.reward.name ?? ''} (${redemption.reward_id ?? redemption.reward.id ?? 'no id'}) has the fulfillment provider "${annotated.reward_provider}", so Influitive sends it itself once redemption ${redemption.id} is approved. This Zap skipped it so the reward is not paid twice; turn on "Include Rewards Influitive Fulfills Itself" to run the Zap for such rewards.`,
    );
  }
  return annotated;
};

export const providerOutputFields = [
  { key: 'reward_provider', label: 'Reward Provider', type: 'string' as const },
  { key: 'fulfilled_by_influitive', label: 'Fulfilled by Influitive', type: 'boolean' as const },
];
