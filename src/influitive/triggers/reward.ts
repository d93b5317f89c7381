import { type Bundle, firstString, isJsonObject, type ZObject } from '../../shared/types';
import { callInfluitive } from '../client';

export interface Reward {
  id: string;
  name: string;
  [field: string]: unknown;
}

const rewardsIn = (body: unknown): unknown[] => {
  if (Array.isArray(body)) return body;
  if (!isJsonObject(body)) return [];
  return [body.rewards, body.data].find(Array.isArray) ?? [];
};

/** The hub's rewards (`GET /external/rewards`), to pick from in a dropdown. */
export const listRewards = async (z: ZObject, bundle: Bundle): Promise<Reward[]> => {
  const { data } = await callInfluitive(z, bundle, { method: 'GET', path: '/external/rewards' });
  return rewardsIn(data).flatMap((raw) => {
    if (!isJsonObject(raw)) return [];
    const id = firstString(raw, ['id', 'uuid']);
    if (id === undefined) return [];
    return [{ ...raw, id, name: firstString(raw, ['name', 'title']) ?? `Reward ${id}` }];
  });
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
    sample: {
      id: '9f1c2d4e-6b7a-4c3e-9d10-2a5b8c7e1f00',
      name: 'Amazon.com Gift Card ($25)',
      provider: 'custom',
      published: true,
    },
    outputFields: [
      { key: 'id', label: 'Reward ID', type: 'string' as const },
      { key: 'name', label: 'Reward Name', type: 'string' as const },
      { key: 'published', label: 'Published', type: 'boolean' as const },
    ],
  },
};
