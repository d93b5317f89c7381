import { type SandboxEnvironment, startSandboxEnvironment } from '../../sandbox/environment';
import { runFulfillmentLoop } from '../../sandbox/loop';

// The loop runs the built app (dist/) through the root index.js, as Zapier does; jest's global
// setup builds dist/ first (test/global-setup.ts).
describe('the fulfillment loop, end to end through the Lambda handler', () => {
  let env: SandboxEnvironment;
  beforeAll(async () => {
    env = await startSandboxEnvironment();
  });
  afterAll(async () => {
    await env.close();
    delete process.env.INFLUITIVE_API_URL;
  });

  it('passes every step and leaves the sandboxes in the expected state', async () => {
    const steps = await runFulfillmentLoop(env);
    expect(steps.filter((s) => !s.ok)).toEqual([]);
    expect(steps).toHaveLength(10);

    // Influitive: the requested Visa card fulfilled with the vendor link, the hoodie refused.
    const requested = env.influitive.redemptions().find((r) => r.id >= 48300);
    expect(requested).toMatchObject({ status: 'fulfilled', reward_id: 755 });
    expect(requested?.decision_message).toMatch(
      /^Your \$50\.00 Visa prepaid card is ready: https:\/\/.+\/rewards\/payout\//,
    );
    expect(env.influitive.redemption(48227)).toMatchObject({ status: 'refused' });
    // The redemption whose webhook was lost is still pending, and step 10 caught it.
    const lost = env.influitive.redemptions().find((r) => r.id > (requested?.id ?? 0));
    expect(env.influitive.redemptions('pending').map((r) => r.id)).toEqual([
      lost?.id,
      48231,
      48213,
    ]);
    expect(steps[9]?.detail).toMatch(
      new RegExp(
        `^Visa Prepaid Card \\(\\$50\\) for Diego Alvarez .*, pending 30 hours with no webhook, caught with key influitive-b97d33f3-redemption-${lost?.id} `,
      ),
    );
    // Exactly one decision per redemption: no double fulfill.
    expect(
      env.influitive.decisions.filter((d) => d.applied).map((d) => [d.redemptionId, d.decision]),
    ).toEqual([
      [requested?.id, 'fulfill'],
      [48227, 'refuse'],
    ]);

    // Vendor: one order, keyed by the trigger's idempotency key, for the Reward Metadata amount.
    expect(env.vendor.orders).toHaveLength(1);
    expect(env.vendor.orders[0]).toMatchObject({
      external_id: `influitive-b97d33f3-redemption-${requested?.id}`,
    });

    // Hooks: two deliveries fired, three halted (webhook replay, wrong key, duplicate event).
    expect(env.gateway.deliveries.map((d) => `${d.trigger}:${d.outcome}`)).toEqual([
      'reward_redemption_requested:triggered',
      'reward_redemption_requested:halted',
      'loudcrowd_reward_event:triggered',
      'loudcrowd_reward_event:halted',
      'loudcrowd_reward_event:halted',
    ]);
  });

  it('reports the step that failed, with the cause, and stops there', async () => {
    // Run again with Influitive failing the refusal of step 5: the report names it and stops.
    env.influitive.injectFault({
      kind: 'status',
      status: 500,
      body: '{"error":"Internal Server Error"}',
      contentType: 'application/json',
      method: 'POST',
      path: '/reward_redemptions/48227/decision/refuse',
    });
    const steps = await runFulfillmentLoop(env);
    expect(steps.map((s) => s.ok)).toEqual([true, true, true, true, false]);
    expect(steps[4]).toMatchObject({
      step: '5. Refuse Reward Redemption tells the advocate why',
      detail: expect.stringMatching(
        /Influitive had a server error 500 on POST \/reward_redemptions\/48227\/decision\/refuse/,
      ),
    });
    // The refusal that failed reached Influitive and changed nothing.
    expect(
      env.influitive.decisions
        .filter((d) => d.redemptionId === 48227)
        .map((d) => [d.status, d.applied]),
    ).toEqual([
      [200, true],
      [500, false],
    ]);
  });
});
