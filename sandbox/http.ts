/**
 * The HTTP machinery both fake servers share: a node:http server on loopback, a unique
 * `X-Request-Id` on every answer, a request log, fault injection and a `close()` that also ends
 * keep-alive sockets and pending delays so jest exits cleanly.
 *
 * A route handler is a pure function from a request to an answer plus a `commit` that applies its
 * state change. The server runs `commit` only when the real answer is given, which is how a
 * faulted request (a 500, a reset, a truncated body) changes nothing.
 */
import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultKind = 'status' | 'reset' | 'delay' | 'truncate';

/** Which requests a fault applies to, and how many times. */
export interface FaultTarget {
  /** HTTP method, any case; every method when absent. */
  method?: string;
  /**
   * A prefix of the request target (path and query, e.g. `/reward_redemptions?page=2`) or a RegExp
   * tested against it; every path when absent.
   */
  path?: string | RegExp;
  /** How many matching requests get the fault (default 1). */
  times?: number;
  /**
   * The request still takes effect on the server and only its answer is faulty ("the fulfill
   * happened but the response was lost"). Default false: a faulted request changes nothing.
   * Ignored by `delay`, which always answers normally.
   */
  takesEffect?: boolean;
}

export type Fault = FaultTarget &
  (
    | {
        kind: 'status';
        status: number;
        body?: string;
        /** Default `text/html; charset=utf-8` when there is a body, none otherwise. */
        contentType?: string;
        headers?: Record<string, string>;
      }
    | { kind: 'reset' }
    | { kind: 'delay'; ms: number }
    | {
        kind: 'truncate';
        /**
         * Announce the full Content-Length, send half and drop the connection (a cut-off transfer)
         * instead of a complete response whose JSON is cut in half.
         */
        closeConnection?: boolean;
      }
  );

export interface RequestLogEntry {
  method: string;
  /** Path and query as requested. */
  path: string;
  /** The status answered; null when the connection was reset without an answer. */
  status: number | null;
  requestId: string;
  ip: string;
  time: string;
  /** The injected fault that shaped the answer, if any. */
  fault?: FaultKind;
}

export interface SandboxRequest {
  method: string;
  /** Path and query as requested. */
  target: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
  ip: string;
  requestId: string;
  /** `http://host:port` as the client addressed the server, for full links. */
  origin: string;
}

/** What was finally answered, after faults, for a handler's own inspection log. */
export interface AnswerOutcome {
  status: number | null;
  /** True when `commit` ran, i.e. the request took effect. */
  committed: boolean;
  fault?: FaultKind;
  requestId: string;
  time: string;
}

export interface SandboxAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** The state change this request makes; run only when it takes effect. */
  commit?: () => void;
  observe?: (outcome: AnswerOutcome) => void;
}

export type RouteHandler = (request: SandboxRequest) => SandboxAnswer;

export interface HttpSandboxOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  now?: () => Date;
  /**
   * Waited before each request is answered (the answer reflects the state after it): an API that
   * takes time per request, on whatever clock the caller gives (tests: their injected clock).
   */
  latency?: (request: SandboxRequest) => Promise<void>;
  /**
   * How a `delay` fault waits (default: a real timer). A test passes a wait it ends by hand, so
   * "held until released" is asserted by order, never by how long the machine took.
   */
  wait?: (ms: number) => Promise<void>;
}

export interface HttpSandbox {
  /** e.g. `http://127.0.0.1:53117`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Every request answered (or reset), oldest first; a copy. */
  readonly requestLog: RequestLogEntry[];
  /** Queues a fault; the first queued fault matching a request applies. */
  injectFault(fault: Fault): void;
  clearFaults(): void;
  /** Faults still waiting for a matching request; a copy. */
  readonly pendingFaults: Fault[];
  /** Resolves once `count` requests have been answered (or reset), so a test waits on the event. */
  whenLogged(count: number): Promise<void>;
  /** Stops listening, ends keep-alive sockets and pending delays. Safe to call twice. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export const jsonAnswer = (
  status: number,
  value: unknown,
  extra: Omit<SandboxAnswer, 'status' | 'body'> = {},
): SandboxAnswer => ({
  status,
  ...extra,
  headers: { 'Content-Type': JSON_CONTENT_TYPE, ...extra.headers },
  body: JSON.stringify(value),
});

/** A JSON request body: undefined when empty, an error when it is not JSON. */
export const parseJsonBody = (
  body: string,
): { ok: true; value: unknown } | { ok: false; reason: string } => {
  if (body.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
};

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const clientIp = (req: IncomingMessage): string =>
  (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');

const matches = (fault: Fault, method: string, target: string): boolean => {
  if (fault.method !== undefined && fault.method.toUpperCase() !== method) return false;
  if (fault.path === undefined) return true;
  return typeof fault.path === 'string' ? target.startsWith(fault.path) : fault.path.test(target);
};

class FaultQueue {
  private queue: { fault: Fault; left: number }[] = [];

  add(fault: Fault): void {
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) {
      throw new Error(`A fault's times must be a whole number of at least 1, got ${times}.`);
    }
    if (fault.kind === 'delay' && !(fault.ms >= 0)) {
      throw new Error(`A delay fault needs ms >= 0, got ${fault.ms}.`);
    }
    this.queue.push({ fault, left: times });
  }

  /** The fault for this request, used up by one. */
  take(method: string, target: string): Fault | undefined {
    const index = this.queue.findIndex((entry) => matches(entry.fault, method, target));
    const entry = this.queue[index];
    if (entry === undefined) return undefined;
    entry.left -= 1;
    if (entry.left === 0) this.queue.splice(index, 1);
    return entry.fault;
  }

  clear(): void {
    this.queue = [];
  }

  pending(): Fault[] {
    return this.queue.map((entry) => entry.fault);
  }
}

/** A real wait that does not keep the process alive. */
const realWait = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/** Delays that must not outlive `close()`. */
class Sleeps {
  private readonly waiting = new Set<(woke: boolean) => void>();

  constructor(private readonly wait: (ms: number) => Promise<void>) {}

  /** Resolves true after ms, or false at once when the server closes first. */
  sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const wake = (woke: boolean) => {
        if (this.waiting.delete(wake)) resolve(woke);
      };
      this.waiting.add(wake);
      this.wait(ms).then(
        () => wake(true),
        () => wake(true),
      );
    });
  }

  cancelAll(): void {
    for (const wake of [...this.waiting]) wake(false);
  }
}

