/**
 * The pending list through core's Lambda handler, against the Influitive sandbox in both list
 * orders, on the discrete-event test clock: the sandbox's latency and the app's waits run on it,
 * so request counts and outcomes are the same on any machine.
 */

import type { InfluitiveSandbox } from '../../../sandbox';
import { MAX_REQUESTS_PER_RUN } from '../../../src/influitive/pending';
import { DEFAULT_RECHECK_AT_MS, recheckSchedule } from '../../../src/influitive/pending/verify';
import { testClock } from '../../helpers/clock';
import { messageOf, rejectionOf } from '../../helpers/errors';
import { type Order, usePendingHub } from '../../helpers/pending-hub';

const { rpc, hubWith, requestReward, inListOrder, listRequests, deliver, deliverId } =
  usePendingHub();

describe.each<Order>(['newest_first', 'oldest_first'])('the hook, listed %s', (order) => {
  it('confirms a new redemption with 300 pending, and the next ones at a request or two each', async () => {
    const hub = await hubWith(order, 300);
    const first = requestReward(hub);
    await expect(deliverId(first)).resolves.toMatchObject([
      { id: String(first), status: 'pending' },
    ]);
    // Newest first it is on page 1; oldest first the first run reads to the tail once.
    expect(listRequests(hub)).toBe(order === 'newest_first' ? 1 : 13);
    const before = listRequests(hub);
    for (let i = 0; i < 5; i += 1) {
      const id = requestReward(hub);
      await expect(deliverId(id)).resolves.toMatchObject([{ id: String(id) }]);
    }
    expect(listRequests(hub) - before).toBeLessThanOrEqual(10);
  });

  it('triggers for a redemption the API lists 12 s after its webhook', async () => {
    const hub = await hubWith(order, 30);
    const started = testClock.now();
    const id = requestReward(hub, 12_000);
    await expect(deliverId(id)).resolves.toMatchObject([{ id: String(id) }]);
    expect(testClock.now() - started).toBeGreaterThanOrEqual(12_000);
    expect(testClock.now() - started).toBeLessThan(25_000);
  });

  it.each([0, 300, 800])(
    'halts a forged id with 30 pending within 12 requests and 28 s, at %i ms a request',
    async (latencyMs) => {
      const hub = await hubWith(order, 30, { latencyMs });
      const started = testClock.now();
      const error = await rejectionOf(deliverId(99_999_999));
      expect(error.name).toBe('HaltedError');
      expect(messageOf(error)).toMatch(
        /^Not pending: reward redemption 99999999 is not in Influitive's pending list\. This run read the whole list \d+ times over \d+ s.*the last two reads agreed/,
      );
      expect(listRequests(hub)).toBeLessThanOrEqual(12);
      expect(testClock.now() - started).toBeLessThan(28_000);
    },
  );

  it('lets 5 forged posts at once share their early reads', async () => {
    // One an hour, as a real backlog is spread: the front of the list reaches back at once.
    const hub = await hubWith(order, 30, { spacingMs: 60 * 60_000 });
    const errors = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => rejectionOf(deliverId(90_000_000 + n, `zap-${n}`))),
    );
    expect(errors.map((error) => error.name)).toEqual(Array(5).fill('HaltedError'));
    expect(listRequests(hub)).toBeLessThanOrEqual(30);
  });

  it('never halts a pending redemption that moved between page reads', async () => {
    // Each time page 2 is asked for, one redemption of page 1 is decided just before the answer:
    // every later item moves up a page, and the first of page 2 is skipped by that read.
    let watched = 0;
    const hub: InfluitiveSandbox = await hubWith(order, 60, {
      beforeAnswer: async (request) => {
        if (request.url.searchParams.get('page') !== '2') return;
        const victim = inListOrder(hub).find(
          (record, index) => index < 25 && record.id !== watched,
        );
        if (victim) hub.decideNow(victim.id);
      },
    });
    watched = inListOrder(hub)[25]?.id ?? 0;
    await expect(deliverId(watched)).resolves.toMatchObject([{ id: String(watched) }]);
  });

  it('runs a redemption listed as approved, with its status as sent', async () => {
    const hub = await hubWith(order, 10);
    const id = requestReward(hub);
    hub.listAs(id, 'approved');
    await expect(deliverId(id)).resolves.toMatchObject([{ id: String(id), status: 'approved' }]);
  });

  it('verifies a flat event body by its reward_redemption_id, not the event id', async () => {
    const hub = await hubWith(order, 10);
    const [decoy] = hub.redemptions('pending');
    const id = requestReward(hub);
    const body = { id: decoy?.id, reward_redemption_id: id, reward_id: 1, contact_id: 1 };
    await expect(deliver(body)).resolves.toMatchObject([{ id: String(id) }]);
  });
});

