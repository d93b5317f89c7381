import {
  isForReward,
  newestFirst,
  normalizeMetadata,
  normalizeRedemption,
  RedemptionShapeError,
  redemptionsFromPage,
  rewardRedemptionSchema,
  unwrapRedemptionDelivery,
} from '../../src/influitive/redemption';
import { ORG_ID } from '../helpers/bundle';
import page1 from './fixtures/reward_redemptions_page1.json';
import page2 from './fixtures/reward_redemptions_page2.json';

const [giftCard, hoodie] = page1.reward_redemptions;
const contacts = page1.contacts;

describe('normalizeRedemption', () => {
  it('resolves a side-loaded member by contact_id and keeps every source field', () => {
    const result = normalizeRedemption(giftCard, { contacts, orgId: ORG_ID });
    expect(result).toMatchObject({
      id: '48213',
      uuid: '6f0e9c1a-3b2d-4e5f-8a7b-1c2d3e4f5a6b',
      reward_id: '731',
      reward: { id: '731', name: 'Amazon.com Gift Card ($25)', points: 2500 },
      member: {
        id: '90211',
        email: 'maya.patel@northwind-analytics.example',
        first_name: 'Maya',
        last_name: 'Patel',
        name: 'Maya Patel',
        company: 'Northwind Analytics',
      },
      status: 'pending',
      requested_at: '2026-11-20T09:14:03-05:00',
      metadata: { vendor_product_id: 'AMZN-US-25', amount: '25.00', currency: 'USD' },
      summary: 'Amazon.com Gift Card ($25) for Maya Patel <maya.patel@northwind-analytics.example>',
      idempotency_key: 'influitive-2bcbb469-redemption-48213',
      idempotency_key_alphanumeric: 'influitive2bcbb469redemptionid48213',
      contact_id: 90211,
      points: 2500,
      created_at: '2026-11-20T09:14:03-05:00',
    });
  });

  it('resolves member_id, takes the reward name from reward_name and builds the name from its parts', () => {
    const result = normalizeRedemption(hoodie, { contacts });
    expect(result.reward).toEqual({ id: '812', name: 'Northwind Hoodie' });
    expect(result.member).toMatchObject({ id: '90388', name: 'Jonas Lindqvist' });
    expect(result.metadata).toEqual({});
    // Shipping fields pass through untouched.
    expect(result).toMatchObject({ address: '418 Queen St W', zip: 'M5V 2A8', country: 'CA' });
  });

  it('reads an embedded contact, metadata as a key/value list inside the reward, and state', () => {
    const result = normalizeRedemption(page2.reward_redemptions[0]);
    expect(result.member).toMatchObject({
      id: '90402',
      email: 'li.wei@harbour-labs.example',
      name: 'Li Wei',
      trusted: false,
    });
    expect(result.metadata).toEqual({ vendor_product_id: 'AMZN-US-25', amount: '25.00' });
    expect(result.reward_id).toBe('731');
    expect(result.requested_at).toBe('2026-11-18T11:02:00.000+00:00');
  });

  it.each([
    ['metadata', { metadata: { sku: 'HOOD-M' } }],
    ['reward_metadata', { reward_metadata: { sku: 'HOOD-M' } }],
    ['reward.metadata', { reward: { id: 1, metadata: { sku: 'HOOD-M' } } }],
    ['reward.reward_metadata', { reward: { id: 1, reward_metadata: { sku: 'HOOD-M' } } }],
    ['a JSON string', { metadata: '{"sku":"HOOD-M"}' }],
    ['a name/value list', { reward_metadata: [{ name: 'sku', value: 'HOOD-M' }, 'noise'] }],
  ])('finds Reward Metadata under %s', (_where, fields) => {
    expect(normalizeRedemption({ id: 5, ...fields }).metadata).toEqual({ sku: 'HOOD-M' });
  });

  it('says metadata it cannot read is unreadable rather than failing', () => {
    expect(normalizeMetadata('not json')).toBeUndefined();
    expect(normalizeMetadata(42)).toBeUndefined();
  });

  it('keeps metadata it cannot read as it was sent, beside an empty metadata object', () => {
    expect(normalizeRedemption({ id: 5, metadata: 'SKU AMZN-US-25' })).toMatchObject({
      metadata: {},
      metadata_original: 'SKU AMZN-US-25',
    });
    // Anywhere but `metadata` itself, the source field is kept in place.
    const elsewhere = normalizeRedemption({ id: 5, reward_metadata: 'SKU AMZN-US-25' });
    expect(elsewhere).toMatchObject({ metadata: {}, reward_metadata: 'SKU AMZN-US-25' });
    expect(elsewhere).not.toHaveProperty('metadata_original');
  });

  it('reads a JSON string nested 64 levels deep, and keeps deeper ones as text without a RangeError', () => {
    const nestedIn = (depth: number) =>
      `${'{"a":'.repeat(depth - 1)}{"sku":"HOOD-M"}${'}'.repeat(depth - 1)}`;
    expect(normalizeRedemption({ id: 5, metadata: nestedIn(64) }).metadata).toHaveProperty('a');
    for (const depth of [65, 20_000]) {
      const text = nestedIn(depth);
      const result = normalizeRedemption({ id: 5, metadata: text });
      expect(result.metadata).toEqual({});
      expect(result.metadata_original).toBe(text);
      expect(() => JSON.stringify(result)).not.toThrow();
    }
  });

  it('refers to a member embedded only by id, and falls back to the bare id when not side-loaded', () => {
    expect(normalizeRedemption({ id: 1, member: 90211 }, { contacts }).member.email).toBe(
      'maya.patel@northwind-analytics.example',
    );
    expect(normalizeRedemption({ id: 1, contact_id: 'c-77' }).member).toEqual({
      id: 'c-77',
      email: null,
      first_name: null,
      last_name: null,
      name: null,
    });
  });

  it('matches a side-loaded member by uuid', () => {
    const result = normalizeRedemption(
      { id: 1, contact_uuid: 'c4b3a291-8f7e-4d6c-b5a4-93e2f1d0c9b8' },
      { contacts },
    );
    expect(result.member.name).toBe('Maya Patel');
  });

  it('accepts the reward as a bare name and a uuid as the only id', () => {
    const result = normalizeRedemption({
      uuid: 'r-uuid-1',
      reward: 'Team Lunch',
      reward_uuid: 'rw-9',
    });
    expect(result).toMatchObject({
      id: 'r-uuid-1',
      reward: { id: 'rw-9', name: 'Team Lunch' },
      summary: 'Team Lunch',
    });
  });

  it('reads an offset-less timestamp as UTC and an epoch number as seconds', () => {
    expect(normalizeRedemption({ id: 1, requested_at: '2026-11-20 14:03:11' }).requested_at).toBe(
      '2026-11-20T14:03:11.000+00:00',
    );
    expect(normalizeRedemption({ id: 1, created_at: 1_795_000_000 }).requested_at).toBe(
      '2026-11-18T11:06:40.000+00:00',
    );
    expect(normalizeRedemption({ id: 1, created_at: 'yesterday' }).requested_at).toBeNull();
  });

  it('keeps the alphanumeric key within 100 characters for Tango Card, hashing an id that would not fit', () => {
    const result = normalizeRedemption({ id: 'x'.repeat(150) });
    expect(result.idempotency_key_alphanumeric).toMatch(
      /^influitive00000000redemptionh[0-9a-f]{32}$/,
    );
    expect(result.idempotency_key).toBe(`influitive-00000000-redemption-${'x'.repeat(150)}`);
    // Cut at 100, these two would share a key; hashed whole, they do not.
    const longer = normalizeRedemption({ id: `${'x'.repeat(150)}y` });
    expect(longer.idempotency_key_alphanumeric).not.toBe(result.idempotency_key_alphanumeric);
  });

  it.each([
    [
      { reward_id: 731 },
      /has no id \(looked for reward_redemption_id, redemption_id, redemption_uuid, id, uuid\); its fields are: reward_id/,
    ],
    [{ id: '   ' }, /has no id/],
    [{ id: { nested: true } }, /has no id/],
    ['48213', /must be a JSON object, not string/],
    [null, /must be a JSON object, not null/],
  ])('rejects %j with a clear message, never a TypeError', (raw, message) => {
    expect(() => normalizeRedemption(raw)).toThrow(RedemptionShapeError);
    expect(() => normalizeRedemption(raw)).toThrow(message);
  });

  it('produces output that satisfies the schema for every fixture record', () => {
    for (const raw of [...page1.reward_redemptions, ...page2.reward_redemptions]) {
      expect(rewardRedemptionSchema.safeParse(normalizeRedemption(raw, { contacts })).success).toBe(
        true,
      );
    }
  });
});

