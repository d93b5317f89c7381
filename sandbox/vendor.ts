/**
 * A tiny Tremendous-like reward vendor on 127.0.0.1: `POST /api/v2/orders` with a Bearer key, where
 * an order's `external_id` makes it idempotent (the same key again returns the original order,
 * still 201, and no second order is placed). That is the property the demo and the fault suite rely
 * on when a Zap step is retried.
 */
import { randomInt } from 'node:crypto';
import {
  type HttpSandbox,
  type HttpSandboxOptions,
  isPlainObject,
  jsonAnswer,
  parseJsonBody,
  type SandboxAnswer,
  type SandboxRequest,
  startHttpSandbox,
} from './http';

export const SANDBOX_VENDOR_API_KEY = 'TEST_sandbox_tremendous_9c2e7b4f1a6d3e8b';
/** Tremendous accepts `balance` for the account's prepaid balance. */
export const SANDBOX_FUNDING_SOURCE_ID = 'balance';
export const DEFAULT_REWARD_LINK_BASE = 'https://testflight.tremendous.com/rewards/payout';

export type DeliveryMethod = 'EMAIL' | 'LINK';
const DELIVERY_METHODS: readonly string[] = ['EMAIL', 'LINK'];

export interface VendorReward {
  id: string;
  order_id: string;
  created_at: string;
  value: { denomination: number; currency_code: string };
  delivery: { method: DeliveryMethod; status: 'SUCCEEDED'; link: string };
  recipient: { name: string; email: string };
  products: string[];
}

export interface VendorOrder {
  id: string;
  external_id: string | null;
  status: 'EXECUTED';
  created_at: string;
  payment: { funding_source_id: string; subtotal: number; total: number; fees: number };
  rewards: VendorReward[];
}

export interface VendorSandboxOptions extends HttpSandboxOptions {
  apiKey?: string;
  /** Where reward links point (default Tremendous's sandbox, testflight). */
  linkBase?: string;
}

export interface VendorSandbox extends HttpSandbox {
  readonly apiKey: string;
  /** Every order placed, oldest first (copies); a repeated external_id adds none. */
  readonly orders: VendorOrder[];
  order(id: string): VendorOrder | undefined;
}

type Problems = Record<string, unknown>;

/** Tremendous's error shape: a message plus the offending fields, nested as in the request. */
const errorAnswer = (status: number, message: string, payload: Problems = {}): SandboxAnswer =>
  jsonAnswer(status, { errors: { message, payload } });

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** Tremendous ids are 12 upper-case letters and digits. */
const vendorId = (): string =>
  Array.from({ length: 12 }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join('');

const objectAt = (value: unknown): Record<string, unknown> => (isPlainObject(value) ? value : {});

const nonEmptyString = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

interface ValidOrder {
  externalId: string | null;
  fundingSourceId: string;
  denomination: number;
  currencyCode: string;
  method: DeliveryMethod;
  recipient: { name: string; email: string };
  products: string[];
}

const isBlank = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** Drops the keys whose problems are empty, so the payload names only what is wrong. */
const nonEmpty = (problems: Problems): Problems =>
  Object.fromEntries(
    Object.entries(problems).filter(
      ([, value]) =>
        value !== undefined && (!isPlainObject(value) || Object.keys(value).length > 0),
    ),
  );

const denominationProblem = (value: unknown): string[] | undefined => {
  if (isBlank(value)) return ["can't be blank"];
  const amount =
    typeof value === 'number' || typeof value === 'string' ? Number(value) : Number.NaN;
  return amount > 0 ? undefined : ['must be greater than 0'];
};

const emailProblem = (value: string | undefined): string[] | undefined => {
  if (value === undefined) return ["can't be blank"];
  return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value) ? undefined : ['is invalid'];
};

/** The order the body asks for, or the problems with it in Tremendous's nested payload shape. */
const validateOrder = (
  body: Record<string, unknown>,
): { ok: true; order: ValidOrder } | { ok: false; problems: Problems } => {
  const payment = objectAt(body.payment);
  const reward = objectAt(body.reward);
  const value = objectAt(reward.value);
  const recipient = objectAt(reward.recipient);
  const fundingSourceId = nonEmptyString(payment.funding_source_id);
  const currencyCode = value.currency_code ?? 'USD';
  const method = objectAt(reward.delivery).method ?? 'EMAIL';
  const name = nonEmptyString(recipient.name);
  const email = nonEmptyString(recipient.email);
  const products = Array.isArray(reward.products)
    ? reward.products.filter((p): p is string => typeof p === 'string' && p.trim() !== '')
    : [];
  const externalId = body.external_id ?? null;

  const problems = nonEmpty({
    external_id:
      externalId === null || typeof externalId === 'string' ? undefined : ['must be a string'],
    payment: nonEmpty({ funding_source_id: fundingSourceId ? undefined : ["can't be blank"] }),
    reward: nonEmpty({
      value: nonEmpty({
        denomination: denominationProblem(value.denomination),
        currency_code:
          typeof currencyCode === 'string' && /^[A-Z]{3}$/.test(currencyCode)
            ? undefined
            : ['is not a valid ISO 4217 currency code'],
      }),
      delivery: nonEmpty({
        method:
          typeof method === 'string' && DELIVERY_METHODS.includes(method)
            ? undefined
            : ['is not included in the list'],
      }),
      recipient: nonEmpty({
        name: name ? undefined : ["can't be blank"],
        email: emailProblem(email),
      }),
      products: products.length > 0 ? undefined : ["can't be blank"],
    }),
  });
  if (Object.keys(problems).length > 0 || !fundingSourceId || !name || !email) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    order: {
      externalId: typeof externalId === 'string' ? externalId : null,
      fundingSourceId,
      denomination: Number(value.denomination),
      currencyCode: currencyCode as string,
      method: method as DeliveryMethod,
      recipient: { name, email },
      products,
    },
  };
};

