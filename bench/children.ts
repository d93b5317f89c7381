/** Child processes of the bench: the bundled bench itself, run with a mode, answering over IPC. */
import { type ChildProcess, fork } from 'node:child_process';
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { BENCH_SCRIPT, REPO_ROOT } from './paths';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Hosts this process tried to reach beyond the loopback (each such request was destroyed). */
export const offlineViolations: string[] = [];

/**
 * Keeps this process offline: an HTTP request made with Node's http/https (which node-fetch, and so
 * core's z.request, RPC client and log stream, use) to any host but the loopback is destroyed as
 * soon as it is created, before its socket can connect (a DNS lookup of the name may already have
 * started), and recorded, so the bench fails instead of quietly measuring a trip to the Internet.
 */
export const guardOffline = (): void => {
  const refuse = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    if (LOCAL_HOSTS.has(request.host) || request.destroyed) return;
    offlineViolations.push(request.host);
    request.destroy(new Error(`the bench is offline: refused a request to ${request.host}`));
  };
  // `created` is published at the end of ClientRequest's constructor; `start` (when the request is
  // ended) is the fallback for Node versions without it.
  subscribe('http.client.request.created', refuse);
  subscribe('http.client.request.start', refuse);
};

export const assertStayedOffline = (): void => {
  if (offlineViolations.length > 0) {
    throw new Error(
      `tried to leave the machine: requests to ${[...new Set(offlineViolations)].join(', ')}`,
    );
  }
};

export interface ChildMessage {
  type: string;
  [field: string]: unknown;
}

export interface BenchChild {
  process: ChildProcess;
  /** The next message of this type (rejects if the child exits first). */
  next: (type: string) => Promise<ChildMessage>;
  send: (message: ChildMessage) => void;
  /** Resolves once the child has exited cleanly; rejects if it failed or exited non-zero. */
  exited: Promise<number | null>;
}

export const forkBench = (
  mode: string,
  options: {
    env?: NodeJS.ProcessEnv;
    execArgv?: string[];
    onProgress?: (line: string) => void;
    /** Drop the child's stdout (the app's z.console lines when it runs without a Zapier token). */
    quiet?: boolean;
  },
): BenchChild => {
  const child = fork(BENCH_SCRIPT, [mode], {
    cwd: REPO_ROOT,
    execPath: process.execPath,
    execArgv: options.execArgv ?? [],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', options.quiet ? 'ignore' : 'inherit', 'inherit', 'ipc'],
  });
  const queue: ChildMessage[] = [];
  const waiting: {
    type: string;
    resolve: (m: ChildMessage) => void;
    reject: (e: Error) => void;
  }[] = [];
  let exitError: Error | undefined;
  const failAll = () => {
    for (const waiter of waiting.splice(0)) waiter.reject(exitError ?? new Error('child exited'));
  };
  child.on('message', (raw) => {
    const message = raw as ChildMessage;
    if (message.type === 'progress') {
      options.onProgress?.(String(message.line));
      return;
    }
    if (message.type === 'error') {
      reportedError = true;
      exitError = new Error(`bench child (${mode}) failed: ${String(message.message)}`);
      failAll();
      return;
    }
    const index = waiting.findIndex((w) => w.type === message.type);
    const waiter = index >= 0 ? waiting.splice(index, 1)[0] : undefined;
    if (waiter) waiter.resolve(message);
    else queue.push(message);
  });
  let reportedError = false;
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('exit', (code) => {
      if (!exitError) exitError = new Error(`bench child (${mode}) exited with code ${code}`);
      failAll();
      if (code === 0 && !reportedError) resolve(code);
      else reject(exitError);
    });
  });
  // Awaited by whoever stops the child; a failure nobody awaits yet is not an unhandled rejection.
  exited.catch(() => undefined);
  return {
    process: child,
    exited,
    send: (message) => child.send(message),
    next: (type) =>
      new Promise<ChildMessage>((resolve, reject) => {
        const index = queue.findIndex((m) => m.type === type);
        const queued = index >= 0 ? queue.splice(index, 1)[0] : undefined;
        if (queued) {
          resolve(queued);
          return;
        }
        if (child.exitCode !== null || exitError) {
          reject(exitError ?? new Error('child exited'));
          return;
        }
        waiting.push({ type, resolve, reject });
      }),
  };
};

/** In a child: send a message to the bench, awaiting delivery. */
export const toParent = (message: ChildMessage): Promise<void> =>
  new Promise((resolve, reject) => {
    if (!process.send) {
      reject(new Error('not started by the bench (no IPC channel)'));
      return;
    }
    process.send(message, (error: Error | null) => (error ? reject(error) : resolve()));
  });

/** In a child: runs main, reporting a failure to the bench before exiting non-zero. */
export const runChildMain = (main: () => Promise<void>): void => {
  guardOffline();
  main()
    .then(() => {
      assertStayedOffline();
      process.disconnect?.();
    })
    .catch(async (error: unknown) => {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      await toParent({ type: 'error', message }).catch(() => undefined);
      process.exitCode = 1;
      process.disconnect?.();
    });
};
