import {
  SANDBOX_FUNDING_SOURCE_ID,
  SANDBOX_VENDOR_API_KEY,
  startVendorSandbox,
  type VendorOrder,
  type VendorSandbox,
} from '../../sandbox';

let vendor: VendorSandbox;

beforeEach(async () => {
  vendor = await startVendorSandbox();
});

afterEach(async () => {
  await vendor.close();
});

/** The order a Zap step sends for the $25 gift card redemption 48213. */
const giftCardOrder = (overrides: Record<string, unknown> = {}) => ({
  external_id: 'influitive-redemption-48213',
  payment: { funding_source_id: SANDBOX_FUNDING_SOURCE_ID },
  reward: {
    value: { denomination: 25, currency_code: 'USD' },
    delivery: { method: 'EMAIL' },
    recipient: { name: 'Maya Patel', email: 'maya.patel@northwind-analytics.example' },
    products: ['AMZN-US-25'],
  },
  ...overrides,
});

const post = (body: unknown, authorization = `Bearer ${SANDBOX_VENDOR_API_KEY}`) =>
  fetch(`${vendor.url}/api/v2/orders`, {
    method: 'POST',
    headers: { Authorization: authorization, 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const get = (path: string) =>
  fetch(`${vendor.url}${path}`, { headers: { Authorization: `Bearer ${SANDBOX_VENDOR_API_KEY}` } });

describe('POST /api/v2/orders', () => {
  it('places an executed order with a succeeded reward and a payout link', async () => {
    const response = await post(giftCardOrder());
    const { order } = (await response.json()) as { order: VendorOrder };

    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(order).toMatchObject({
      external_id: 'influitive-redemption-48213',
      status: 'EXECUTED',
      payment: { funding_source_id: 'balance', subtotal: 25, total: 25, fees: 0 },
    });
    expect(order.id).toMatch(/^[A-Z0-9]{12}$/);
    const [reward] = order.rewards;
    expect(reward).toMatchObject({
      order_id: order.id,
      value: { denomination: 25, currency_code: 'USD' },
      delivery: { method: 'EMAIL', status: 'SUCCEEDED' },
      recipient: { name: 'Maya Patel', email: 'maya.patel@northwind-analytics.example' },
    });
    expect(reward?.delivery.link).toBe(
      `https://testflight.tremendous.com/rewards/payout/${reward?.id}`,
    );
    expect(vendor.orders).toEqual([order]);
  });

  it('returns the original order, still 201, for a repeated external_id and stores one order', async () => {
    const first = (await (await post(giftCardOrder())).json()) as { order: VendorOrder };

    const repeat = await post(
      giftCardOrder({ reward: { ...giftCardOrder().reward, value: { denomination: 99 } } }),
    );
    const again = (await repeat.json()) as { order: VendorOrder };

    expect(repeat.status).toBe(201);
    expect(again.order).toEqual(first.order);
    expect(vendor.orders).toHaveLength(1);
  });

  it('places separate orders for different or missing external_ids', async () => {
    await post(giftCardOrder());
    await post(giftCardOrder({ external_id: 'influitive-redemption-48231' }));
    await post(giftCardOrder({ external_id: undefined }));
    await post(giftCardOrder({ external_id: undefined }));

    expect(vendor.orders.map((order) => order.external_id)).toEqual([
      'influitive-redemption-48213',
      'influitive-redemption-48231',
      null,
      null,
    ]);
  });

  it('accepts a LINK delivery and a numeric string denomination', async () => {
    const body = giftCardOrder();
    const response = await post({
      ...body,
      reward: { ...body.reward, value: { denomination: '50.00' }, delivery: { method: 'LINK' } },
    });
    const { order } = (await response.json()) as { order: VendorOrder };

    expect(response.status).toBe(201);
    expect(order.rewards[0]?.value).toEqual({ denomination: 50, currency_code: 'USD' });
    expect(order.rewards[0]?.delivery.method).toBe('LINK');
  });

  it('answers 400 naming a missing recipient email and denomination, and places nothing', async () => {
    const body = giftCardOrder();
    const response = await post({
      ...body,
      reward: {
        ...body.reward,
        value: { currency_code: 'USD' },
        recipient: { name: 'Maya Patel' },
      },
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: {
        message: 'Invalid order',
        payload: {
          reward: {
            value: { denomination: ["can't be blank"] },
            recipient: { email: ["can't be blank"] },
          },
        },
      },
    });
    expect(vendor.orders).toEqual([]);
  });

  it('answers 400 for an invalid email, zero amount, unknown method, no products or funding', async () => {
    const response = await post({
      payment: {},
      reward: {
        value: { denomination: 0, currency_code: 'usd' },
        delivery: { method: 'CARRIER_PIGEON' },
        recipient: { name: 'Maya Patel', email: 'maya.patel' },
        products: [],
      },
    });
    const { errors } = (await response.json()) as { errors: { payload: unknown } };

    expect(response.status).toBe(400);
    expect(errors.payload).toEqual({
      payment: { funding_source_id: ["can't be blank"] },
      reward: {
        value: {
          denomination: ['must be greater than 0'],
          currency_code: ['is not a valid ISO 4217 currency code'],
        },
        delivery: { method: ['is not included in the list'] },
        recipient: { email: ['is invalid'] },
        products: ["can't be blank"],
      },
    });
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await post('{"external_id": ');

    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { message: string } }).errors.message).toMatch(
      /JSON object/,
    );
  });

  it.each([
    ['no key', ''],
    ['a wrong key', 'Bearer TEST_wrong'],
    ['Token instead of Bearer', `Token ${SANDBOX_VENDOR_API_KEY}`],
  ])('answers 401 for %s and places nothing', async (_name, authorization) => {
    const response = await post(giftCardOrder(), authorization);

    expect(response.status).toBe(401);
    expect(((await response.json()) as { errors: { message: string } }).errors.message).toMatch(
      /^Unauthorized/,
    );
    expect(vendor.orders).toEqual([]);
  });

  it('does not place an order whose answer was faulted, so a retry places exactly one', async () => {
    vendor.injectFault({ kind: 'status', status: 502, body: '<html>Bad Gateway</html>' });

    const faulted = await post(giftCardOrder());
    const retried = await post(giftCardOrder());

    expect(faulted.status).toBe(502);
    expect(retried.status).toBe(201);
    expect(vendor.orders).toHaveLength(1);
  });
});

describe('GET /api/v2/orders', () => {
  it('fetches an order by id, lists by external_id, and answers 404 for an unknown id', async () => {
    const { order } = (await (await post(giftCardOrder())).json()) as { order: VendorOrder };
    await post(giftCardOrder({ external_id: 'other' }));

    const byId = await get(`/api/v2/orders/${order.id}`);
    const list = await get('/api/v2/orders?external_id=influitive-redemption-48213');
    const missing = await get('/api/v2/orders/NOPE00000000');

    expect(await byId.json()).toEqual({ order });
    expect(await list.json()).toEqual({ orders: [order], total_count: 1 });
    expect(missing.status).toBe(404);
    expect(vendor.order(order.id)).toEqual(order);
    expect(vendor.order('NOPE00000000')).toBeUndefined();
  });
});