describe('unwrapRedemptionDelivery', () => {
  const redemption = { id: 48213, reward_id: 731 };
  it.each([
    ['the redemption itself', redemption],
    ['reward_redemption', { event: 'reward_redemption_requested', reward_redemption: redemption }],
    ['data', { data: redemption }],
    ['payload', { payload: redemption }],
    ['payload.data', { payload: { data: { reward_redemption: redemption } } }],
  ])('finds the redemption in %s', (_how, body) => {
    expect(unwrapRedemptionDelivery(body).redemption).toMatchObject(redemption);
  });

  it('keeps a member and contacts delivered beside the wrapped redemption', () => {
    const { redemption: inner, contacts: found } = unwrapRedemptionDelivery({
      reward_redemption: { id: 1, contact_id: 90211 },
      contact: { id: 90211, email: 'maya.patel@northwind-analytics.example' },
      contacts,
    });
    expect(inner.contact).toEqual({ id: 90211, email: 'maya.patel@northwind-analytics.example' });
    expect(found).toHaveLength(2);
  });

  it.each([
    [[1, 2], /expected a JSON object, got an array/],
    ['text', /got a string/],
    [null, /got null/],
  ])('rejects %j as not a redemption', (body, message) => {
    expect(() => unwrapRedemptionDelivery(body)).toThrow(RedemptionShapeError);
    expect(() => unwrapRedemptionDelivery(body)).toThrow(message);
  });

  it('says so when the redemption is wrapped too deep to be looked for', () => {
    const body = { data: { data: { data: { data: { data: { id: 1 } } } } } };
    expect(() => unwrapRedemptionDelivery(body)).toThrow(
      'The delivery wraps the reward redemption more than 4 levels deep (in reward_redemption, redemption, data, payload).',
    );
  });

  it('keeps a line break in an id instead of failing the schema', () => {
    expect(normalizeRedemption({ id: 'a\nb' }).idempotency_key).toBe(
      'influitive-00000000-redemption-a\nb',
    );
  });
});

