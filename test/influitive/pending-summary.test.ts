import { amountOf, dateIn, summarizePending } from '../../src/influitive/pending-summary';
import { redemptionSample } from '../../src/influitive/samples';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const redemption = (
  id: string,
  reward: [string, string],
  requestedAt: string,
  metadata: Record<string, unknown> = {},
) => ({
  ...redemptionSample,
  id,
  reward_id: reward[0],
  reward: { id: reward[0], name: reward[1] },
  requested_at: requestedAt,
  metadata,
  summary: `${reward[1]} for advocate ${id}`,
});
const CARD: [string, string] = ['731', 'Amazon.com Gift Card ($25)'];
const HOODIE: [string, string] = ['742', 'Brightline Hoodie (Unisex)'];

describe('summarizePending', () => {
  const list = [
    redemption('1', CARD, '2026-11-22T10:00:00Z', { amount: '25.00' }),
    redemption('2', HOODIE, '2026-11-20T09:00:00Z'),
    redemption('3', CARD, '2026-11-21T08:00:00Z', { amount: 25 }),
    redemption('4', CARD, '2026-11-21T08:00:00Z', { amount: 'twenty' }),
    redemption('5', HOODIE, '2026-11-10T08:00:00Z', { amount: '0.10' }),
  ];

  it('counts the pending, the oldest, each reward and the amount total', () => {
    const summary = summarizePending(list, { complete: true, now: NOW, amountField: 'amount' });
    expect(summary).toMatchObject({
      id: '2026-11-23',
      pending_count: 5,
      pending_count_complete: true,
      oldest_redemption_id: '5',
      oldest_waiting_days: 13.1,
      amount_total: 50.1,
      amount_counted: 3,
      per_reward_text: 'Amazon.com Gift Card ($25): 3; Brightline Hoodie (Unisex): 2',
    });
    expect(summary.per_reward).toEqual([
      { reward_id: '731', reward_name: 'Amazon.com Gift Card ($25)', count: 3, amount_total: 50 },
      { reward_id: '742', reward_name: 'Brightline Hoodie (Unisex)', count: 2, amount_total: 0.1 },
    ]);
    expect(summary.text).toBe(
      '2026-11-23: 5 reward requests pending in Influitive. Oldest: Brightline Hoodie (Unisex) for advocate 5, waiting 13.1 days. By reward: Amazon.com Gift Card ($25): 3; Brightline Hoodie (Unisex): 2. Total amount: 50.1.',
    );
  });

  it('says "at least" when the list was longer than one check reads', () => {
    const summary = summarizePending(list, { complete: false, now: NOW, amountField: 'amount' });
    expect(summary.text).toMatch(
      /^2026-11-23: at least 5 reward requests pending in Influitive\. Oldest of those read: /,
    );
    expect(summary.pending_count_complete).toBe(false);
  });

  it('has no amount total when no redemption carries the field, and no oldest when empty', () => {
    expect(
      summarizePending(list, { complete: true, now: NOW, amountField: 'cost' }).amount_total,
    ).toBeNull();
    expect(summarizePending([], { complete: true, now: NOW, amountField: 'amount' })).toMatchObject(
      {
        pending_count: 0,
        oldest_redemption_id: null,
        per_reward: [],
        text: '2026-11-23: 0 reward requests pending in Influitive.',
      },
    );
  });

  it('dates the summary in the Zap time zone, or UTC when the zone is unknown', () => {
    const lateEvening = Date.parse('2026-11-24T02:30:00Z');
    expect(dateIn(lateEvening, 'America/Toronto')).toBe('2026-11-23');
    expect(dateIn(lateEvening, 'Not/AZone')).toBe('2026-11-24');
    expect(dateIn(lateEvening, undefined)).toBe('2026-11-24');
  });

  it.each([
    [25, 25],
    ['25.00', 25],
    ['$1,250.50', 1250.5],
    ['twenty', undefined],
    [null, undefined],
    [Number.NaN, undefined],
  ])('reads the amount %p as %p', (value, expected) => {
    expect(amountOf(value)).toBe(expected);
  });
});
