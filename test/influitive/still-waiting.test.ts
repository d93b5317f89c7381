import { redemptionSample } from '../../src/influitive/samples';
import { stillWaiting } from '../../src/influitive/still-waiting';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-23T12:00:00Z');
const at = (hoursAgo: number) => new Date(NOW - hoursAgo * HOUR).toISOString();
const redemption = (id: string, hoursAgo: number | null, extra: Record<string, unknown> = {}) => ({
  ...redemptionSample,
  id,
  requested_at: hoursAgo === null ? null : at(hoursAgo),
  ...extra,
});

describe('stillWaiting', () => {
  it('alerts once for each redemption pending at least the chosen hours, with how long it waited', () => {
    const { alerts } = stillWaiting(
      [redemption('1', 23.9), redemption('2', 24), redemption('3', 75.5)],
      NOW,
      { minAgeHours: 24 },
    );
    expect(
      alerts.map((a) => [
        a.id,
        a.redemption_id,
        a.waiting_hours,
        a.waiting_days,
        a.reminder_number,
      ]),
    ).toEqual([
      ['2', '2', 24, 1, 0],
      ['3', '3', 75, 3.1, 0],
    ]);
  });

  it('keeps the idempotency keys of the redemption, whatever the alert id', () => {
    const { alerts } = stillWaiting([redemption('48213', 24 * 5)], NOW, {
      minAgeHours: 24,
      remindEveryDays: 2,
    });
    expect(alerts[0]).toMatchObject({
      id: '48213-reminder-2',
      redemption_id: '48213',
      idempotency_key: redemptionSample.idempotency_key,
      idempotency_key_alphanumeric: redemptionSample.idempotency_key_alphanumeric,
    });
  });

  it('gives each reminder a new id, one per period after the first alert', () => {
    const ids = [24, 47.9, 48, 71.9, 72, 120].map(
      (hours) =>
        stillWaiting([redemption('7', hours)], NOW, { minAgeHours: 24, remindEveryDays: 1 })
          .alerts[0]?.id,
    );
    expect(ids).toEqual(['7', '7', '7-reminder-1', '7-reminder-1', '7-reminder-2', '7-reminder-4']);
  });

  it('leaves out decided redemptions and those of other rewards', () => {
    const { alerts } = stillWaiting(
      [
        redemption('1', 30, { status: 'fulfilled' }),
        redemption('2', 30, { reward_id: '812', reward: { id: '812', name: 'Hoodie' } }),
        redemption('3', 30),
      ],
      NOW,
      { minAgeHours: 24, rewardId: '731' },
    );
    expect(alerts.map((a) => a.id)).toEqual(['3']);
  });

  it('counts undated redemptions apart instead of guessing how long they waited', () => {
    const result = stillWaiting([redemption('1', null), redemption('2', 48)], NOW, {
      minAgeHours: 24,
    });
    expect(result.undated).toBe(1);
    expect(result.alerts.map((a) => a.id)).toEqual(['2']);
  });

  it('lists alerts newest first by when they fell due, and a repeated id once', () => {
    const { alerts } = stillWaiting(
      [redemption('old', 200), redemption('new', 25), redemption('new', 25), redemption('mid', 60)],
      NOW,
      { minAgeHours: 24 },
    );
    expect(alerts.map((a) => a.id)).toEqual(['new', 'mid', 'old']);
  });
});
