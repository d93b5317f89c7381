import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Who a call comes from: Zapier's RPC knows the user and the connection (auth) of each invocation. */
export interface RpcIdentity {
  userId: string;
  authId: string;
}

const DEFAULT_IDENTITY: RpcIdentity = { userId: 'user-1', authId: 'auth-1' };

/**
 * A stand-in for Zapier's RPC service on 127.0.0.1, as far as `z.cache` and `z.cursor` use it (the
 * sandbox's hook gateway and the tests run the app against it), modelled on what Zapier does, not
 * only on what the app needs today:
 * - each invocation's token says which user and connection it runs for (`tokenFor`); a cache key
 *   lives in the scope it was set with: `['auth']` per connection, `['user']` per user, both, or
 *   none (the whole app), so two connections never see each other's keys;
 * - `zcache_set` honours `nx` (false when the key exists; the in-memory mock in createAppTester
 *   ignores it) and `ttl`; it answers `null` when throttled, and a 500 when the cache is down;
 * - `lose-answers` stores a set and answers 502 (core retries it, and the retry sees the key);
 *   `hang` never answers, as core sets no timeout on these calls;
 * - `get_cursor`/`set_cursor` keep a string per `storeKey` (one per Zap) for an hour.
 * It also takes the log stream core sends once it has a token (`logUrl`), keeping the lines.
 */
export class FakeZapierRpc {
  readonly store = new Map<string, { value: string; expiresAt: number | undefined }>();
  readonly cursors = new Map<string, { value: string; expiresAt: number }>();
  /**
   * `lose-answers`: a set is stored but answered 502, as when Zapier's store wrote it and the answer
   * was lost (core's RPC client then retries it); `hang`: calls are never answered.
   */
  mode: 'up' | 'throttled' | 'down' | 'lose-answers' | 'hang' = 'up';
  calls: { method: string; params: unknown[]; identity: RpcIdentity; storeKey?: string }[] = [];
  readonly logLines: string[] = [];
  private readonly logWaiters: (() => void)[] = [];

  /**
   * Resolves once more than `count` log lines have arrived. Core streams a run's logs over HTTP and
   * may finish after the run's answer, so a test waits for the lines, never for a time.
   */
  async linesAfter(count: number): Promise<string[]> {
    while (this.logLines.length <= count) {
      await new Promise<void>((wake) => this.logWaiters.push(wake));
    }
    return this.logLines.slice(count);
  }
  /** The stand-in's clock for expiry (real by default); a test moves its own instead of waiting. */
  now: () => number = () => Date.now();
  private readonly identities = new Map<string, RpcIdentity>();
  private server: Server | undefined;
  url = '';
  logUrl = '';

  /** The token an invocation for this user and connection carries (`event.token`). */
  tokenFor(identity: RpcIdentity): string {
    const token = `fake-rpc-token:${identity.userId}:${identity.authId}`;
    this.identities.set(token, identity);
    return token;
  }

  /** The store's key for `key` in `scope`, as seen by `identity`. */
  static scopedKey(key: string, scope: unknown, identity: RpcIdentity): string {
    const scopes = Array.isArray(scope) ? scope : [];
    const parts = ['app'];
    if (scopes.includes('user')) parts.push(`user=${identity.userId}`);
    if (scopes.includes('auth')) parts.push(`auth=${identity.authId}`);
    return `${parts.join('/')}::${key}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => {
        raw += chunk;
      });
      req.on('end', () => {
        if (req.url !== '/rpc') {
          this.logLines.push(...raw.split('\n').filter(Boolean));
          for (const wake of this.logWaiters.splice(0)) wake();
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
          return;
        }
        const { id, method, params, storeKey } = JSON.parse(raw) as {
          id: string;
          method: string;
          params: unknown[];
          storeKey?: string;
        };
        const token = req.headers['x-token'];
        const identity =
          (typeof token === 'string' ? this.identities.get(token) : undefined) ?? DEFAULT_IDENTITY;
        this.calls.push({ method, params, identity, ...(storeKey ? { storeKey } : {}) });
        if (this.mode === 'hang') return;
        if (this.mode === 'lose-answers' && method === 'zcache_set') {
          this.handle(method, params, identity, storeKey);
          res.writeHead(502, { 'content-type': 'application/json' }).end('{"error":"bad gateway"}');
          return;
        }
        if (this.mode === 'down') {
          res
            .writeHead(500, { 'content-type': 'application/json' })
            .end('{"error":"cache unavailable"}');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id, result: this.handle(method, params, identity, storeKey) }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.url = `${origin}/rpc`;
    this.logUrl = `${origin}/input`;
    return this;
  }

  /** Back to an empty, working cache with no recorded calls, between tests. */
  reset(): void {
    this.store.clear();
    this.cursors.clear();
    this.calls = [];
    this.mode = 'up';
    this.now = () => Date.now();
  }

  async stop(): Promise<void> {
    // Hung calls hold their sockets open; end them so the server can close.
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  private handle(
    method: string,
    params: unknown[],
    identity: RpcIdentity,
    storeKey: string | undefined,
  ): unknown {
    const now = this.now();
    if (method === 'get_cursor' || method === 'set_cursor') {
      const zap = storeKey ?? 'no-store-key';
      if (method === 'set_cursor') {
        this.cursors.set(zap, { value: String(params[0]), expiresAt: now + 60 * 60_000 });
        return null;
      }
      const cursor = this.cursors.get(zap);
      return cursor && cursor.expiresAt > now ? cursor.value : null;
    }
    const [key, second, third, fourth, fifth] = params;
    // get and delete take (key, scope); set takes (key, value, ttl, scope, nx).
    const scope = method === 'zcache_set' ? fourth : second;
    const stored = FakeZapierRpc.scopedKey(String(key), scope, identity);
    const live = this.store.get(stored);
    const exists = live !== undefined && (live.expiresAt === undefined || live.expiresAt > now);
    if (method === 'zcache_get') return exists ? live.value : null;
    if (method === 'zcache_delete') return this.store.delete(stored);
    if (method === 'zcache_set') {
      if (this.mode === 'throttled') return null;
      if (fifth === true && exists) return false;
      const ttl = typeof third === 'number' ? third : null;
      this.store.set(stored, {
        value: String(second),
        expiresAt: ttl ? now + ttl * 1000 : undefined,
      });
      return true;
    }
    throw new Error(`unexpected RPC method ${method}`);
  }

  /** The value stored under `key` in `scope` for `identity` (parsed), or undefined. */
  peek(key: string, scope: unknown, identity: RpcIdentity = DEFAULT_IDENTITY): unknown {
    const live = this.store.get(FakeZapierRpc.scopedKey(key, scope, identity));
    return live === undefined ? undefined : JSON.parse(live.value);
  }
}
