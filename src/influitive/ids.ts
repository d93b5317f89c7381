import { idString, type ZObject } from '../shared/types';

/**
 * What an Influitive id can be: digits, a uuid, or a plain token of letters, digits, `-` and `_`.
 * Nothing else goes into a URL path: `..` or `.` survive encodeURIComponent and dot-segment removal
 * would then send `POST /reward_redemptions/../decision/fulfill` to another endpoint.
 */
const INFLUITIVE_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** Why a value is not an id, without echoing it (a mapped field may hold anything). */
const whyNot = (id: string): string => {
  if (id === '') return 'is empty';
  if (id.length > 100) return `is ${id.length} characters long`;
  const bad = [...id].find((c) => !/^[A-Za-z0-9_-]$/.test(c)) ?? '';
  return `contains ${JSON.stringify(bad)}`;
};

/** The id ready for a URL path, or a clear error before any request is made. */
export const pathId = (z: ZObject, value: unknown, label: string): string => {
  const id = idString(value) ?? '';
  if (INFLUITIVE_ID.test(id)) return id;
  throw new z.errors.Error(
    `${label} ${whyNot(id)}, so it cannot be an Influitive id (digits, a uuid, or letters, digits, - and _). Map the id from an Influitive trigger or search rather than typing it.`,
    'invalid_influitive_id',
    400,
  );
};
