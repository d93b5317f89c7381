/**
 * Where the doctor says each output came from: found by asking the app's normaliser, for every
 * payload shape it accepts. And the warnings those readings lead to.
 */

import {
  inspectPage,
  inspectWebhook,
  type RedemptionReading,
  readRedemption,
} from '../../scripts/doctor/inspect';
import { formatPage, warningsFor } from '../../scripts/doctor/report';
import page1 from '../influitive/fixtures/reward_redemptions_page1.json';

const MAYA = {
  id: 90211,
  email: 'maya.patel@northwind-analytics.example',
  first_name: 'Maya',
  last_name: 'Patel',
};
const AT = '2026-11-20T09:14:03-05:00';

describe('readRedemption', () => {
  it('finds the side-loaded member, the reward object and the metadata object', () => {
    const page = inspectPage(page1);
    const [giftCard, hoodie] = page.readings as [RedemptionReading, RedemptionReading];

    expect(giftCard.sources).toEqual({
      id: ['id'],
      member: ['contact_id'],
      reward_id: ['reward_id', 'reward.id'],
      reward_name: ['reward.name'],
      requested_at: ['created_at'],
      metadata: ['metadata'],
      status: [],
    });
    expect(giftCard.member).toBe('side-loaded');
    expect(giftCard.metadataForm).toBe('an object');
    expect(giftCard.unread).toEqual(['uuid', 'points']);
    expect(hoodie.sources).toMatchObject({
      member: ['member_id'],
      reward_id: ['reward_id'],
      reward_name: ['reward_name'],
      metadata: [],
    });
    expect(hoodie.member).toBe('side-loaded');
    // `state` (the shipping province) is left out: with no status field beside it, the normaliser
    // currently reads it as the status, which is what the doctor's statuses row would show.
    expect(hoodie.unread).toEqual(
      expect.arrayContaining([
        'uuid',
        'points',
        'address',
        'address_2',
        'city',
        'country',
        'zip',
        'phone_number',
      ]),
    );
  });

  it('finds a uuid as the id, an embedded member, a reward name alone and another date field', () => {
    const reading = readRedemption({
      uuid: '0b8f7e6d-5c4b-4a39-8281-7f6e5d4c3b2a',
      member: MAYA,
      reward: 'Brightline Hoodie',
      redeemed_at: AT,
      state: 'pending',
    });

    expect(reading.sources).toEqual({
      id: ['uuid'],
      member: ['member'],
      reward_id: [],
      reward_name: ['reward'],
      requested_at: ['redeemed_at'],
      metadata: [],
      status: ['state'],
    });
    expect(reading.member).toBe('embedded');
    expect(reading.unread).toEqual([]);
  });

  it.each([
    [
      'a list of key/value pairs inside the reward',
      { reward: { id: 731, metadata: [{ key: 'amount', value: '25.00' }] } },
      ['reward.metadata'],
      'a list of key/value pairs',
    ],
    [
      'a JSON string',
      { reward_metadata: '{"amount":"25.00"}' },
      ['reward_metadata'],
      'a JSON string',
    ],
  ])('finds Reward Metadata sent as %s', (_name, fields, sources, form) => {
    const reading = readRedemption({ id: 1, ...fields });

    expect(reading.sources.metadata).toEqual(sources);
    expect(reading.metadataForm).toBe(form);
    expect(reading.redemption.metadata).toEqual({ amount: '25.00' });
  });

  it('names both fields when the same date is sent twice, and neither as unread', () => {
    const reading = readRedemption({ id: 1, requested_at: AT, created_at: AT });

    expect(reading.sources.requested_at).toEqual(['requested_at', 'created_at']);
    expect(reading.unread).toEqual([]);
  });

  it('tells a status that says pending from one that was not sent', () => {
    expect(readRedemption({ id: 1, status: 'pending' }).sources.status).toEqual(['status']);
    const unsent = readRedemption({ id: 1 });
    expect(unsent.sources.status).toEqual([]);
    expect(unsent.redemption.status).toBe('pending');
  });

  it('tells a member id with no side-loaded record apart, and a field the output replaces', () => {
    const reading = readRedemption({ id: 1, contact_id: 90211, summary: 'Gift card' }, []);

    expect(reading.member).toBe('id-only');
    expect(reading.replaced).toEqual(['summary']);
    expect(reading.unread).toEqual([]);
  });

  it.each([
    [{ member: { ...MAYA, untrusted: true } }, 'member.untrusted'],
    [{ member: { ...MAYA, trusted: false } }, 'member.trusted'],
    [{ trusted: false }, 'trusted'],
    [{ member: { ...MAYA, trusted: true } }, undefined],
  ])('reads an untrusted advocate from %j', (fields, field) => {
    expect(readRedemption({ id: 1, ...fields }).untrustedBy).toBe(field);
  });
});

