/**
 * The safety net against the Influitive sandbox, through core's Lambda handler, on the injected
 * clock: "Reward Request Still Waiting" in both list orders with 3,000 pending under a model of
 * Zapier's polling de-dupe, reminders, the reward filter, rewards Influitive fulfills itself, and
 * the daily summary's figures.
 */
import {
  type InfluitiveSandbox,
  SANDBOX_ORG_ID,
  SANDBOX_TOKEN,
  startInfluitiveSandbox,
} from '../../../sandbox';
import { MAX_REQUESTS_PER_RUN } from '../../../src/influitive/pending';
import { emptyHints, HINTS_KEY } from '../../../src/influitive/pending/hints';
import { hookBundle, makeBundle } from '../../helpers/bundle';
import { testClock } from '../../helpers/clock';
import { messageOf, rejectionOf } from '../../helpers/errors';
import { runOperation } from '../../helpers/run';
import { FakeZapierRpc } from '../../helpers/zapier-rpc';

const STILL_WAITING = 'triggers.overdue_reward_redemption.operation.perform';
const POLL = 'triggers.new_reward_redemption.operation.perform';
const HOOK = 'triggers.reward_redemption_requested.operation.perform';
const SUMMARY = 'triggers.pending_rewards_summary.operation.perform';
const HOUR = 3_600_000;
const authData = { api_token: SANDBOX_TOKEN, org_id: SANDBOX_ORG_ID };
type Order = 'newest_first' | 'oldest_first';
type Alert = {
  id: string;
  redemption_id: string;
  waiting_hours: number;
  reminder_number: number;
  reward_id: string;
  reward_provider: string | null;
  fulfilled_by_influitive: boolean;
  idempotency_key: string;
};

let rpc: FakeZapierRpc;
let sandbox: InfluitiveSandbox | undefined;

beforeAll(async () => {
  rpc = await new FakeZapierRpc().start();
});
afterAll(() => rpc.stop());
afterEach(async () => {
  rpc.reset();
  await sandbox?.close();
  sandbox = undefined;
  delete process.env.INFLUITIVE_API_URL;
});

const startHub = async (options: Parameters<typeof startInfluitiveSandbox>[0]) => {
  sandbox = await startInfluitiveSandbox({
    rateLimit: false,
    now: () => new Date(testClock.now()),
    ...options,
  });
  process.env.INFLUITIVE_API_URL = sandbox.url;
  return sandbox;
};

/**
 * Zapier's polling de-dupe: the first poll that succeeds after the Zap is turned on records the ids
 * it returns; each later poll starts the Zap for ids not seen before. A poll that errors records
 * nothing (Zapier shows the error).
 */
class ZapierPollingModel {
  private readonly seen = new Set<string>();
  private baseline = false;
  readonly requests: number[] = [];
  readonly errors: string[] = [];

  constructor(
    private readonly hub: InfluitiveSandbox,
    private readonly inputData: Record<string, unknown> = {},
  ) {}

  /** The alerts that start the Zap on this poll, or undefined when the poll errored. */
  async poll(): Promise<Alert[] | undefined> {
    const before = this.hub.requestLog.length;
    const base = makeBundle();
    const bundle = makeBundle({
      authData,
      inputData: this.inputData,
      meta: { ...base.meta, isPopulatingDedupe: !this.baseline },
    });
    let items: Alert[];
    try {
      items = (await runOperation(STILL_WAITING, bundle, rpc.url)) as Alert[];
    } catch (error) {
      this.errors.push(messageOf(error));
      return undefined;
    } finally {
      this.requests.push(this.hub.requestLog.length - before);
    }
    const fresh = this.baseline ? items.filter((item) => !this.seen.has(item.id)) : [];
    for (const item of items) this.seen.add(item.id);
    this.baseline = true;
    return fresh;
  }
}

