/**
 * The record shapes the Influitive sandbox serves and the hub it starts with: an API user (admin),
 * a few advocates, rewards, and pending redemptions covering the three cases the app must handle
 * (a gift card with Reward Metadata, a hoodie with a shipping address, an untrusted advocate).
 */

export interface MemberAddress {
  address: string | null;
  address_2: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  zip: string | null;
  phone_number: string | null;
}

export interface MemberRecord {
  id: number;
  uuid: string;
  name: string;
  first_name: string;
  last_name: string;
  email: string;
  title: string | null;
  company: string | null;
  type: 'Admin' | 'Advocate';
  /** False for an "untrusted" advocate, whose redemptions are never auto-fulfilled. */
  trusted: boolean;
  created_at: string;
  joined_at: string | null;
  locked_at: string | null;
  current_points: number;
  lifetime_points: number;
  crm_contact_id: string | null;
  salesforce_id: string | null;
  language: string;
  address: MemberAddress;
  level: { id: number; name: string };
  custom_fields: Record<string, string>;
  thumb: string | null;
}

export interface RewardRecord {
  id: number;
  uuid: string;
  name: string;
  description: string;
  provider: string;
  published: boolean;
  points: number;
  requires_shipping: boolean;
  created_at: string;
}

/** Reward Metadata: extra per-reward data an admin enters, copied onto each redemption. */
export type RewardMetadata = Record<string, string>;

export interface SeedReward {
  reward: RewardRecord;
  metadata?: RewardMetadata;
}

/** The shipping fields a redemption of a physical reward carries (the member's address). */
export type ShippingFields = MemberAddress;

export type RedemptionStatus = 'pending' | 'fulfilled' | 'refused';

export interface RedemptionRecord extends Partial<ShippingFields> {
  id: number;
  uuid: string;
  reward_id: number;
  reward: Pick<RewardRecord, 'id' | 'uuid' | 'name' | 'points' | 'provider'>;
  contact_id: number;
  points: number;
  created_at: string;
  status: RedemptionStatus;
  decision_message: string | null;
  decided_at: string | null;
  metadata?: Record<string, unknown>;
}

const EMPTY_ADDRESS: MemberAddress = {
  address: null,
  address_2: null,
  city: null,
  state: null,
  country: null,
  zip: null,
  phone_number: null,
};

const LEVELS = {
  insider: { id: 3, name: 'Insider' },
  champion: { id: 4, name: 'Champion' },
  legend: { id: 5, name: 'Legend' },
} as const;

