import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { type LambdaHandler, runThroughHandler, zapierErrorMessage } from './lambda';
import type { FakeZapierRpc } from './zapier-rpc';

/** The Zap a plain `/hooks/<key>` URL belongs to; `/hooks/<key>/<zap>` names another Zap. */
export const defaultZapId = (trigger: string): string => `sandbox-zap-${trigger}`;

/** The hook triggers the gateway serves, one path each: /hooks/<key>, or /hooks/<key>/<zap>. */
export const HOOK_TRIGGERS = ['reward_redemption_requested', 'loudcrowd_reward_event'] as const;
export type HookTrigger = (typeof HOOK_TRIGGERS)[number];

export interface GatewayDelivery {
  trigger: HookTrigger;
  outcome: 'triggered' | 'halted' | 'error';
  /** Trigger items when it fired. */
  results?: unknown[];
  /** The halt or error message, as the Zap history would show it. */
  reason?: string;
}

export interface GatewayOptions {
  handler: LambdaHandler;
  rpc: FakeZapierRpc;
  authData: Record<string, string>;
  /** Per trigger: the Zap's input fields (e.g. a reward filter). */
  inputData?: Partial<Record<HookTrigger, Record<string, unknown>>>;
  /** Called with each delivery's outcome (the CLI prints it). */
  onDelivery?: (delivery: GatewayDelivery) => void;
}

export interface HookGateway {
  url: string;
  /** The hook URL of one Zap: each Zap has its own, as on Zapier. */
  hookUrl: (trigger: HookTrigger, zapId?: string) => string;
  deliveries: GatewayDelivery[];
  close: () => Promise<void>;
}

/** `x-api-key` → `Http-X-Api-Key`: how Zapier renames a hook's headers, Content-* excepted. */
export const zapierHeaderName = (name: string): string => {
  const camel = name
    .toLowerCase()
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('-');
  return /^content-(type|length)$/i.test(name) ? camel : `Http-${camel}`;
};

const zapierHeaders = (headers: IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) =>
      value === undefined
        ? []
        : [[zapierHeaderName(name), Array.isArray(value) ? value.join(', ') : value]],
    ),
  );

/** Zapier's cleanedRequest: the parsed JSON body with the query string beside it. */
const cleanedRequest = (content: string, query: URLSearchParams): unknown => {
  const querystring = Object.fromEntries(query);
  try {
    const parsed: unknown = JSON.parse(content);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return { ...parsed, querystring };
    return parsed;
  } catch {
    return { querystring };
  }
};

/** The `bundle` Zapier builds for one delivery to a static hook. */
export const hookBundle = (request: {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  content: string;
}) => ({
  rawRequest: {
    method: request.method,
    querystring: request.url.search.replace(/^\?/, ''),
    headers: zapierHeaders(request.headers),
    content: request.content,
  },
  cleanedRequest: cleanedRequest(request.content, request.url.searchParams),
});

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/**
 * An HTTP endpoint per hook trigger that does what Zapier does with a delivery: builds the hook
 * bundle (renamed headers, raw and cleaned request) and runs the built app's `perform` through
 * core's Lambda handler. Like Zapier it answers the sender 200 whatever the Zap does; the body
 * also says what happened, for the sandbox.
 */
export const startHookGateway = async (options: GatewayOptions): Promise<HookGateway> => {
  const deliveries: GatewayDelivery[] = [];

  const deliver = async (
    trigger: HookTrigger,
    zapId: string,
    req: IncomingMessage,
    url: URL,
  ): Promise<GatewayDelivery> => {
    const content = await readBody(req);
    const bundle = {
      authData: options.authData,
      inputData: options.inputData?.[trigger] ?? {},
      // Zapier gives each Zap its own hook URL and names the Zap in the bundle.
      meta: { zap: { id: zapId } },
      ...hookBundle({ method: req.method ?? 'POST', url, headers: req.headers, content }),
    };
    try {
      const results = await runThroughHandler(options.handler, {
        method: `triggers.${trigger}.operation.perform`,
        bundle,
        rpc: options.rpc,
      });
      return {
        trigger,
        outcome: 'triggered',
        results: Array.isArray(results) ? results : [results],
      };
    } catch (error) {
      const halted = error instanceof Error && error.name === 'HaltedError';
      return { trigger, outcome: halted ? 'halted' : 'error', reason: zapierErrorMessage(error) };
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const [, key, zap] = /^\/hooks\/([a-z_]+)(?:\/([A-Za-z0-9_-]+))?$/.exec(url.pathname) ?? [];
    const trigger = HOOK_TRIGGERS.find((name) => name === key);
    if (!trigger || req.method !== 'POST') {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          error: `POST to one of ${HOOK_TRIGGERS.map((k) => `/hooks/${k}`).join(', ')}`,
        }),
      );
      return;
    }
    const delivery = await deliver(trigger, zap ?? defaultZapId(trigger), req, url);
    deliveries.push(delivery);
    options.onDelivery?.(delivery);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ status: 'success', sandbox: delivery }));
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res
        .writeHead(500, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ error: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hookUrl: (trigger, zapId) => `${url}/hooks/${trigger}${zapId ? `/${zapId}` : ''}`,
    deliveries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
