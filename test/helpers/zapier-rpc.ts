import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for Zapier's RPC service on 127.0.0.1, as far as `z.cache` uses it: `zcache_set` with
 * `nx` answers false when the key exists (Zapier's own contract; the in-memory mock in
 * createAppTester ignores `nx`), `null` when throttled, and a 500 when the cache is down.
 */
export class FakeZapierRpc {
  readonly store = new Map<string, { value: string; expiresAt: number | undefined }>();
  mode: 'up' | 'throttled' | 'down' = 'up';
  calls: { method: string; params: unknown[] }[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => {
        raw += chunk;
      });
      req.on('end', () => {
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
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/rpc`;
    return this;
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
