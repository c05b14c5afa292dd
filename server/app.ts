// The backend's HTTP routes as a Hono app: snapshots stored as opaque bytes, catalog sync per
// workspace, and (when built) the static app. `createApp` takes its store, token hash and clock, so
// it runs with or without a socket; serve.ts binds it to a port.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { checkPushRequest, SNAPSHOT_ID_PATTERN, SYNC_LIMITS } from '../src/core/snapshot/sync-types.ts';
import type { ServerOptions } from './config.ts';
import { formatBytes, RateLimiter, readBodyLimited } from './limits.ts';
import type { Store } from './store.ts';

export type AppOptions = Pick<
  ServerOptions,
  'maxSnapshotBytes' | 'maxJsonBytes' | 'writeRate' | 'readRate' | 'defaultExpiryDays' | 'maxExpiryDays' | 'allowedOrigins' | 'staticDir' | 'trustProxy' | 'version'
> & {
  store: Store;
  /** SHA-256 (hex) of the write token: the only form in which the server keeps it. */
  tokenHash: string;
  /** Clock in ms; tests pass a controllable one to expire snapshots without waiting. */
  now?: () => number;
  /** Rate limiters, when the caller wants to prune them on its timer; else made from the rates. */
  limiters?: { writes: RateLimiter; reads: RateLimiter };
};

/** Error codes of the JSON error body `{ error, message }`. */
export type ApiErrorCode = 'unauthorized' | 'too-large' | 'bad-request' | 'not-found' | 'rate-limited' | 'unsupported-media-type' | 'internal';

const DAY_MS = 86_400_000;
const PULL_PAGE = 1000;
const HEALTH_COUNT_TTL_MS = 5_000;

/** SHA-256 (hex) of a token. Tokens are long random strings, so a plain hash is enough to keep them unreadable at rest. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** 128 random bits from crypto.getRandomValues as unpadded base64url: 22 characters. */
export function newSnapshotId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Buffer.from(bytes).toString('base64url');
}

