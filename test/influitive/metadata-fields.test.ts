import App from '../../src';
import {
  keyInWords,
  MAX_METADATA_FIELDS,
  metadataOutputFields,
  staticRedemptionOutputFields,
} from '../../src/influitive/metadata-fields';
import { redemptionOutputFields } from '../../src/influitive/redemption';
import { providerOutputFields } from '../../src/influitive/reward-providers';
import { API, authData, influitiveHeaders, makeBundle, TOKEN } from '../helpers/bundle';
import nock from '../helpers/nock';
import { runOperation } from '../helpers/run';
import page1 from './fixtures/reward_redemptions_page1.json';

afterEach(() => nock.cleanAll());

const withMetadata = (...metadata: Record<string, unknown>[]) =>
  metadata.map((entry) => ({ metadata: entry }));

describe('keyInWords', () => {
  it.each([
    ['vendor_product_id', 'Vendor Product ID'],
    ['amountCents', 'Amount Cents'],
    ['gift-card.type', 'Gift Card Type'],
    ['SKU', 'SKU'],
    ['currency', 'Currency'],
    ['größe', 'Größe'],
    ['tango_utid', 'Tango UTID'],
    ['€', '€'],
  ])('writes %s as "%s"', (key, words) => {
    expect(keyInWords(key)).toBe(words);
  });
});

describe('metadataOutputFields', () => {
  it('labels each key once, in the order first seen, as "Reward Metadata: <Key In Words>"', () => {
    expect(
      metadataOutputFields(
        withMetadata(
          { vendor_product_id: 'AMZN-US-25', amount: '25.00' },
          {},
          { amount: '45.00', currency: 'USD' },
        ),
      ),
    ).toEqual([
      {
        key: 'metadata__vendor_product_id',
        label: 'Reward Metadata: Vendor Product ID',
        type: 'string',
      },
      { key: 'metadata__amount', label: 'Reward Metadata: Amount', type: 'string' },
      { key: 'metadata__currency', label: 'Reward Metadata: Currency', type: 'string' },
    ]);
  });

  it('types a key when every value shows the same type, and as text otherwise', () => {
    const fields = metadataOutputFields(
      withMetadata(
        {
          amount: 25,
          gift: true,
          ships_on: '2026-12-01',
          expires_at: '2027-01-31T23:59:59-05:00',
          mixed: 5,
          empty: null,
        },
        { amount: 12.5, gift: false, ships_on: '2026-12-03', mixed: 'five', empty: null },
      ),
    );
    expect(Object.fromEntries(fields.map((f) => [f.key, f.type]))).toEqual({
      metadata__amount: 'number',
      metadata__gift: 'boolean',
      metadata__ships_on: 'datetime',
      metadata__expires_at: 'datetime',
      metadata__mixed: 'string',
      metadata__empty: 'string',
    });
  });

  it('labels nested keys as Zapier flattens them, and lists of values as lists', () => {
    const fields = metadataOutputFields(
      withMetadata({
        shipping: { weight_kg: 0.4, carrier: { name: 'UPS', deeper: { too: 'deep' } } },
        sizes: ['S', 'M'],
        line_items: [{ sku: 'A' }],
      }),
    );
    expect(fields).toEqual([
      {
        key: 'metadata__shipping__weight_kg',
        label: 'Reward Metadata: Shipping Weight Kg',
        type: 'number',
      },
      {
        key: 'metadata__shipping__carrier__name',
        label: 'Reward Metadata: Shipping Carrier Name',
        type: 'string',
      },
      { key: 'metadata__sizes', label: 'Reward Metadata: Sizes', type: 'string', list: true },
    ]);
  });

  it(`emits at most ${MAX_METADATA_FIELDS} fields and skips keys no field could carry`, () => {
    const many = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`key_${i}`, i]));
    expect(metadataOutputFields(withMetadata(many))).toHaveLength(MAX_METADATA_FIELDS);
    expect(metadataOutputFields(withMetadata({ '': 1, ' ': 2, ['k'.repeat(101)]: 3 }))).toEqual([]);
  });
});

describe.each([
  'triggers.new_reward_redemption.operation.outputFields',
  'triggers.reward_redemption_requested.operation.outputFields',
  'searches.find_reward_redemption.operation.outputFields',
])('%s', (method) => {
  // The redemption's fields, then its reward's provider, then the hub's Reward Metadata.
  const staticKeys = [...redemptionOutputFields, ...providerOutputFields].map((f) => f.key);

  it('adds a labelled field per Reward Metadata key of the hub, from one page, to the static fields', async () => {
    const scope = nock(API, { reqheaders: influitiveHeaders })
      .get('/reward_redemptions')
      .reply(200, page1);
    const fields = (await runOperation(method, makeBundle())) as { key: string }[];
    expect(fields.map((f) => f.key)).toEqual([
      ...staticKeys,
      'metadata__vendor_product_id',
      'metadata__amount',
      'metadata__currency',
    ]);
    expect(fields.at(-1)).toEqual({
      key: 'metadata__currency',
      label: 'Reward Metadata: Currency',
      type: 'string',
    });
    // One page, even though page1 links to a second one.
    expect(scope.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it.each([
    ['a server error', () => nock(API).get('/reward_redemptions').reply(500, '<html>oops</html>')],
    ['a rejected token', () => nock(API).get('/reward_redemptions').reply(401, '')],
    ['a body that is not JSON', () => nock(API).get('/reward_redemptions').reply(200, '<html>')],
  ])('keeps the static fields, and logs why, on %s', async (_name, reply) => {
    const scope = reply();
    const logs: string[] = [];
    const fields = (await runOperation(method, makeBundle(), undefined, logs)) as {
      key: string;
    }[];
    expect(fields.map((f) => f.key)).toEqual(staticKeys);
    expect(scope.isDone()).toBe(true);
    // The client's own words, not the JSON that z.errors wraps them in.
    expect(logs.join('\n')).toMatch(
      /Reward Metadata fields were not labelled, because one page of pending redemptions could not be read: Influitive /,
    );
    expect(logs.join('\n')).not.toContain(TOKEN);
  });

  it('keeps the static fields without a request when the connection has no Influitive token', async () => {
    const fields = (await runOperation(
      method,
      makeBundle({ authData: { loudcrowd_api_key: authData.loudcrowd_api_key } }),
    )) as { key: string }[];
    expect(fields.map((f) => f.key)).toEqual(staticKeys);
  });
});

describe('the static redemption fields', () => {
  type Steps = Record<string, { operation: { outputFields: unknown[] } }>;
  const triggers = App.triggers as unknown as Steps;
  const searches = App.searches as unknown as Steps;
  const operations = [
    triggers.new_reward_redemption,
    triggers.reward_redemption_requested,
    searches.find_reward_redemption,
  ].map((step) => step?.operation ?? { outputFields: [] });

  it('are served by one function the three redemption steps share, needing no connection', () => {
    for (const operation of operations) {
      expect(operation.outputFields[0]).toBe(staticRedemptionOutputFields);
    }
    expect(staticRedemptionOutputFields.length).toBe(0);
    expect(staticRedemptionOutputFields()).toEqual([
      ...redemptionOutputFields,
      ...providerOutputFields,
    ]);
  });

  it('are not written out in the definition core copies on every event', () => {
    for (const operation of operations) {
      expect(operation.outputFields.filter((entry) => typeof entry !== 'function')).toEqual([]);
    }
  });
});
