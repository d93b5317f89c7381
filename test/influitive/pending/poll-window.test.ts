/**
 * The poll window through core's Lambda handler, against the Influitive sandbox in both list
 * orders, on the discrete-event test clock: the sandbox's latency and the app's waits run on it,
 * so request counts and outcomes are the same on any machine.
 */
import { WINDOW_MS } from '../../../src/influitive/pending/window';
import { type Order, type Out, usePendingHub } from '../../helpers/pending-hub';
import { PollingZap } from '../../helpers/polling-zap';

const { rpc, hubWith, requestReward, listRequests, poll } = usePendingHub();
const decide = (hub: { decideNow: (id: number) => void }, id: number) => hub.decideNow(id);

describe.each<Order>(['newest_first', 'oldest_first'])('the poll, listed %s', (order) => {
  const zapOn = () => new PollingZap<Out>((populating) => poll(populating));

  it('never fires the backlog, and fires each redemption requested while on exactly once', async () => {
    // 3,000 pending, one every 10 minutes: the oldest are three weeks old.
    const hub = await hubWith(order, 3_000, { spacingMs: 10 * 60_000 });
    const zap = zapOn();
    // Oldest first, 120 pages take a few polls to read to the end; each says so loudly. What is
    // requested meanwhile joins the baseline (the still-waiting trigger reports it), never the
    // backlog's way into the Zap.
    const meanwhile: number[] = [];
    for (let poll = 0; poll < 6; poll += 1) {
      expect(await zap.run()).toEqual([]);
      if (zap.errors.length === poll) break;
      meanwhile.push(requestReward(hub));
    }
    if (order === 'newest_first') expect(zap.errors).toEqual([]);
    else expect(zap.errors.slice(4)).toEqual([]);
    expect(zap.errors[0] ?? '').not.toMatch(/replay/i);
    const ids = Array.from({ length: 3 }, () => requestReward(hub));
    const fired = await zap.run();
    expect(fired.map((r) => r.id).sort()).toEqual(ids.map(String).sort());
    for (const id of meanwhile) expect(fired.map((r) => r.id)).not.toContain(String(id));
    expect(await zap.run()).toEqual([]);
  });

  it('returns every one of 130 redemptions requested between two polls', async () => {
    const hub = await hubWith(order, 300, { spacingMs: 60 * 60_000 });
    const zap = zapOn();
    await zap.run();
    const ids = Array.from({ length: 130 }, () => requestReward(hub));
    const fired = await zap.run();
    expect(fired).toHaveLength(130);
    expect(new Set(fired.map((r) => r.id))).toEqual(new Set(ids.map(String)));
  });

  it('fires nothing while an admin works the backlog, or after the cache is lost', async () => {
    const hub = await hubWith(order, 200, { spacingMs: 30 * 60_000 });
    const zap = zapOn();
    await zap.run();
    // The admin decides the 40 newest of the backlog, then the cache is lost.
    for (const record of hub.redemptions('pending').slice(0, 40)) decide(hub, record.id);
    expect(await zap.run()).toEqual([]);
    rpc().reset();
    expect(await zap.run()).toEqual([]);
    const second = zapOn();
    await second.run();
    const id = requestReward(hub);
    expect((await zap.run()).map((r) => r.id)).toEqual([String(id)]);
    expect((await second.run()).map((r) => r.id)).toEqual([String(id)]);
  });

  it(`keeps a poll to a few requests once the window is known, whatever the backlog`, async () => {
    const hub = await hubWith(order, 3_000, { spacingMs: 10 * 60_000 });
    const zap = zapOn();
    for (let poll = 0; poll < 6 && zap.errors.length === poll; poll += 1) await zap.run();
    await zap.run();
    requestReward(hub);
    const before = listRequests(hub);
    expect(await zap.run()).toHaveLength(1);
    // The window (48 h, one every 10 minutes: about 290) is 12 pages; oldest first adds one.
    expect(listRequests(hub) - before).toBeLessThanOrEqual(Math.ceil(WINDOW_MS / 600_000 / 25) + 2);
  });
});