export const SEED_MEMBERS: readonly MemberRecord[] = [
  {
    id: 90001,
    uuid: 'a1d4c6e8-0b2f-4a5c-9e7d-3f1b5c7e9a02',
    name: 'Jordan Reyes',
    first_name: 'Jordan',
    last_name: 'Reyes',
    email: 'jordan.reyes@brightline.example',
    title: 'Community Manager',
    company: 'Brightline Software',
    type: 'Admin',
    trusted: true,
    created_at: '2024-02-05T10:12:44-05:00',
    joined_at: '2024-02-05T10:12:44-05:00',
    locked_at: null,
    current_points: 0,
    lifetime_points: 0,
    crm_contact_id: null,
    salesforce_id: null,
    language: 'en',
    address: EMPTY_ADDRESS,
    level: LEVELS.insider,
    custom_fields: {},
    thumb: null,
  },
  {
    id: 90211,
    uuid: 'c4b3a291-8f7e-4d6c-b5a4-93e2f1d0c9b8',
    name: 'Maya Patel',
    first_name: 'Maya',
    last_name: 'Patel',
    email: 'maya.patel@northwind-analytics.example',
    title: 'Data Engineer',
    company: 'Northwind Analytics',
    type: 'Advocate',
    trusted: true,
    created_at: '2025-03-18T14:27:09-04:00',
    joined_at: '2025-03-19T08:02:51-04:00',
    locked_at: null,
    current_points: 1850,
    lifetime_points: 9350,
    crm_contact_id: '0035e00000QmT4aAAF',
    salesforce_id: '0035e00000QmT4aAAF',
    language: 'en',
    address: {
      address: '1450 Mission St',
      address_2: 'Apt 5B',
      city: 'San Francisco',
      state: 'CA',
      country: 'US',
      zip: '94103',
      phone_number: '+1 415-555-0119',
    },
    level: LEVELS.champion,
    custom_fields: { region: 'West' },
    thumb: 'https://hub.brightline.example/avatars/90211.png',
  },
  {
    id: 90274,
    uuid: 'e7f1a3b5-6c8d-4e0f-a2b4-c6d8e0f2a4b6',
    name: 'Diego Alvarez',
    first_name: 'Diego',
    last_name: 'Alvarez',
    email: 'diego.alvarez@contoso-retail.example',
    title: 'Solutions Architect',
    company: 'Contoso Retail',
    type: 'Advocate',
    trusted: true,
    created_at: '2025-06-02T09:41:17-04:00',
    joined_at: '2025-06-02T09:55:03-04:00',
    locked_at: null,
    current_points: 6200,
    lifetime_points: 14700,
    crm_contact_id: '0035e00000RbX9cAAF',
    salesforce_id: '0035e00000RbX9cAAF',
    language: 'en',
    address: {
      address: '220 King St W',
      address_2: 'Suite 1100',
      city: 'Toronto',
      state: 'ON',
      country: 'CA',
      zip: 'M5H 1K4',
      phone_number: '+1 416-555-0173',
    },
    level: LEVELS.legend,
    custom_fields: { region: 'Canada', shirt_size: 'M' },
    thumb: 'https://hub.brightline.example/avatars/90274.png',
  },
  {
    id: 90348,
    uuid: '5b9d1f3a-7c2e-4b6d-8f0a-1c3e5a7b9d2f',
    name: 'Sam Okafor',
    first_name: 'Sam',
    last_name: 'Okafor',
    email: 'sam.okafor@fabrikam-labs.example',
    title: 'Product Manager',
    company: 'Fabrikam Labs',
    type: 'Advocate',
    trusted: false,
    created_at: '2026-11-14T17:03:38-05:00',
    joined_at: '2026-11-14T17:10:02-05:00',
    locked_at: null,
    current_points: 300,
    lifetime_points: 5300,
    crm_contact_id: null,
    salesforce_id: null,
    language: 'en',
    address: EMPTY_ADDRESS,
    level: LEVELS.insider,
    custom_fields: {},
    thumb: null,
  },
  {
    id: 90412,
    uuid: '8e2c4a6f-1d3b-4f5e-9a7c-0b2d4f6e8a1c',
    name: 'Priya Nair',
    first_name: 'Priya',
    last_name: 'Nair',
    email: 'Priya.Nair@tailspin-toys.example',
    title: 'Head of Customer Success',
    company: 'Tailspin Toys',
    type: 'Advocate',
    trusted: true,
    created_at: '2025-09-23T11:18:45-04:00',
    joined_at: '2025-09-23T11:31:12-04:00',
    locked_at: null,
    current_points: 4100,
    lifetime_points: 4100,
    crm_contact_id: '0035e00000TgH2kAAF',
    salesforce_id: '0035e00000TgH2kAAF',
    language: 'en',
    address: EMPTY_ADDRESS,
    level: LEVELS.champion,
    custom_fields: { region: 'East' },
    thumb: null,
  },
];

/** The member the sandbox's API token belongs to (`GET /members/me`). */
export const SEED_API_USER_ID = 90001;

