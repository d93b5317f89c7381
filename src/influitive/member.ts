import * as zm from 'zod/mini';
import { firstString, idString, isJsonObject, type JsonObject } from '../shared/types';

const nullableString = zm.nullable(zm.string());

/** An Influitive member (contact) as every trigger, search and sample outputs it. */
export const memberSchema = zm.looseObject({
  id: nullableString,
  email: nullableString,
  first_name: nullableString,
  last_name: nullableString,
  name: nullableString,
});
export type Member = zm.infer<typeof memberSchema>;

/** A member with the five known fields filled where the source allows; every other field kept. */
export const normalizeMember = (raw: unknown): Member => {
  const source: JsonObject = isJsonObject(raw) ? raw : {};
  const first = firstString(source, ['first_name', 'firstName']) ?? null;
  const last = firstString(source, ['last_name', 'lastName']) ?? null;
  const joined = [first, last].filter(Boolean).join(' ');
  return {
    ...source,
    id: firstString(source, ['id', 'uuid']) ?? null,
    email: firstString(source, ['email', 'email_address']) ?? null,
    first_name: first,
    last_name: last,
    name: firstString(source, ['name', 'full_name']) ?? (joined === '' ? null : joined),
  };
};

/** Finds a side-loaded member by id or uuid. */
export const findMember = (members: readonly unknown[], ref: string): JsonObject | undefined =>
  members.find(
    (m): m is JsonObject => isJsonObject(m) && (idString(m.id) === ref || idString(m.uuid) === ref),
  );

export const memberOutputFields = (prefix: string) => [
  { key: `${prefix}id`, label: 'Member ID', type: 'string' as const },
  { key: `${prefix}email`, label: 'Member Email', type: 'string' as const },
  { key: `${prefix}first_name`, label: 'Member First Name', type: 'string' as const },
  { key: `${prefix}last_name`, label: 'Member Last Name', type: 'string' as const },
  { key: `${prefix}name`, label: 'Member Name', type: 'string' as const },
];
