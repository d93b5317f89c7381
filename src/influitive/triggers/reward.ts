import { readDropdownPage } from '../../shared/editor';
import { type Bundle, firstString, isJsonObject, type ZObject } from '../../shared/types';
import { callInfluitive, requestTimeoutMs } from '../client';
import { nextLink } from '../pending/list';

export interface Reward {
  id: string;
  name: string;
  [field: string]: unknown;
}

/** A reward as the Reward dropdown offers it. */
export interface RewardChoice extends Reward {
  /** What the dropdown shows: the name, marked when the reward is not published. */
  label: string;
}

const REWARDS = '/external/rewards';

/** The rewards in a `GET /external/rewards` answer: a bare list, or under `rewards` or `data`. */
export const rewardsIn = (body: unknown): unknown[] => {
  if (Array.isArray(body)) return body;
  if (!isJsonObject(body)) return [];
  return [body.rewards, body.data].find(Array.isArray) ?? [];
};

/** Only an explicit `published: false` hides a reward from advocates; unknown counts as published. */
const isUnpublished = (raw: Record<string, unknown>): boolean =>
  raw.published === false || raw.published === 'false';

const toReward = (raw: unknown): RewardChoice[] => {
  if (!isJsonObject(raw)) return [];
  const id = firstString(raw, ['id', 'uuid']);
  if (id === undefined) return [];
  const name = firstString(raw, ['name', 'title']) ?? `Reward ${id}`;
  return [{ ...raw, id, name, label: isUnpublished(raw) ? `${name} (unpublished)` : name }];
};

/**
 * The hub's rewards (`GET /external/rewards`) for the Reward dropdowns: published ones first, the
 * others marked, since a redemption made before a reward was unpublished may still be pending.
 * "Load more" follows the API's `links.next`, one page per call; a list without paging is one page.
 */
export const listRewards = async (z: ZObject, bundle: Bundle): Promise<RewardChoice[]> => {
  const rewards = await readDropdownPage(z, bundle, REWARDS, async (path, deadline) => {
    const { data } = await callInfluitive(z, bundle, {
      method: 'GET',
      path,
      timeoutMs: deadline.timeoutFor(requestTimeoutMs()),
    });
    return { items: rewardsIn(data).flatMap(toReward), next: nextLink(data) };
  });
  return [...rewards.filter((reward) => !isUnpublished(reward)), ...rewards.filter(isUnpublished)];
};

export default {
  key: 'reward',
  noun: 'Reward',
  display: {
    label: 'Reward',
    description: 'Triggers when a reward is added to the hub. Used to fill the Reward dropdowns.',
    hidden: true,
  },
  operation: {
    perform: listRewards,
    canPaginate: true,
    sample: {
      id: '9f1c2d4e-6b7a-4c3e-9d10-2a5b8c7e1f00',
      name: 'Amazon.com Gift Card ($25)',
      label: 'Amazon.com Gift Card ($25)',
      provider: 'custom',
      published: true,
    },
    outputFields: [
      { key: 'id', label: 'Reward ID', type: 'string' as const },
      { key: 'name', label: 'Reward Name', type: 'string' as const },
      { key: 'label', label: 'Reward Name as Listed', type: 'string' as const },
      { key: 'published', label: 'Published', type: 'boolean' as const },
    ],
  },
};
