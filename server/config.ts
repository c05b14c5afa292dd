// The backend's settings, read from the environment once at start. A bad value stops the server with
// a message naming the variable and what it accepts, rather than running with a surprise.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Rate } from './limits.ts';

export interface ServerOptions {
  /** `PORT` (default 8787; 0 picks a free port). */
  port: number;
  /** `HOST` (default 127.0.0.1: loopback only; set 0.0.0.0 to listen on every interface). */
  host: string;
  /** `DATA_DIR` (default ./.stocktake-data), created when missing; holds the SQLite file. */
  dataDir: string;
  /** `STOCKTAKE_WRITE_TOKEN`; when absent one is generated on first start, its hash kept in DATA_DIR. */
  writeToken?: string;
  /** `STOCKTAKE_MAX_SNAPSHOT_BYTES` (default 20 MiB). */
  maxSnapshotBytes: number;
  /** `STOCKTAKE_MAX_JSON_BYTES` (default 2 MiB): sync pushes. */
  maxJsonBytes: number;
  /** `STOCKTAKE_WRITES_PER_MINUTE` (default 60): per token and, separately, per address. */
  writeRate: Rate;
  /** `STOCKTAKE_READS_PER_MINUTE` (default 600): per address. */
  readRate: Rate;
  /** `STOCKTAKE_SNAPSHOT_DAYS` (default 30): lifetime of a snapshot stored without `expiresInDays`. */
  defaultExpiryDays: number;
  /** Longest `expiresInDays` a client may ask for. */
  maxExpiryDays: number;
  /** `STOCKTAKE_ALLOWED_ORIGINS`: comma list of origins allowed by CORS. */
  allowedOrigins: string[];
  /** `STOCKTAKE_STATIC_DIR`, else `dist/` when it exists: the built app served at `/` and `/s/<id>`. */
  staticDir?: string;
  /** `STOCKTAKE_PURGE_INTERVAL_S` (default 600): how often expired snapshots are deleted. */
  purgeIntervalMs: number;
  /** `STOCKTAKE_TRUST_PROXY=1`: take the client address from X-Forwarded-For (only behind a proxy you run). */
  trustProxy: boolean;
  /** The app's version (package.json), reported by /healthz. */
  version: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const DEFAULT_ORIGINS = ['http://localhost:5173', 'http://localhost:4173'];
const MiB = 1024 * 1024;

type Env = Record<string, string | undefined>;

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw.trim());
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function readOrigins(env: Env): string[] {
  const raw = env.STOCKTAKE_ALLOWED_ORIGINS;
  if (raw === undefined || raw.trim() === '') return DEFAULT_ORIGINS;
  const origins = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const o of origins) {
    let url: URL;
    try {
      url = new URL(o);
    } catch {
      throw new ConfigError(`STOCKTAKE_ALLOWED_ORIGINS: "${o}" is not an origin like https://stocktake.example.com`);
    }
    // An origin is scheme://host[:port] exactly; a path or trailing slash would never match a browser's Origin header.
    if (url.origin !== o) throw new ConfigError(`STOCKTAKE_ALLOWED_ORIGINS: "${o}" is not an origin; did you mean "${url.origin}"?`);
  }
  return origins;
}

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Reads the options from `env` (default: process.env) relative to `cwd`; throws ConfigError on a bad value. */
export function readConfig(env: Env = process.env, cwd = process.cwd()): ServerOptions {
  const token = env.STOCKTAKE_WRITE_TOKEN;
  if (token !== undefined && token !== '' && (token.length < 16 || /\s/.test(token))) {
    throw new ConfigError('STOCKTAKE_WRITE_TOKEN must be at least 16 characters without spaces (or unset it to have one generated)');
  }
  const trust = env.STOCKTAKE_TRUST_PROXY ?? '0';
  if (!['0', '1', 'true', 'false'].includes(trust)) throw new ConfigError(`STOCKTAKE_TRUST_PROXY must be 0 or 1, got "${trust}"`);
  const writes = readInt(env, 'STOCKTAKE_WRITES_PER_MINUTE', 60, 1, 10_000_000);
  const reads = readInt(env, 'STOCKTAKE_READS_PER_MINUTE', 600, 1, 10_000_000);
  const maxExpiryDays = 365;
  let staticDir: string | undefined;
  if (env.STOCKTAKE_STATIC_DIR) {
    staticDir = resolve(cwd, env.STOCKTAKE_STATIC_DIR);
    if (!existsSync(resolve(staticDir, 'index.html'))) throw new ConfigError(`STOCKTAKE_STATIC_DIR: no index.html in ${staticDir} (run npm run build)`);
  } else if (existsSync(resolve(cwd, 'dist/index.html'))) {
    staticDir = resolve(cwd, 'dist');
  }
  return {
    port: readInt(env, 'PORT', 8787, 0, 65535),
    host: env.HOST?.trim() || '127.0.0.1',
    dataDir: resolve(cwd, env.DATA_DIR?.trim() || './.stocktake-data'),
    writeToken: token || undefined,
    maxSnapshotBytes: readInt(env, 'STOCKTAKE_MAX_SNAPSHOT_BYTES', 20 * MiB, 1, 1024 * MiB),
    maxJsonBytes: readInt(env, 'STOCKTAKE_MAX_JSON_BYTES', 2 * MiB, 1024, 256 * MiB),
    writeRate: { perMinute: writes },
    readRate: { perMinute: reads },
    defaultExpiryDays: readInt(env, 'STOCKTAKE_SNAPSHOT_DAYS', 30, 1, maxExpiryDays),
    maxExpiryDays,
    allowedOrigins: readOrigins(env),
    staticDir,
    purgeIntervalMs: readInt(env, 'STOCKTAKE_PURGE_INTERVAL_S', 600, 1, 86_400) * 1000,
    trustProxy: trust === '1' || trust === 'true',
    version: readVersion(),
  };
}