const readBody = async (req: IncomingMessage): Promise<string | undefined> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
};

const withLength = (headers: Record<string, string>, body: string): Record<string, string> => ({
  ...headers,
  'Content-Length': String(Buffer.byteLength(body)),
});

const BODYLESS_STATUSES = new Set([204, 304]);

const send = (
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string,
): void => {
  const text = BODYLESS_STATUSES.has(status) ? '' : body;
  res.writeHead(status, BODYLESS_STATUSES.has(status) ? headers : withLength(headers, text));
  res.end(text);
};

/** Starts a loopback server that answers every request through `handler`. */
export const startHttpSandbox = async (
  handler: RouteHandler,
  options: HttpSandboxOptions = {},
): Promise<HttpSandbox> => {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? (() => new Date());
  const faults = new FaultQueue();
  const sleeps = new Sleeps(options.wait ?? realWait);
  const log: RequestLogEntry[] = [];
  const logWaiters: { count: number; resolve: () => void }[] = [];
  const wakeLogWaiters = () => {
    for (const waiter of logWaiters.filter(({ count }) => log.length >= count)) {
      logWaiters.splice(logWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  let closed = false;
  let origin = '';

  const answerOf = (request: SandboxRequest): SandboxAnswer => {
    try {
      return handler(request);
    } catch (error) {
      // A bug in a fake server must show up in the test that hit it, with its cause.
      const message = error instanceof Error ? error.message : String(error);
      return jsonAnswer(500, { error: `Sandbox error: ${message}` });
    }
  };

  const respond = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const method = (req.method ?? 'GET').toUpperCase();
    const target = req.url ?? '/';
    const ip = clientIp(req);
    const body = await readBody(req);
    const requestOrigin = req.headers.host ? `http://${req.headers.host}` : origin;
    const request: SandboxRequest = {
      method,
      target,
      url: new URL(target, requestOrigin),
      headers: req.headers,
      body: body ?? '',
      ip,
      requestId,
      origin: requestOrigin,
    };

    const fault = faults.take(method, target);
    if (fault?.kind === 'delay' && !(await sleeps.sleep(fault.ms))) return;
    await options.latency?.(request);
    if (closed) return;

    const answer: SandboxAnswer =
      body === undefined
        ? jsonAnswer(413, { error: `Request body is larger than ${MAX_BODY_BYTES} bytes` })
        : answerOf(request);
    const shaping = fault?.kind === 'delay' ? undefined : fault;
    const committed =
      answer.commit !== undefined && (shaping === undefined || shaping.takesEffect === true);
    if (committed) answer.commit?.();

    const headers = { ...answer.headers, 'X-Request-Id': requestId };
    const realBody = answer.body ?? '';
    let status: number | null;
    switch (shaping?.kind) {
      case undefined:
        status = answer.status;
        send(res, status, headers, realBody);
        break;
      case 'status': {
        status = shaping.status;
        const faultBody = shaping.body ?? '';
        const contentType =
          shaping.contentType ?? (faultBody === '' ? undefined : 'text/html; charset=utf-8');
        send(
          res,
          status,
          {
            ...(contentType === undefined ? {} : { 'Content-Type': contentType }),
            ...shaping.headers,
            'X-Request-Id': requestId,
          },
          faultBody,
        );
        break;
      }
      case 'reset':
        status = null;
        res.socket?.destroy();
        break;
      case 'truncate': {
        status = 200;
        const half = realBody.slice(0, Math.floor(realBody.length / 2));
        if (shaping.closeConnection) {
          res.writeHead(200, withLength(headers, realBody));
          res.write(half, () => res.socket?.destroy());
        } else {
          send(res, 200, headers, half);
        }
        break;
      }
    }

    const time = now().toISOString();
    log.push({
      method,
      path: target,
      status,
      requestId,
      ip,
      time,
      ...(shaping === undefined ? {} : { fault: shaping.kind }),
    });
    wakeLogWaiters();
    answer.observe?.({
      status,
      committed,
      ...(shaping === undefined ? {} : { fault: shaping.kind }),
      requestId,
      time,
    });
  };

  const server: Server = createServer((req, res) => {
    respond(req, res).catch(() => {
      // The client went away mid-request; there is nobody left to answer.
      res.socket?.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: origin,
    port,
    get requestLog() {
      return log.slice();
    },
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    get pendingFaults() {
      return faults.pending();
    },
    whenLogged: (count) =>
      new Promise<void>((resolve) => {
        logWaiters.push({ count, resolve });
        wakeLogWaiters();
      }),
    close: async () => {
      if (closed) return;
      closed = true;
      sleeps.cancelAll();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await done;
    },
  };
};