describe.each<Order>(['oldest_first', 'newest_first'])(
  'Reward Request Still Waiting, %s, 3,000 pending',
  (order) => {
    it('reads the oldest end within the cap and starts the Zap once per redemption that falls overdue', async () => {
      const hub = await startHub({ seed: false, listOrder: order });
      // One every 36 s over 30 hours: the oldest 600 have waited more than 24 hours.
      const ids = hub.seedPending(3_000, { everyMs: 36_000 });
      const zap = new ZapierPollingModel(hub);

      // Turning the Zap on: a newest-first list this long takes a few checks to learn its tail,
      // each an error that says so; an oldest-first one is read from its first pages at once.
      let baseline: Alert[] | undefined;
      for (let check = 0; check < 5 && baseline === undefined; check += 1) {
        baseline = await zap.poll();
      }
      expect(baseline).toEqual([]);
      expect(zap.errors).toHaveLength(order === 'newest_first' ? 3 : 0);
      for (const error of zap.errors) {
        expect(error).toMatch(
          /^Could not reach the oldest pending redemptions in this check: Influitive lists them newest first.*kept its place/,
        );
        expect(error).not.toMatch(/replay/i);
      }

      // An hour later 100 more have waited a day, and 10 new requests arrive at the front.
      testClock.advance(HOUR);
      for (let i = 0; i < 10; i += 1) {
        hub.addRedemption({ rewardId: 731, contactId: hub.members[1]?.id ?? 0 });
      }
      const fired = await zap.poll();
      const expected = ids.slice(600, 700).map(String);
      expect(fired?.map((alert) => alert.id).sort()).toEqual(expected.sort());
      expect(fired?.every((a) => a.waiting_hours === 24 && a.reminder_number === 0)).toBe(true);

      // The next checks start nothing more: each redemption fired once.
      expect(await zap.poll()).toEqual([]);
      // A minute later, exactly the one that crossed 24 hours in that minute.
      testClock.advance(60_000);
      expect((await zap.poll())?.map((alert) => alert.id)).toEqual([String(ids[700])]);
      expect(Math.max(...zap.requests)).toBeLessThanOrEqual(MAX_REQUESTS_PER_RUN);
      // Once the oldest end is known, a check reads only it: never the whole list.
      expect(zap.requests.at(-1)).toBeLessThan(40);
    });
  },
);

describe('Reward Request Still Waiting with more overdue than one check reads', () => {
  it('reports the oldest it can read on an oldest-first list, and logs that more are waiting', async () => {
    const hub = await startHub({ seed: false, listOrder: 'oldest_first' });
    // One a minute over 50 hours: about 1,560 have waited a day, more than 40 pages of 25.
    const ids = hub.seedPending(3_000, { everyMs: 60_000 });
    const logs: string[] = [];
    const before = hub.requestLog.length;
    const alerts = (await runOperation(
      STILL_WAITING,
      makeBundle({ authData }),
      rpc.url,
      logs,
    )) as Alert[];
    expect(hub.requestLog.length - before).toBe(MAX_REQUESTS_PER_RUN);
    expect(alerts).toHaveLength(1_000);
    expect(alerts.at(-1)?.id).toBe(String(ids[0]));
    expect(logs.join('\n')).toMatch(
      /More redemptions have waited longer than 24 hours than one check reads; this check reported 1000 of them\. The next check reads on after them/,
    );
  });

  it('reads on after them at the next check, so each overdue redemption starts the Zap once', async () => {
    const hub = await startHub({ seed: false, listOrder: 'oldest_first' });
    const ids = hub.seedPending(3_000, { everyMs: 60_000 });
    const zap = new ZapierPollingModel(hub);
    // The Zap was on before they fell overdue: the baseline holds none of them.
    testClock.advance(-30 * HOUR);
    expect(await zap.poll()).toEqual([]);
    testClock.advance(30 * HOUR);
    // 1,560 are overdue now: the oldest 1,000 at this check, the rest at the next.
    const first = (await zap.poll()) ?? [];
    const second = (await zap.poll()) ?? [];
    const third = (await zap.poll()) ?? [];
    expect(first).toHaveLength(1_000);
    expect([...first, ...second].map((a) => a.id).sort()).toEqual(
      ids.slice(0, 1_560).map(String).sort(),
    );
    expect(third).toEqual([]);
    expect(Math.max(...zap.requests)).toBeLessThanOrEqual(MAX_REQUESTS_PER_RUN);
  });
});