export const SEED_REWARDS: readonly SeedReward[] = [
  {
    reward: {
      id: 731,
      uuid: '2d4f6a8c-0e1b-4d3f-a5c7-e9b1d3f5a7c9',
      name: 'Amazon.com Gift Card ($25)',
      description: 'A $25 Amazon.com e-gift card, emailed within two business days.',
      provider: 'custom',
      published: true,
      points: 2500,
      requires_shipping: false,
      created_at: '2025-01-10T13:00:00-05:00',
    },
    metadata: { vendor_product_id: 'AMZN-US-25', amount: '25.00', currency: 'USD' },
  },
  {
    reward: {
      id: 742,
      uuid: '9a1c3e5f-7b2d-4a6c-8e0f-2b4d6f8a0c1e',
      name: 'Brightline Hoodie (Unisex)',
      description: 'Our navy zip hoodie. Tell us your size in your profile.',
      provider: 'custom',
      published: true,
      points: 4000,
      requires_shipping: true,
      created_at: '2025-01-10T13:05:00-05:00',
    },
  },
  {
    reward: {
      id: 755,
      uuid: '4c6e8a0b-2d1f-4e3a-b5c7-d9e1f3a5b7c9',
      name: 'Visa Prepaid Card ($50)',
      description: 'A $50 virtual Visa prepaid card, usable anywhere Visa is accepted online.',
      provider: 'custom',
      published: true,
      points: 5000,
      requires_shipping: false,
      created_at: '2025-04-01T09:30:00-04:00',
    },
    metadata: { vendor_product_id: 'VISA-US-50', amount: '50.00', currency: 'USD' },
  },
  {
    reward: {
      id: 768,
      uuid: '6e8a0c2d-4f1b-4a3c-9d5e-7f9b1d3e5a7c',
      name: 'Roadmap Briefing with our CTO (2027)',
      description: 'A 30-minute preview of next year’s roadmap. Opens in January.',
      provider: 'custom',
      published: false,
      points: 7500,
      requires_shipping: false,
      created_at: '2026-10-30T16:45:00-04:00',
    },
  },
];

/**
 * A reward Influitive fulfills itself: its Fulfillment is Tango Card, so Influitive orders the gift
 * card once the redemption is approved, and a Zap must not order it again.
 */
export const TANGO_CARD_REWARD: SeedReward = {
  reward: {
    id: 781,
    uuid: '3f5a7c9e-1b2d-4c4e-8a6f-0b1d3f5a7c9e',
    name: 'Starbucks eGift Card ($10)',
    description: 'A $10 Starbucks eGift card, sent by Influitive through Tango Card once approved.',
    provider: 'tango_card',
    published: true,
    points: 1000,
    requires_shipping: false,
    created_at: '2026-06-15T10:00:00-04:00',
  },
  metadata: { utid: 'U579023', amount: '10.00', currency: 'USD' },
};

/**
 * Pending redemptions of several ages, in hours before the sandbox starts (`agedSeed`): one fresh,
 * one just past a day, older ones of each kind of reward, and one Influitive fulfills itself.
 */
export const AGED_REDEMPTIONS: readonly {
  id: number;
  uuid: string;
  rewardId: number;
  contactId: number;
  ageHours: number;
}[] = [
  {
    id: 48240,
    uuid: '1a3c5e7f-9b2d-4f6a-8c0e-2b4d6f8a0c2e',
    rewardId: 731,
    contactId: 90412,
    ageHours: 2,
  },
  {
    id: 48241,
    uuid: '2b4d6f8a-0c1e-4a3c-9e5f-7b9d1f3a5c7e',
    rewardId: 755,
    contactId: 90211,
    ageHours: 30,
  },
  {
    id: 48242,
    uuid: '3c5e7a9b-1d2f-4b4d-8f6a-8c0e2a4c6e8a',
    rewardId: 742,
    contactId: 90412,
    ageHours: 96,
  },
  {
    id: 48243,
    uuid: '4d6f8a0c-2e3a-4c5e-9a7b-9d1f3b5d7f9b',
    rewardId: 731,
    contactId: 90348,
    ageHours: 216,
  },
  {
    id: 48244,
    uuid: '5e7a9c1d-3f4b-4d6f-8b8c-0e2a4c6e8a0c',
    rewardId: 781,
    contactId: 90211,
    ageHours: 72,
  },
];

interface SeedRedemption {
  id: number;
  uuid: string;
  rewardId: number;
  contactId: number;
  created_at: string;
  status: RedemptionStatus;
  decision_message?: string;
  decided_at?: string;
}

