// Starting and stopping the backend: opens the store, settles the write token, binds the Hono app to a
// port and runs the expiry timer. main.ts calls it for `npm run server`; tests call it on port 0.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp, hashToken } from './app.ts';
import type { ServerOptions } from './config.ts';
import { RateLimiter } from './limits.ts';
import { Store } from './store.ts';

/** meta key of the generated write token's hash. */
const TOKEN_META = 'write_token_sha256';

export interface RunningServer {
  /** `http://<host>:<port>` */
  url: string;
  port: number;
  /** The write token generated on this start (first start without STOCKTAKE_WRITE_TOKEN); shown once. */
  generatedToken?: string;
  /** Stops accepting requests, ends open connections, stops the timer and closes the database. */
  close(): Promise<void>;
}

export interface StartDeps {
  now?: () => number;
  /** Where the one-time token notice goes (default: stdout). */
  log?: (line: string) => void;
}

/** Generates a write token: 256 random bits, base64url. */
function generateToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
}

export async function startServer(options: ServerOptions, deps: StartDeps = {}): Promise<RunningServer> {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const store = new Store(options.dataDir);

  let tokenHash: string;
  let generatedToken: string | undefined;
  if (options.writeToken) {
    tokenHash = hashToken(options.writeToken);
  } else {
    const stored = store.getMeta(TOKEN_META);
    if (stored) {
      tokenHash = stored;
    } else {
      // Only the hash is kept: the token is shown this once, and lost tokens are replaced by setting STOCKTAKE_WRITE_TOKEN.
      generatedToken = generateToken();
      tokenHash = hashToken(generatedToken);
      store.setMeta(TOKEN_META, tokenHash);
      log(`stocktake-server: generated a write token (shown only now; keep it): ${generatedToken}`);
    }
  }

  const limiters = { writes: new RateLimiter(options.writeRate), reads: new RateLimiter(options.readRate) };
  const app = createApp({ ...options, store, tokenHash, now, limiters });
  const purge = () => {
    const t = now();
    store.purgeExpired(t);
    limiters.writes.prune(t);
    limiters.reads.prune(t);
  };
  purge();
  const timer = setInterval(purge, options.purgeIntervalMs);
  timer.unref();

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s));
    s.once('error', reject);
  }).catch((e: unknown) => {
    clearInterval(timer);
    store.close();
    throw e;
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    generatedToken,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        clearInterval(timer);
        server.close(() => {
          store.close();
          resolve();
        });
        // Keep-alive connections would hold close() open; requests in flight on them are cut.
        if ('closeAllConnections' in server) server.closeAllConnections();
      })),
  };
}