describe('Reward Request Still Waiting and a cached layout that is wrong', () => {
  it('reads the list itself when the pages it is sent to are not newest first after all', async () => {
    const hub = await startHub({ seed: false, listOrder: 'oldest_first' });
    // 60 pending, one an hour: the oldest 36 have waited at least a day.
    const ids = hub.seedPending(60, { everyMs: HOUR });
    const page = (n: number) => ({ url: `${hub.url}/reward_redemptions?page=${n}`, first: null });
    const layout = {
      ...emptyHints(),
      order: 'newest_first',
      tail: [page(1), page(2)],
      savedAt: testClock.now(),
    };
    rpc.store.set(
      FakeZapierRpc.scopedKey(HINTS_KEY, ['auth'], { userId: 'user-1', authId: 'auth-1' }),
      { value: JSON.stringify(layout), expiresAt: undefined },
    );
    const alerts = (await runOperation(
      STILL_WAITING,
      makeBundle({ authData }),
      rpc.url,
    )) as Alert[];
    expect(alerts.map((a) => a.id).sort()).toEqual(ids.slice(0, 36).map(String).sort());
  });

  it('reads the list again from its front when the last page the layout knows is now empty', async () => {
    const hub = await startHub({ seed: false });
    const ids = hub.seedPending(60, { everyMs: HOUR });
    // A layout from when the list had 200 pages: page 200 is empty now.
    const layout = {
      ...emptyHints(),
      order: 'newest_first',
      tail: [1, 2, 200].map((n) => ({
        url: `${hub.url}/reward_redemptions?page=${n}`,
        first: null,
      })),
      savedAt: testClock.now(),
    };
    rpc.store.set(
      FakeZapierRpc.scopedKey(HINTS_KEY, ['auth'], { userId: 'user-1', authId: 'auth-1' }),
      { value: JSON.stringify(layout), expiresAt: undefined },
    );
    const before = hub.requestLog.length;
    const alerts = (await runOperation(
      STILL_WAITING,
      makeBundle({ authData }),
      rpc.url,
    )) as Alert[];
    expect(alerts.map((a) => a.id).sort()).toEqual(ids.slice(0, 36).map(String).sort());
    // No known page says where the overdue part starts, so the list is read from its front: the
    // three pages, and page 200 never.
    expect(hub.requestLog.length - before).toBe(3);
  });
});

describe('Reward Request Still Waiting in the Zap editor', () => {
  it('reads one page for samples', async () => {
    const hub = await startHub({ agedSeed: true });
    const base = makeBundle();
    const before = hub.requestLog.length;
    const alerts = (await runOperation(
      STILL_WAITING,
      makeBundle({ authData, meta: { ...base.meta, isLoadingSample: true } }),
      rpc.url,
    )) as Alert[];
    expect(hub.requestLog.length - before).toBe(1);
    expect(alerts.map((a) => a.id)).toEqual(['48241', '48231', '48227', '48213', '48242', '48243']);
  });
});

describe('Reward Request Still Waiting on the seeded hub', () => {
  it('reminds again every N days with a new alert id and the same idempotency key', async () => {
    const hub = await startHub({ agedSeed: true });
    const zap = new ZapierPollingModel(hub, { remind_every_days: '2' });
    expect(await zap.poll()).toEqual([]);
    testClock.advance(48 * HOUR);
    const fired = (await zap.poll()) ?? [];
    const aged = fired.filter((a) => a.redemption_id.startsWith('4824')).map((a) => a.id);
    expect(aged.sort()).toEqual([
      '48240',
      '48241-reminder-1',
      '48242-reminder-2',
      '48243-reminder-5',
    ]);
    expect(fired.every((a) => a.id === a.redemption_id || /-reminder-\d+$/.test(a.id))).toBe(true);
    const reminder = fired.find((a) => a.id === '48243-reminder-5');
    expect(reminder?.idempotency_key).toBe(`influitive-b97d33f3-redemption-48243`);
    expect(await zap.poll()).toEqual([]);
  });

  it('only alerts for the chosen reward', async () => {
    await startHub({ agedSeed: true });
    const bundle = makeBundle({ authData, inputData: { reward_id: '731', min_age_hours: '24' } });
    const alerts = (await runOperation(STILL_WAITING, bundle, rpc.url)) as Alert[];
    expect(alerts.map((a) => a.id)).toEqual(['48213', '48243']);
    expect(alerts.every((a) => a.reward_id === '731')).toBe(true);
  });

  it('says what is wrong with an age that is not a whole number of hours', async () => {
    await startHub({ agedSeed: true });
    const bundle = makeBundle({ authData, inputData: { min_age_hours: 'a day' } });
    const error = await rejectionOf(runOperation(STILL_WAITING, bundle, rpc.url));
    expect(messageOf(error)).toBe(
      'Pending for at Least (Hours) must be a whole number from 1 to 10000, not "a day".',
    );
  });
});