describe('list helpers', () => {
  it('reads a page as reward_redemptions + contacts, a bare array, or nothing', () => {
    expect(redemptionsFromPage(page1).redemptions).toHaveLength(2);
    expect(redemptionsFromPage(page1).contacts).toHaveLength(2);
    expect(redemptionsFromPage([{ id: 1 }]).redemptions).toHaveLength(1);
    expect(redemptionsFromPage({ data: [{ id: 1 }], included: [{ id: 2 }] })).toEqual({
      redemptions: [{ id: 1 }],
      contacts: [{ id: 2 }],
    });
    expect(redemptionsFromPage('nope')).toEqual({ redemptions: [], contacts: [] });
  });

  it('sorts newest first and keeps undated records in source order after dated ones', () => {
    const records = [
      normalizeRedemption({ id: 'a' }),
      normalizeRedemption({ id: 'b', created_at: '2026-11-01T00:00:00Z' }),
      normalizeRedemption({ id: 'c' }),
      normalizeRedemption({ id: 'd', created_at: '2026-11-05T00:00:00+01:00' }),
    ];
    expect(newestFirst(records).map((r) => r.id)).toEqual(['d', 'b', 'a', 'c']);
  });

  it('matches a reward filter by reward_id, reward id or reward uuid', () => {
    const record = normalizeRedemption({ id: 1, reward: { id: 731, uuid: 'rw-uuid' } });
    expect(isForReward(record, undefined)).toBe(true);
    expect(isForReward(record, '731')).toBe(true);
    expect(isForReward(record, ' rw-uuid ')).toBe(true);
    expect(isForReward(record, '812')).toBe(false);
  });
});

describe('status', () => {
  it('reads a shipping state (a province) as an address, not as the status', () => {
    expect(normalizeRedemption(hoodie, { contacts }).status).toBe('pending');
    expect(normalizeRedemption({ id: 1, state: 'ON', address: '1 Main St' }).status).toBe(
      'pending',
    );
  });

  it('reads state as the status when it is a status word, and status first of all', () => {
    expect(normalizeRedemption({ id: 1, state: 'fulfilled' }).status).toBe('fulfilled');
    expect(normalizeRedemption({ id: 1, status: 'refused', state: 'pending' }).status).toBe(
      'refused',
    );
  });
});