/** Three pending (newest first: untrusted Visa, hoodie, gift card) and one already fulfilled. */
export const SEED_REDEMPTIONS: readonly SeedRedemption[] = [
  {
    id: 48190,
    uuid: '0f2b4d6a-8c1e-4a3b-9d5f-7e9a1c3b5d7f',
    rewardId: 731,
    contactId: 90274,
    created_at: '2026-11-12T10:22:41-05:00',
    status: 'fulfilled',
    decision_message: 'Your Amazon.com gift card is on its way: check your inbox.',
    decided_at: '2026-11-12T15:03:10-05:00',
  },
  {
    id: 48213,
    uuid: '6f0e9c1a-3b2d-4e5f-8a7b-1c2d3e4f5a6b',
    rewardId: 731,
    contactId: 90211,
    created_at: '2026-11-20T09:14:03-05:00',
    status: 'pending',
  },
  {
    id: 48227,
    uuid: 'b3d5f7a9-1c2e-4b4d-8f6a-0c2e4a6b8d0f',
    rewardId: 742,
    contactId: 90274,
    created_at: '2026-11-21T11:47:29-05:00',
    status: 'pending',
  },
  {
    id: 48231,
    uuid: 'd8f0a2c4-6e1b-4d3f-a5b7-c9e1a3c5e7b9',
    rewardId: 755,
    contactId: 90348,
    created_at: '2026-11-21T16:05:52-05:00',
    status: 'pending',
  },
];

const FIRST_NAMES = [
  'Avery',
  'Blake',
  'Camila',
  'Dev',
  'Elena',
  'Farah',
  'Gabriel',
  'Hana',
  'Isaac',
  'Jun',
  'Kiara',
  'Luca',
  'Mateo',
  'Nadia',
  'Omar',
  'Quinn',
  'Rosa',
  'Tariq',
  'Uma',
  'Yusuf',
] as const;
const LAST_NAMES = [
  'Andersen',
  'Brennan',
  'Chowdhury',
  'Dubois',
  'Eriksen',
  'Fernandes',
  'Goldberg',
  'Haddad',
  'Ito',
  'Jovanovic',
  'Kowalski',
  'Lindqvist',
  'Mensah',
  'Novak',
  'Oyelaran',
  'Petrov',
  'Rahman',
  'Silva',
  'Tanaka',
  'Varga',
] as const;
const COMPANIES = [
  ['Adatum Corp', 'adatum.example'],
  ['Litware Inc', 'litware.example'],
  ['Proseware', 'proseware.example'],
  ['Wingtip Travel', 'wingtip-travel.example'],
  ['Woodgrove Bank', 'woodgrove.example'],
] as const;

const pick = <T>(list: readonly T[], index: number): T => list[index % list.length] as T;

/** A member with every field the API returns; what is not given is empty or a newcomer's default. */
export const buildMember = (
  fields: Pick<MemberRecord, 'id' | 'uuid' | 'first_name' | 'last_name' | 'email' | 'created_at'> &
    Partial<Omit<MemberRecord, 'address'>> & { address?: Partial<MemberAddress> },
): MemberRecord => ({
  name: `${fields.first_name} ${fields.last_name}`,
  title: null,
  company: null,
  type: 'Advocate',
  trusted: true,
  joined_at: fields.created_at,
  locked_at: null,
  current_points: 0,
  lifetime_points: 0,
  crm_contact_id: null,
  salesforce_id: null,
  language: 'en',
  level: LEVELS.insider,
  custom_fields: {},
  thumb: null,
  ...fields,
  address: { ...EMPTY_ADDRESS, ...fields.address },
});

/** The n-th synthetic advocate (for `seedPending`): a distinct, realistic name and email. */
export const syntheticMember = (
  index: number,
  id: number,
  uuid: string,
  createdAt: string,
): MemberRecord => {
  const first = pick(FIRST_NAMES, index);
  const last = pick(LAST_NAMES, index * 7 + Math.floor(index / FIRST_NAMES.length));
  const [company, domain] = pick(COMPANIES, index);
  return buildMember({
    id,
    uuid,
    first_name: first,
    last_name: last,
    email: `${first}.${last}.${id}@${domain}`.toLowerCase(),
    created_at: createdAt,
    title: 'Advocate',
    company,
    // Every tenth synthetic advocate is untrusted, as in a real hub's long tail.
    trusted: index % 10 !== 9,
    current_points: 10_000,
    lifetime_points: 25_000,
    address: {
      address: `${100 + index} SW Morrison St`,
      city: 'Portland',
      state: 'OR',
      country: 'US',
      zip: '97204',
    },
  });
};
