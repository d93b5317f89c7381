import { type Bundle, isJsonObject, type ZObject } from '../../shared/types';
import { callInfluitive } from '../client';
import { type Member, memberOutputFields, normalizeMember } from '../member';
import { pendingRedemptionPage } from '../samples';

const membersIn = (body: unknown): unknown[] => {
  if (Array.isArray(body)) return body;
  if (!isJsonObject(body)) return [];
  const list = [body.members, body.contacts, body.data].find(Array.isArray);
  return list ?? (body.id !== undefined ? [body] : []);
};

export const findMemberByEmail = async (z: ZObject, bundle: Bundle): Promise<Member[]> => {
  const email = String(bundle.inputData.email ?? '').trim();
  if (email === '')
    throw new z.errors.Error('Enter the email address to look up.', 'missing_email', 400);
  const { data } = await callInfluitive(z, bundle, {
    method: 'GET',
    path: '/members',
    params: { email },
  });
  return membersIn(data).map(normalizeMember);
};

export default {
  key: 'find_member',
  noun: 'Member',
  display: {
    label: 'Find Member',
    description: 'Finds an Influitive member (advocate) by email address.',
  },
  operation: {
    inputFields: [
      {
        key: 'email',
        label: 'Email',
        required: true,
        helpText: "The advocate's email address in the hub.",
      },
    ],
    perform: findMemberByEmail,
    sample: normalizeMember(pendingRedemptionPage.contacts[0]),
    outputFields: memberOutputFields(''),
  },
};