describe('the hook and its claims', () => {
  it('runs the first and only delivery when the claim was stored but its answer lost', async () => {
    const hub = await hubWith('newest_first', 10);
    const id = requestReward(hub);
    rpc().mode = 'lose-answers';
    await expect(deliverId(id)).resolves.toMatchObject([{ id: String(id) }]);
    rpc().mode = 'up';
    const repeat = await rejectionOf(deliverId(id));
    expect(messageOf(repeat)).toMatch(/^Repeat: reward redemption/);
  });

  it('says "could not tell", never halts, when the list is longer than one run reads', async () => {
    const hub = await hubWith('oldest_first', 1_100);
    const error = await rejectionOf(deliverId(99_999_999));
    expect(error.name).not.toBe('HaltedError');
    expect(messageOf(error)).toMatch(
      /^Could not tell whether reward redemption 99999999 is pending: the pending list is longer than one run may read \(40 requests.*pick it up/,
    );
    expect(messageOf(error)).not.toMatch(/replay/i);
    expect(listRequests(hub)).toBeLessThanOrEqual(MAX_REQUESTS_PER_RUN);
  });

  it('says "could not tell", never halts, when two early whole reads spend the run before its last re-check', async () => {
    // Found by the fuzz tier (seed 1319040059): oldest first, 18 pages. The first delivery learns
    // the tail; the second is listed 9 s after its webhook. Its whole reads at 0 and 5 s agree and
    // use the run's 40 requests, so the 12 and 20 s re-checks never happen: those two reads are
    // no proof that the API will not list it, and a halt would drop a genuine reward in silence.
    const hub = await hubWith('oldest_first', 440);
    const first = requestReward(hub);
    await expect(deliverId(first)).resolves.toMatchObject([{ id: String(first) }]);
    const late = requestReward(hub, 9_000);
    const before = listRequests(hub);
    const error = await rejectionOf(deliverId(late));
    expect(error.name).not.toBe('HaltedError');
    expect(messageOf(error)).toMatch(
      new RegExp(
        `^Could not tell whether reward redemption ${late} is pending: reading the whole pending list used this run's 40 requests .* before its last re-check, 20 s after the webhook arrived, .*pick it up`,
      ),
    );
    expect(messageOf(error)).not.toMatch(/replay/i);
    expect(listRequests(hub) - before).toBeLessThanOrEqual(MAX_REQUESTS_PER_RUN);
  });

  it('ends a read over slow pages with an error before Zapier stops the run', async () => {
    const hub = await hubWith('oldest_first', 300, { latencyMs: 4_000 });
    const started = testClock.now();
    const error = await rejectionOf(deliverId(99_999_999));
    expect(error.name).not.toBe('HaltedError');
    expect(messageOf(error)).toMatch(/^Could not tell whether reward redemption 99999999/);
    expect(testClock.now() - started).toBeLessThan(28_000);
    expect(listRequests(hub)).toBeLessThanOrEqual(7);
  });
});

describe('a hub that answers GET /reward_redemptions/{id}', () => {
  const askRecord = (id: number) =>
    deliver({ reward_redemption: { id } }, 'zap-record', { record_endpoint: true });
  const recordRequests = (hub: InfluitiveSandbox) =>
    hub.requestLog.filter((entry) => /^\/reward_redemptions\/\d+$/.test(entry.path)).length;

  it('confirms a webhook with that one request when the Zap says the hub answers it', async () => {
    const hub = await hubWith('oldest_first', 300, { singleRecord: true });
    const id = requestReward(hub);
    await expect(askRecord(id)).resolves.toMatchObject([{ id: String(id), status: 'pending' }]);
    expect(recordRequests(hub)).toBe(1);
    expect(listRequests(hub)).toBe(1);
  });

  it("halts on the record's own decided status, without reading the list", async () => {
    const hub = await hubWith('newest_first', 30, { singleRecord: true });
    const id = requestReward(hub);
    hub.decideNow(id);
    const error = await rejectionOf(askRecord(id));
    expect(error.name).toBe('HaltedError');
    expect(messageOf(error)).toMatch(
      new RegExp(`^Not pending: Influitive says reward redemption ${id} is already fulfilled`),
    );
    expect(listRequests(hub)).toBe(1);
  });

  it('reads the pending list as usual when the hub answers 404 (endpoint missing, or not listed yet)', async () => {
    const hub = await hubWith('newest_first', 30);
    const id = requestReward(hub);
    await expect(askRecord(id)).resolves.toMatchObject([{ id: String(id) }]);
    expect(recordRequests(hub)).toBe(1);
    expect(listRequests(hub)).toBe(2);
  });

  it('never asks for the record when the Zap leaves the input off', async () => {
    const hub = await hubWith('newest_first', 30, { singleRecord: true });
    const id = requestReward(hub);
    await expect(deliverId(id)).resolves.toMatchObject([{ id: String(id) }]);
    expect(recordRequests(hub)).toBe(0);
  });
});

describe('the re-check schedule', () => {
  it('checks at 0, 5, 12 and 20 s by default, and takes shorter gaps from the environment', () => {
    expect(recheckSchedule()).toEqual(DEFAULT_RECHECK_AT_MS);
    process.env.INFLUITIVE_VERIFY_RETRY_DELAYS_MS = '100, x, -1,200';
    try {
      expect(recheckSchedule()).toEqual([0, 100, 300]);
    } finally {
      delete process.env.INFLUITIVE_VERIFY_RETRY_DELAYS_MS;
    }
  });
});