/** Starts the vendor sandbox on 127.0.0.1 (a free port unless `port` is given). */
export const startVendorSandbox = async (
  options: VendorSandboxOptions = {},
): Promise<VendorSandbox> => {
  const apiKey = options.apiKey ?? SANDBOX_VENDOR_API_KEY;
  const linkBase = options.linkBase ?? DEFAULT_REWARD_LINK_BASE;
  const now = options.now ?? (() => new Date());
  const orders = new Map<string, VendorOrder>();
  const byExternalId = new Map<string, string>();

  const createOrder = (request: SandboxRequest): SandboxAnswer => {
    const parsed = parseJsonBody(request.body);
    if (!parsed.ok || !isPlainObject(parsed.value)) {
      return errorAnswer(400, 'The request body must be a JSON object', { body: ['is invalid'] });
    }
    const repeat =
      typeof parsed.value.external_id === 'string' && byExternalId.get(parsed.value.external_id);
    const original = repeat ? orders.get(repeat) : undefined;
    // Tremendous's idempotency: the original order, still 201, and nothing new is placed.
    if (original !== undefined) return jsonAnswer(201, { order: original });

    const validation = validateOrder(parsed.value);
    if (!validation.ok) return errorAnswer(400, 'Invalid order', validation.problems);
    const valid = validation.order;
    const orderId = vendorId();
    const rewardId = vendorId();
    const createdAt = now().toISOString();
    const order: VendorOrder = {
      id: orderId,
      external_id: valid.externalId,
      status: 'EXECUTED',
      created_at: createdAt,
      payment: {
        funding_source_id: valid.fundingSourceId,
        subtotal: valid.denomination,
        total: valid.denomination,
        fees: 0,
      },
      rewards: [
        {
          id: rewardId,
          order_id: orderId,
          created_at: createdAt,
          value: { denomination: valid.denomination, currency_code: valid.currencyCode },
          delivery: { method: valid.method, status: 'SUCCEEDED', link: `${linkBase}/${rewardId}` },
          recipient: valid.recipient,
          products: valid.products,
        },
      ],
    };
    return jsonAnswer(
      201,
      { order },
      {
        commit: () => {
          orders.set(order.id, order);
          if (order.external_id !== null) byExternalId.set(order.external_id, order.id);
        },
      },
    );
  };

  const listOrders = (request: SandboxRequest): SandboxAnswer => {
    const externalId = request.url.searchParams.get('external_id');
    const list = [...orders.values()].filter(
      (order) => externalId === null || order.external_id === externalId,
    );
    return jsonAnswer(200, { orders: list, total_count: list.length });
  };

  const handle = (request: SandboxRequest): SandboxAnswer => {
    if (request.headers.authorization !== `Bearer ${apiKey}`) {
      return errorAnswer(401, 'Unauthorized: pass your API key as "Authorization: Bearer <key>"');
    }
    const path = request.url.pathname.replace(/\/+$/, '');
    if (path === '/api/v2/orders') {
      if (request.method === 'POST') return createOrder(request);
      if (request.method === 'GET') return listOrders(request);
    }
    const orderId = /^\/api\/v2\/orders\/([A-Za-z0-9]+)$/.exec(path)?.[1];
    if (request.method === 'GET' && orderId !== undefined) {
      const order = orders.get(orderId);
      return order === undefined
        ? errorAnswer(404, 'Resource not found', { id: [orderId] })
        : jsonAnswer(200, { order });
    }
    return errorAnswer(404, 'Resource not found');
  };

  const http = await startHttpSandbox(handle, options);
  return {
    url: http.url,
    port: http.port,
    get requestLog() {
      return http.requestLog;
    },
    get pendingFaults() {
      return http.pendingFaults;
    },
    injectFault: http.injectFault,
    clearFaults: http.clearFaults,
    whenLogged: http.whenLogged,
    close: http.close,
    apiKey,
    get orders() {
      return structuredClone([...orders.values()]);
    },
    order: (id) => {
      const found = orders.get(id);
      return found === undefined ? undefined : structuredClone(found);
    },
  };
};
