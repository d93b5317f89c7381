import { WINDOW_MS } from '../src/influitive/pending/window';
import { isFulfilledByInfluitive } from '../src/influitive/reward-providers';
import type { SandboxEnvironment } from './environment';
import type { GatewayDelivery } from './gateway';
import { runThroughHandler } from './lambda';
import { SANDBOX_FUNDING_SOURCE_ID, SANDBOX_VENDOR_API_KEY } from './vendor';

export interface LoopStep {
  step: string;
  ok: boolean;
  detail: string;
  ms: number;
}

/** A step whose expectation did not hold; the report names it. */
export class LoopStepFailure extends Error {
  override name = 'LoopStepFailure';
}

const expect = (condition: boolean, message: string): void => {
  if (!condition) throw new LoopStepFailure(message);
};

interface TriggerItem {
  id: string;
  idempotency_key: string;
  metadata: Record<string, string>;
  member: { name: string | null; email: string | null };
  summary: string;
}

interface VendorOrderResponse {
  order: { id: string; external_id: string | null; rewards: { delivery: { link: string } }[] };
}

const DIEGO = 'diego.alvarez@contoso-retail.example';
const VISA_REWARD_ID = 755;
const HOODIE_REDEMPTION_ID = 48227;
const LOUDCROWD_EVENT = {
  lcId: 'LC-RWD-20261121-0042',
  email: 'ana.souza@creators.example',
  igUsername: 'ana.makes.things',
  discountCode: 'ANA-THANKS-15',
  medias: [
    { lcId: 'MED-8812', postedAt: '2026-11-21T15:02:11.482913', postType: 'STORY' },
    { lcId: 'MED-8813', postedAt: '2026-11-21T15:04:40.101002', postType: 'STORY' },
  ],
};

const lastDelivery = (env: SandboxEnvironment): GatewayDelivery => {
  const delivery = env.gateway.deliveries.at(-1);
  if (!delivery) throw new LoopStepFailure('the hook gateway received nothing');
  return delivery;
};

const placeVendorOrder = async (
  env: SandboxEnvironment,
  item: TriggerItem,
): Promise<VendorOrderResponse> => {
  const response = await fetch(`${env.vendor.url}/api/v2/orders`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${SANDBOX_VENDOR_API_KEY}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      external_id: item.idempotency_key,
      payment: { funding_source_id: SANDBOX_FUNDING_SOURCE_ID },
      reward: {
        value: {
          denomination: Number(item.metadata.amount),
          currency_code: item.metadata.currency,
        },
        delivery: { method: 'LINK' },
        recipient: { name: item.member.name, email: item.member.email },
        products: [item.metadata.vendor_product_id],
      },
    }),
  });
  expect(
    response.status === 201,
    `the vendor answered ${response.status}: ${await response.clone().text()}`,
  );
  return (await response.json()) as VendorOrderResponse;
};

