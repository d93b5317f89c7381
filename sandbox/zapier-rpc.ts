import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for Zapier's RPC service on 127.0.0.1, as far as `z.cache` uses it (the sandbox's hook
 * gateway and the tests run the app against it): `zcache_set` with
 * `nx` answers false when the key exists (Zapier's own contract; the in-memory mock in
 * createAppTester ignores `nx`), `null` when throttled, and a 500 when the cache is down.
 * It also takes the log stream core sends once it has a token (`logUrl`), keeping the lines.
 */
export class FakeZapierRpc {
  readonly store = new Map<string, { value: string; expiresAt: number | undefined }>();
  mode: 'up' | 'throttled' | 'down' = 'up';
  calls: { method: string; params: unknown[] }[] = [];
  readonly logLines: string[] = [];
  private server: Server | undefined;
  url = '';
  logUrl = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => {
        raw += chunk;
      });
      req.on('end', () => {
        if (req.url !== '/rpc') {
          this.logLines.push(...raw.split('\n').filter(Boolean));
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
          return;
        }
        const { id, method, params } = JSON.parse(raw) as {
          id: string;
          method: string;
          params: unknown[];
        };
        this.calls.push({ method, params });
        if (this.mode === 'down') {
          res
            .writeHead(500, { 'content-type': 'application/json' })
            .end('{"error":"cache unavailable"}');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id, result: this.handle(method, params) }));
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
    this.calls = [];
    this.mode = 'up';
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  private handle(method: string, params: unknown[]): unknown {
    const [key, value, ttl, , nx] = params as [
      string,
      string,
      number | null,
      unknown,
      boolean | null,
    ];
    const now = Date.now();
    const live = this.store.get(key);
    const exists = live !== undefined && (live.expiresAt === undefined || live.expiresAt > now);
    if (method === 'zcache_get') return exists ? live.value : null;
    if (method === 'zcache_delete') return this.store.delete(key);
    if (method === 'zcache_set') {
      if (this.mode === 'throttled') return null;
      if (nx && exists) return false;
      this.store.set(key, { value, expiresAt: ttl ? now + ttl * 1000 : undefined });
      return true;
    }
    throw new Error(`unexpected RPC method ${method}`);
  }
}