describe('a Tango Card reward, which Influitive fulfills itself', () => {
  const tango = { reward_redemption: { id: 48244 } };
  const ids = (items: unknown) => (items as Alert[]).map((a) => a.id);

  it('is left out by the still-waiting and the polling triggers, and included with the input', async () => {
    const hub = await startHub({ agedSeed: true });
    // The poll returns the last 48 hours: a Tango Card redemption requested now is in its window.
    const recent = String(
      hub.addRedemption({ rewardId: 781, contactId: hub.members[0]?.id ?? 0 }).id,
    );
    const include = { include_influitive_fulfilled: true };
    expect(ids(await runOperation(STILL_WAITING, makeBundle({ authData }), rpc.url))).not.toContain(
      '48244',
    );
    expect(ids(await runOperation(POLL, makeBundle({ authData }), rpc.url))).not.toContain(recent);
    const included = (await runOperation(
      STILL_WAITING,
      makeBundle({ authData, inputData: include }),
      rpc.url,
    )) as Alert[];
    expect(included.find((a) => a.id === '48244')).toMatchObject({
      reward_provider: 'tango_card',
      fulfilled_by_influitive: true,
      waiting_hours: 72,
    });
    expect(
      ids(await runOperation(POLL, makeBundle({ authData, inputData: include }), rpc.url)),
    ).toContain(recent);
  });

  it('halts its webhook delivery naming the reward and provider, and fires it with the input', async () => {
    await startHub({ agedSeed: true });
    const error = await rejectionOf(runOperation(HOOK, hookBundle(tango, { authData }), rpc.url));
    expect(error.name).toBe('HaltedError');
    expect(messageOf(error)).toMatch(
      /^Fulfilled by Influitive: reward Starbucks eGift Card \(\$10\) \(781\) has the fulfillment provider "tango_card"/,
    );
    const fired = (await runOperation(
      HOOK,
      hookBundle(tango, { authData, inputData: { include_influitive_fulfilled: 'yes' } }),
      rpc.url,
    )) as Alert[];
    expect(fired).toMatchObject([
      { id: '48244', reward_provider: 'tango_card', fulfilled_by_influitive: true },
    ]);
  });

  it('marks the hub own rewards as yours on every redemption output', async () => {
    await startHub({ agedSeed: true });
    const fired = (await runOperation(
      HOOK,
      hookBundle({ reward_redemption: { id: 48241 } }, { authData }),
      rpc.url,
    )) as Alert[];
    expect(fired).toMatchObject([
      { id: '48241', reward_provider: 'custom', fulfilled_by_influitive: false },
    ]);
  });
});

describe('Daily Pending Rewards Summary', () => {
  it("counts the seeded hub's pending redemptions, the oldest, each reward and the amounts", async () => {
    const hub = await startHub({ agedSeed: true });
    const results = (await runOperation(SUMMARY, makeBundle({ authData }), rpc.url)) as Record<
      string,
      unknown
    >[];
    const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto' }).format(
      testClock.now(),
    );
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      id: date,
      pending_count: 8,
      pending_count_complete: true,
      oldest_redemption_id: '48243',
      oldest_waiting_days: 9,
      per_reward_text:
        'Amazon.com Gift Card ($25): 3; Brightline Hoodie (Unisex): 2; Visa Prepaid Card ($50): 2; Starbucks eGift Card ($10): 1',
      amount_total: 185,
      amount_counted: 6,
    });

    // Later checks that day cost no request and return the same item, which Zapier already saw.
    const before = hub.requestLog.length;
    const again = await runOperation(SUMMARY, makeBundle({ authData }), rpc.url);
    expect(again).toEqual(results);
    expect(hub.requestLog.length).toBe(before);
  });

  it('totals the chosen amount field and dates the summary in UTC without a time zone', async () => {
    await startHub({ agedSeed: true });
    rpc.mode = 'down';
    const base = makeBundle();
    const { timezone: _zone, ...meta } = base.meta as unknown as Record<string, unknown>;
    const bundle = makeBundle({
      authData,
      inputData: { amount_field: 'vendor_product_id' },
      meta: meta as never,
    });
    const [summary] = (await runOperation(SUMMARY, bundle, rpc.url)) as Record<string, unknown>[];
    expect(summary).toMatchObject({
      id: new Date(testClock.now()).toISOString().slice(0, 10),
      amount_field: 'vendor_product_id',
      amount_total: null,
      amount_counted: 0,
    });
  });
});