const postLoudCrowd = (env: SandboxEnvironment, key: string, body: unknown) =>
  fetch(env.gateway.hookUrl('loudcrowd_reward_event'), {
    method: 'POST',
    headers: { 'X-Api-Key': key, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

/**
 * The product's main job, end to end: reward requested → Reward Requested (Needs Hub Webhook) →
 * vendor order with the idempotency key → fulfill in Influitive; then a refusal, a poll,
 * LoudCrowd deliveries, and Reward Request Still Waiting catching a redemption whose webhook was lost. Every step checks the sandboxes' state, not only what the app returned.
 * Steps name the triggers by their labels in the Zap editor, as the README and recipes do.
 */
export const runFulfillmentLoop = async (env: SandboxEnvironment): Promise<LoopStep[]> => {
  const scenario: [string, () => Promise<string>][] = [];
  const step = (name: string, run: () => Promise<string>): void => {
    scenario.push([name, run]);
  };
  const hookUrl = env.gateway.hookUrl('reward_redemption_requested');
  let item: TriggerItem | undefined;
  let order: VendorOrderResponse | undefined;

  step('1. Advocate requests a reward; Reward Requested (Needs Hub Webhook) fires', async () => {
    const requested = env.influitive.addRedemption({
      rewardId: VISA_REWARD_ID,
      memberEmail: DIEGO,
    });
    await env.influitive.deliverWebhook(hookUrl, requested.id);
    const delivery = lastDelivery(env);
    expect(delivery.outcome === 'triggered', `the trigger did not fire: ${delivery.reason}`);
    item = delivery.results?.[0] as TriggerItem;
    expect(
      item.id === String(requested.id),
      `the trigger output redemption ${item.id}, not ${requested.id}`,
    );
    return `${item.summary}; verified pending through the API; key ${item.idempotency_key}`;
  });

  step(
    '2. Vendor order placed with the idempotency key; a replay orders nothing more',
    async () => {
      if (!item) throw new LoopStepFailure('no trigger output');
      order = await placeVendorOrder(env, item);
      const replay = await placeVendorOrder(env, item);
      const orders = env.vendor.orders.filter((o) => o.external_id === item?.idempotency_key);
      expect(replay.order.id === order.order.id, 'the replay created a second order');
      expect(orders.length === 1, `the vendor holds ${orders.length} orders for the key`);
      return `order ${order.order.id} for $${item.metadata.amount} ${item.metadata.currency}; replay returned the same order`;
    },
  );

  step('3. The same webhook delivered again is halted', async () => {
    if (!item) throw new LoopStepFailure('no trigger output');
    await env.influitive.deliverWebhook(hookUrl, item.id);
    const delivery = lastDelivery(env);
    expect(delivery.outcome === 'halted', `expected a halt, got ${delivery.outcome}`);
    return delivery.reason ?? '';
  });

  step('4. Fulfill Reward Redemption closes the loop in Influitive', async () => {
    if (!item || !order) throw new LoopStepFailure('no trigger output or order');
    const link = order.order.rewards[0]?.delivery.link ?? '';
    const message = `Your $${item.metadata.amount} Visa prepaid card is ready: ${link}`;
    await runThroughHandler(env.handler, {
      method: 'creates.fulfill_reward_redemption.operation.perform',
      bundle: { authData: env.authData, inputData: { redemption_id: item.id, message } },
      rpc: env.rpc,
    });
    const record = env.influitive.redemption(item.id);
    expect(record?.status === 'fulfilled', `the sandbox shows status ${record?.status}`);
    expect(record?.decision_message === message, 'the sandbox did not store the message');
    return `redemption ${item.id} fulfilled with "${message}"`;
  });

  step('5. Refuse Reward Redemption tells the advocate why', async () => {
    const reason =
      'Sorry, the hoodie in your size is out of stock. Your points have been returned.';
    await runThroughHandler(env.handler, {
      method: 'creates.refuse_reward_redemption.operation.perform',
      bundle: {
        authData: env.authData,
        inputData: { redemption_id: String(HOODIE_REDEMPTION_ID), message: reason },
      },
      rpc: env.rpc,
    });
    const record = env.influitive.redemption(HOODIE_REDEMPTION_ID);
    expect(
      record?.status === 'refused' && record.decision_message === reason,
      `the sandbox shows ${record?.status}`,
    );
    return `redemption ${HOODIE_REDEMPTION_ID} refused: "${reason}"`;
  });

  step(
    '6. Reward Requested (Checks Every Few Minutes) lists what was requested in the last 48 hours and is still pending',
    async () => {
      const before = env.influitive.requestLog.length;
      const results = (await runThroughHandler(env.handler, {
        method: 'triggers.new_reward_redemption.operation.perform',
        bundle: { authData: env.authData, inputData: {} },
        rpc: env.rpc,
      })) as TriggerItem[];
      // The poll's window: older redemptions are the backlog a new Zap must never fire, and
      // rewards Influitive fulfills itself are left out unless the Zap asks for them.
      const since = Date.now() - WINDOW_MS;
      const theirs = new Set(
        env.influitive.rewards.filter((r) => isFulfilledByInfluitive(r.provider)).map((r) => r.id),
      );
      const inWindow = env.influitive
        .redemptions('pending')
        .filter((r) => Date.parse(r.created_at) >= since && !theirs.has(r.reward_id))
        .map((r) => String(r.id));
      const listed = results.map((r) => r.id);
      expect(
        JSON.stringify(listed) === JSON.stringify(inWindow),
        `listed ${listed.join(',')}, pending in the window ${inWindow.join(',')}`,
      );
      const requests = env.influitive.requestLog.length - before;
      return `${listed.length} pending in the window (${listed.join(', ') || 'none'}), in ${requests} request${requests === 1 ? '' : 's'}`;
    },
  );

  step('7. New LoudCrowd Reward Event fires for the right key', async () => {
    await postLoudCrowd(env, env.authData.loudcrowd_api_key ?? '', LOUDCROWD_EVENT);
    const delivery = lastDelivery(env);
    expect(delivery.outcome === 'triggered', `the trigger did not fire: ${delivery.reason}`);
    const event = delivery.results?.[0] as {
      id: string;
      story_count: number;
      idempotency_key: string;
    };
    expect(event.id === LOUDCROWD_EVENT.lcId, `id ${event.id}`);
    return `${event.id}: ${event.story_count} stories; key ${event.idempotency_key}`;
  });

  step('8. A LoudCrowd event with a wrong key is halted', async () => {
    await postLoudCrowd(env, 'not-the-configured-key', { ...LOUDCROWD_EVENT, lcId: 'LC-FORGED-1' });
    const delivery = lastDelivery(env);
    expect(delivery.outcome === 'halted', `expected a halt, got ${delivery.outcome}`);
    return delivery.reason ?? '';
  });

  step('9. The same LoudCrowd event again is halted as a duplicate', async () => {
    await postLoudCrowd(env, env.authData.loudcrowd_api_key ?? '', LOUDCROWD_EVENT);
    const delivery = lastDelivery(env);
    expect(delivery.outcome === 'halted', `expected a halt, got ${delivery.outcome}`);
    return delivery.reason ?? '';
  });

  step(
    '10. A webhook sent while the Zap was off is lost; Reward Request Still Waiting catches it',
    async () => {
      // Zapier answers a hook URL with success while its Zap is off and drops the delivery, so
      // the app never sees it: the redemption simply stays pending in the hub.
      const lost = env.influitive.addRedemption({
        rewardId: VISA_REWARD_ID,
        memberEmail: DIEGO,
        createdAt: new Date(Date.now() - 30 * 60 * 60 * 1000),
      });
      const alerts = (await runThroughHandler(env.handler, {
        method: 'triggers.overdue_reward_redemption.operation.perform',
        bundle: { authData: env.authData, inputData: { min_age_hours: '24' } },
        rpc: env.rpc,
      })) as (TriggerItem & { redemption_id: string; waiting_hours: number })[];
      const alert = alerts.find((a) => a.redemption_id === String(lost.id));
      expect(
        alert !== undefined,
        `redemption ${lost.id} was not among the ${alerts.length} alerts`,
      );
      return `${alert?.summary}, pending ${alert?.waiting_hours} hours with no webhook, caught with key ${alert?.idempotency_key} (${alerts.length} waiting longer than 24 hours in all)`;
    },
  );

  // Each step builds on the one before, so the run stops at the first failure.
  const steps: LoopStep[] = [];
  for (const [name, run] of scenario) {
    const started = Date.now();
    try {
      steps.push({ step: name, ok: true, detail: await run(), ms: Date.now() - started });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      steps.push({ step: name, ok: false, detail, ms: Date.now() - started });
      break;
    }
  }
  return steps;
};