/**
 * CSP of the static app: scripts only from this origin plus WebAssembly compilation (DuckDB-WASM,
 * onnxruntime-web), workers from this origin or blob: URLs, fetches to this origin only (snapshots
 * come from /api on the same origin). Svelte sets style attributes, hence 'unsafe-inline' for styles.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** API responses are data, never documents: nothing may load from or frame them. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export function createApp(opts: AppOptions): Hono {
  const now = opts.now ?? Date.now;
  const { store } = opts;
  const expected = Buffer.from(opts.tokenHash, 'hex');
  const writes = opts.limiters?.writes ?? new RateLimiter(opts.writeRate);
  const reads = opts.limiters?.reads ?? new RateLimiter(opts.readRate);
  const app = new Hono();

  const fail = (c: Context, status: 400 | 401 | 404 | 413 | 415 | 429 | 500, error: ApiErrorCode, message: string) =>
    c.json({ error, message }, status);

  /** The client's address: the socket's peer, or X-Forwarded-For's first hop when told to trust a proxy. */
  const addressOf = (c: Context): string => {
    if (opts.trustProxy) {
      const fwd = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
      if (fwd) return fwd;
    }
    try {
      return getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      return 'unknown'; // no socket (app.request in tests): every caller shares one bucket
    }
  };

  /** The bearer token's hash when it is the write token; undefined otherwise (compared in constant time). */
  const authorizedHash = (c: Context): string | undefined => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    if (!m) return undefined;
    const hash = hashToken(m[1]);
    return timingSafeEqual(Buffer.from(hash, 'hex'), expected) ? hash : undefined;
  };

  const limited = (c: Context, limiter: RateLimiter, key: string) => {
    const r = limiter.take(key, now());
    if (r.ok) return undefined;
    c.header('Retry-After', String(r.retryAfterSeconds));
    return fail(c, 429, 'rate-limited', `Too many requests; retry in ${r.retryAfterSeconds} s`);
  };

  /**
   * Gate of every write: the address's bucket first (so guessing tokens is rate limited too), then the
   * token, then the token's bucket. Returns the token hash, or the response refusing the request.
   */
  const guardWrite = (c: Context): { owner: string } | { res: Response } => {
    const byAddr = limited(c, writes, `addr:${addressOf(c)}`);
    if (byAddr) return { res: byAddr };
    const owner = authorizedHash(c);
    if (!owner) return { res: unauthorized(c) };
    const byToken = limited(c, writes, `token:${owner}`);
    return byToken ? { res: byToken } : { owner };
  };

  /** Gate of authorized reads (lists, pulls): the address's read bucket, then the token. */
  const guardRead = (c: Context): { owner: string } | { res: Response } => {
    const byAddr = limited(c, reads, `addr:${addressOf(c)}`);
    if (byAddr) return { res: byAddr };
    const owner = authorizedHash(c);
    return owner ? { owner } : { res: unauthorized(c) };
  };

  const unauthorized = (c: Context) => {
    c.header('WWW-Authenticate', 'Bearer');
    return fail(c, 401, 'unauthorized', c.req.header('authorization') ? 'The write token is wrong' : 'Missing Authorization: Bearer <write token>');
  };

  const checkWorkspace = (c: Context): string | Response => {
    const ws = c.req.param('workspace') ?? '';
    return SYNC_LIMITS.workspacePattern.test(ws) ? ws : fail(c, 400, 'bad-request', `workspace "${ws}" must be 1–64 letters, digits, '.', '_' or '-'`);
  };

  // Security headers on every response; the static app's own set is added where it is served.
  app.use('*', async (c, next) => {
    await next();
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    c.res.headers.set('Referrer-Policy', 'no-referrer');
    if (c.req.path.startsWith('/api/') || c.req.path === '/healthz') {
      c.res.headers.set('Content-Security-Policy', API_CSP);
      c.res.headers.set('Cache-Control', 'no-store');
    }
  });

  const corsMw = cors({
    origin: (origin) => (opts.allowedOrigins.includes(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type'],
    exposeHeaders: ['Retry-After'],
    maxAge: 600,
  });
  app.use('/api/*', corsMw);
  app.use('/healthz', corsMw);

  app.onError((err, c) => {
    console.error('stocktake-server: unexpected error', err);
    return fail(c, 500, 'internal', 'The server failed on this request');
  });

  // Counting is a scan of the expiry index; /healthz is public and polled, so the count is reused for a
  // few seconds (expiry) and recounted after every store or delete here.
  let counted = { at: -Infinity, n: 0 };
  const recount = () => (counted = { at: -Infinity, n: 0 });
  app.get('/healthz', (c) => {
    const t = now();
    if (t - counted.at > HEALTH_COUNT_TTL_MS || t < counted.at) counted = { at: t, n: store.countSnapshots(t) };
    return c.json({ ok: true as const, version: opts.version, snapshots: counted.n });
  });

  // ---- snapshots ----

  app.post('/api/snapshots', async (c) => {
    const g = guardWrite(c);
    if ('res' in g) return g.res;
    const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/octet-stream') {
      return fail(c, 415, 'unsupported-media-type', `Send the snapshot as Content-Type: application/octet-stream (got "${type || 'none'}")`);
    }
    const daysRaw = c.req.query('expiresInDays');
    let days = opts.defaultExpiryDays;
    if (daysRaw !== undefined) {
      days = Number(daysRaw);
      if (!Number.isInteger(days) || days < 1 || days > opts.maxExpiryDays) {
        return fail(c, 400, 'bad-request', `expiresInDays must be an integer from 1 to ${opts.maxExpiryDays}, got "${daysRaw}"`);
      }
    }
    const body = await readBodyLimited(c.req.raw, opts.maxSnapshotBytes);
    if (!body.ok) return fail(c, 413, 'too-large', `The snapshot is larger than this server's limit of ${formatBytes(body.limit)}`);
    if (body.bytes.byteLength === 0) return fail(c, 400, 'bad-request', 'The snapshot is empty');
    const createdAt = now();
    const expiresAt = createdAt + days * DAY_MS;
    let id = newSnapshotId();
    // A collision of 128 random bits does not happen in practice; drawing again keeps it correct anyway.
    while (!store.insertSnapshot({ id, owner: g.owner, data: body.bytes, createdAt, expiresAt })) id = newSnapshotId();
    recount();
    return c.json({ id, expiresAt, bytes: body.bytes.byteLength }, 201);
  });

  app.get('/api/snapshots', (c) => {
    const g = guardRead(c);
    if ('res' in g) return g.res;
    return c.json(store.listSnapshots(g.owner, now()));
  });

  // No token here: the unguessable id (and the key in the link's hash, which the server never sees) is the capability.
  app.get('/api/snapshots/:id', (c) => {
    const byAddr = limited(c, reads, `addr:${addressOf(c)}`);
    if (byAddr) return byAddr;
    const id = c.req.param('id');
    const data = SNAPSHOT_ID_PATTERN.test(id) ? store.getSnapshotData(id, now()) : undefined;
    if (!data) return fail(c, 404, 'not-found', 'No such snapshot: the link is wrong, or the snapshot expired or was deleted');
    return c.body(data as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/octet-stream' });
  });

  app.delete('/api/snapshots/:id', (c) => {
    const g = guardWrite(c);
    if ('res' in g) return g.res;
    if (!store.deleteSnapshot(c.req.param('id'), g.owner)) return fail(c, 404, 'not-found', 'No snapshot of yours has this id');
    recount();
    return c.body(null, 204);
  });

  // ---- catalog sync ----

  app.post('/api/sync/:workspace/push', async (c) => {
    const g = guardWrite(c);
    if ('res' in g) return g.res;
    const ws = checkWorkspace(c);
    if (typeof ws !== 'string') return ws;
    const body = await readBodyLimited(c.req.raw, opts.maxJsonBytes);
    if (!body.ok) return fail(c, 413, 'too-large', `The push is larger than this server's limit of ${formatBytes(body.limit)} of JSON; push fewer records at a time`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body.bytes));
    } catch (e) {
      return fail(c, 400, 'bad-request', `Malformed JSON: ${(e as Error).message}`);
    }
    const checked = checkPushRequest(parsed);
    if (!checked.ok) return fail(c, 400, 'bad-request', checked.error);
    return c.json(store.push(ws, checked.value, now()));
  });

  app.get('/api/sync/:workspace/pull', (c) => {
    const g = guardRead(c);
    if ('res' in g) return g.res;
    const ws = checkWorkspace(c);
    if (typeof ws !== 'string') return ws;
    const raw = c.req.query('since') ?? '0';
    const since = Number(raw);
    if (!Number.isSafeInteger(since) || since < 0) return fail(c, 400, 'bad-request', `since must be a non-negative integer server version, got "${raw}"`);
    return c.json(store.pull(ws, since, PULL_PAGE));
  });

  app.get('/api/sync/:workspace/conflicts', (c) => {
    const g = guardRead(c);
    if ('res' in g) return g.res;
    const ws = checkWorkspace(c);
    if (typeof ws !== 'string') return ws;
    return c.json(store.listConflicts(ws, 500));
  });

  app.all('/api/*', (c) => fail(c, 404, 'not-found', `No API route ${c.req.method} ${c.req.path}`));

  // ---- the static app ----

  if (opts.staticDir) {
    const root = opts.staticDir;
    const appHeaders = async (c: Context, next: () => Promise<void>) => {
      await next();
      c.res.headers.set('Content-Security-Policy', APP_CSP);
      // Cross-origin isolation: threaded DuckDB-WASM needs SharedArrayBuffer.
      c.res.headers.set('Cross-Origin-Opener-Policy', 'same-origin');
      c.res.headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
      c.res.headers.set('Cross-Origin-Resource-Policy', 'same-origin');
      if (c.req.path.startsWith('/assets/')) c.res.headers.set('Cache-Control', 'public, max-age=31536000, immutable');
      else if (c.res.status === 200) c.res.headers.set('Cache-Control', 'no-cache');
    };
    app.use('*', appHeaders);
    // A share link /s/<id>#k=<key> opens the app, which reads the id from the path and fetches /api/snapshots/<id>.
    app.get('/s/:id', async (c) => c.html(await readFile(join(root, 'index.html'), 'utf8')));
    app.use('*', serveStatic({ root }));
  }

  app.notFound((c) => c.text('Not found', 404));

  return app;
}