describe('idempotency keys', () => {
  const keysOf = (id: string, orgId?: string) => {
    const { idempotency_key, idempotency_key_alphanumeric } = normalizeRedemption(
      { id },
      { orgId },
    );
    return [idempotency_key, idempotency_key_alphanumeric];
  };

  it('names the hub, so two hubs sharing one vendor account never share a key', () => {
    const [free, alphanumeric] = keysOf('48213', ORG_ID);
    expect(free).toBe('influitive-2bcbb469-redemption-48213');
    expect(alphanumeric).toBe('influitive2bcbb469redemptionid48213');
    const other = keysOf('48213', '7b3e9f1a-5c2d-4e8b-a6f0-1d3c5e7a9b2f');
    expect(other).toEqual([
      'influitive-b97d33f3-redemption-48213',
      'influitiveb97d33f3redemptionid48213',
    ]);
    // The same hub however its org ID was typed.
    expect(keysOf('48213', ` ${ORG_ID.toUpperCase()}\n`)).toEqual([free, alphanumeric]);
  });

  it('never gives two ids one alphanumeric key, whatever punctuation was dropped', () => {
    const ids = [
      '48213',
      '482-13',
      '4821-3',
      '48_213',
      'a1',
      'A1',
      'a-1',
      'a.1',
      'ida1',
      'h' + '0'.repeat(32),
    ];
    const uuid = '6f0e9c1a-3b2d-4e5f-8a7b-1c2d3e4f5a6b';
    const keys = [...ids, uuid, uuid.replace(/-/g, '')].map((id) => keysOf(id, ORG_ID)[1]);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9]{1,100}$/);
    // Letters and digits are kept as they are; anything else is hashed whole.
    expect(keysOf('482-13', ORG_ID)[1]).toMatch(/^influitive2bcbb469redemptionh[0-9a-f]{32}$/);
  });
});

describe('envelopes with their own id', () => {
  it('prefers the wrapped redemption over an event envelope id', () => {
    const body = {
      id: 'evt_01JD8Z4K7Q',
      event: 'reward_redemption_requested',
      reward_redemption: { id: 48213, reward_id: 731 },
    };
    expect(unwrapRedemptionDelivery(body).redemption.id).toBe(48213);
  });

  it.each([
    ['reward_redemption_id', 70005],
    ['redemption_id', '70005'],
    ['redemption_uuid', '4f6a9c1e-2b3d-4e5f-8a7b-9c0d1e2f3a4b'],
  ])('reads a flat event body by its %s, never by the event id', (key, value) => {
    const body = { id: 'evt_9f2', [key]: value, reward_id: 731, contact_id: 5521 };
    const { redemption, contacts } = unwrapRedemptionDelivery(body);
    const normalized = normalizeRedemption(redemption, { contacts });
    expect(normalized.id).toBe(String(value));
    expect(normalized.event_id).toBe('evt_9f2');
    expect(normalized.idempotency_key).toMatch(new RegExp(`-redemption-${String(value)}$`));
  });

  it('prefers a generic wrapper with an id when the outer object is not a redemption', () => {
    const body = { id: 'delivery-77', type: 'reward', data: { payload: { id: 48213 } } };
    expect(unwrapRedemptionDelivery(body).redemption.id).toBe(48213);
  });

  it('keeps a redemption reached through reward_redemption, whatever it wraps in turn', () => {
    const body = {
      reward: { name: 'Amazon.com Gift Card ($25)' },
      reward_redemption: { id: 48213, payload: { id: 'attachment-1' } },
    };
    const { redemption } = unwrapRedemptionDelivery(body);
    expect(redemption.id).toBe(48213);
    expect(redemption.reward).toEqual({ name: 'Amazon.com Gift Card ($25)' });
  });

  it('keeps a redemption whose own fields include an object under data', () => {
    const body = { id: 48213, reward_id: 731, data: { id: 'attachment-1' } };
    expect(unwrapRedemptionDelivery(body).redemption).toEqual(body);
  });
});
