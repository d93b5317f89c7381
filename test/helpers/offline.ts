import net from 'node:net';

const LOOPBACK = /^(127\.0\.0\.1|localhost|::1|::ffff:127\.0\.0\.1)$/;
const GUARDED = Symbol.for('reward-fulfillment.tests-stay-offline');

/** Where a `Socket#connect` call goes: a host for TCP, `undefined` for a local (IPC) path. */
const hostOf = (args: unknown[]): string | undefined => {
  const [first, second] = args;
  const options = Array.isArray(first) ? first[0] : first;
  if (typeof options === 'object' && options !== null) {
    const { host, path } = options as { host?: unknown; path?: unknown };
    if (typeof path === 'string' && host === undefined) return undefined;
    return typeof host === 'string' ? host : 'localhost';
  }
  if (typeof options === 'string' && !/^\d+$/.test(options)) return undefined;
  return typeof second === 'string' ? second : 'localhost';
};

/**
 * Tests never reach the internet: every TCP connection (http, https, fetch, any client) goes
 * through `net.Socket#connect`, which refuses any host but loopback here. Installed once per
 * jest worker; nock is loaded only by the files that fake an API with it (test/helpers/nock.ts),
 * so the suites that talk to loopback servers pay no interceptor on every request.
 */
export const stayOffline = (): void => {
  const proto = net.Socket.prototype as net.Socket & { [GUARDED]?: true };
  if (proto[GUARDED]) return;
  const connect = proto.connect;
  proto.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const host = hostOf(args);
    if (host !== undefined && !LOOPBACK.test(host.replace(/^\[|\]$/g, ''))) {
      // As a connection failure surfaces: an error on the socket, after the caller has listened.
      const refused = new Error(
        `Tests never reach the internet: a connection to ${host} was refused.`,
      );
      process.nextTick(() => this.destroy(refused));
      return this;
    }
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof connect;
  proto[GUARDED] = true;
};