describe('inspectPage', () => {
  it('reads the page size, the next link and the order', () => {
    const page = inspectPage(page1);

    expect(page).toMatchObject({
      listKey: 'reward_redemptions',
      listFound: true,
      contactsKey: 'contacts',
      contactsCount: 2,
      count: 2,
      nextLink: 'https://api.influitive.com/reward_redemptions?page=2',
      order: 'oldest_first',
      unreadable: [],
    });
  });

  it('reads a bare list, and counts a record without an id as unreadable', () => {
    const page = inspectPage([
      { id: 2, created_at: '2026-11-21T10:00:00Z' },
      { id: 1, created_at: '2026-11-20T10:00:00Z' },
      { uuid: '', note: 'x' },
    ]);

    expect(page).toMatchObject({ listKey: undefined, listFound: true, count: 3 });
    expect(page.order).toBe('newest_first');
    expect(page.unreadable).toEqual([
      'The reward redemption has no id (looked for reward_redemption_id, redemption_id, redemption_uuid, id, uuid); its fields are: uuid, note.',
    ]);
  });

  it('says so when the answer holds no list of redemptions', () => {
    const page = inspectPage({ items: [{ id: 1 }], total: 1 });

    expect(page).toMatchObject({ listFound: false, bodyFields: ['items', 'total'], count: 0 });
    expect(formatPage(page)).toEqual([
      '   per page        no list of redemptions in the answer (its fields: items, total)',
    ]);
  });
});

describe('inspectWebhook', () => {
  it('finds a redemption wrapped twice', () => {
    const webhook = inspectWebhook({
      data: { reward_redemption: { id: 7, contact: MAYA, created_at: AT } },
    });

    expect(webhook.wrapping).toEqual(['data', 'reward_redemption']);
    expect(webhook.besideWrapper).toEqual([]);
    expect(webhook.reading.member).toBe('embedded');
  });
});

describe('warningsFor', () => {
  it('warns about records the app would skip, a missing list, and missing emails and dates', () => {
    const skipped = inspectPage({ reward_redemptions: [{ name: 'x' }] });
    const noList = inspectPage({ results: [] });
    const bare = inspectPage({ reward_redemptions: [{ id: 5, contact_id: 1 }] });

    expect(warningsFor({ readings: skipped.readings, page: skipped })).toEqual([
      '1 record on the page cannot be read as a redemption and would be skipped: The reward redemption has no id (looked for reward_redemption_id, redemption_id, redemption_uuid, id, uuid); its fields are: name.',
    ]);
    expect(warningsFor({ readings: [], page: noList })[0]).toMatch(
      /^The answer to GET \/reward_redemptions holds no list of redemptions the app recognises \(fields: results\)/,
    );
    expect(warningsFor({ readings: bare.readings, page: bare })).toEqual([
      expect.stringMatching(/^No Reward Metadata on this redemption\./),
      '1 of 1 redemption has no member email (5), so a vendor step that sends the reward by email has no address to use.',
      '1 of 1 redemption has no request date the app can read (5): the list order cannot be told from them and the polling trigger cannot put them newest first.',
    ]);
  });

  it('warns about rewards the Reward dropdown cannot offer', () => {
    const page = inspectPage(page1);
    const rewards = [{ id: '731', name: 'Amazon.com Gift Card ($25)' }];

    const warnings = warningsFor({
      readings: page.readings,
      page,
      rewards: { rewards, body: { rewards, links: { next: 'https://api.influitive.com/x?p=2' } } },
    });

    expect(warnings).toContain(
      'GET /external/rewards has a next page: the Reward dropdowns reach the rest with "Load more", up to 10 pages; past that, type a reward\'s ID.',
    );
    expect(warnings).toContain(
      'Reward 812 on the pending page is not in GET /external/rewards, so the Reward filter cannot offer it.',
    );
  });
});
