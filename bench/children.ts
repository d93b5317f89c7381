/** Child processes of the bench: the bundled bench itself, run with a mode, answering over IPC. */
import { type ChildProcess, fork } from 'node:child_process';
import { BENCH_SCRIPT, REPO_ROOT } from './paths';

export interface ChildMessage {
  type: string;
  [field: string]: unknown;
}

export interface BenchChild {
  process: ChildProcess;
  /** The next message of this type (rejects if the child exits first). */
  next: (type: string) => Promise<ChildMessage>;
  send: (message: ChildMessage) => void;
  /** Resolves once the child has exited. */
  exited: Promise<number | null>;
}

export const forkBench = (
  mode: string,
  options: { env?: NodeJS.ProcessEnv; execArgv?: string[]; onProgress?: (line: string) => void },
): BenchChild => {
  const child = fork(BENCH_SCRIPT, [mode], {
    cwd: REPO_ROOT,
    execPath: process.execPath,
    execArgv: options.execArgv ?? [],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
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
      exitError = new Error(`bench child (${mode}) failed: ${String(message.message)}`);
      failAll();
      return;
    }
    const index = waiting.findIndex((w) => w.type === message.type);
    const waiter = index >= 0 ? waiting.splice(index, 1)[0] : undefined;
    if (waiter) waiter.resolve(message);
    else queue.push(message);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      if (!exitError) exitError = new Error(`bench child (${mode}) exited with code ${code}`);
      failAll();
      resolve(code);
    });
  });
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
  main()
    .then(() => process.disconnect?.())
    .catch(async (error: unknown) => {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      await toParent({ type: 'error', message }).catch(() => undefined);
      process.exitCode = 1;
      process.disconnect?.();
    });
};
