/**
 * Bursts of webhooks through core's Lambda handler, on the discrete-event test clock: 50 genuine
 * webhooks at once with 300 pending, with each Influitive request taking 0, 300 and 800 ms. The
 * list orders run in separate files: core's handler exits a process that has run 250 events with a
 * large heap, and both orders' bursts would pass that in one jest worker.
 */
import { type Order, usePendingHub } from '../../helpers/pending-hub';

jest.setTimeout(120_000);

export const describeBursts = (order: Order) => {
  const { hubWith, requestReward, listRequests, deliverId, rpc } = usePendingHub();
  describe(`a burst, listed ${order}`, () => {
    it.each([0, 300, 800])(
      'confirms a burst of 50 genuine webhooks with 300 pending in at most 100 requests, at %i ms a request',
      async (latencyMs) => {
        const hub = await hubWith(order, 300, { latencyMs });
        const ids = Array.from({ length: 50 }, () => requestReward(hub));
        const results = await Promise.all(ids.map((id) => deliverId(id)));
        expect(results.map((r) => r[0]?.id)).toEqual(ids.map(String));
        expect(listRequests(hub)).toBeLessThanOrEqual(100);
        // Runs that wait for the burst's one reader ask the cache once a second (its read lock),
        // not twice: 545 calls at 300 ms a request and 888 at 800 ms (1,427 when they asked twice).
        expect(rpc().calls.length).toBeLessThanOrEqual(20 * ids.length);
      },
    );
  });
};
