// Request limits of the backend: token-bucket rate limiting keyed by token or address, and reading a
// request body with a byte cap (refused from Content-Length before reading when it can be).

/** A rate: `perMinute` requests on average, bursts up to `burst` (default: one minute's worth). */
export interface Rate {
  perMinute: number;
  burst?: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Token buckets, one per key (`token:<hash>`, `addr:<ip>`). Each bucket holds up to `burst` tokens and
 * refills continuously at `perMinute / 60` per second; a request takes one. Time comes from the caller,
 * so tests and the fake clock drive it without sleeping.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #capacity: number;
  readonly #perMs: number;

  constructor(rate: Rate) {
    this.#capacity = Math.max(1, rate.burst ?? rate.perMinute);
    this.#perMs = rate.perMinute / 60_000;
  }

  /** Takes one token from `key`'s bucket at time `now` (ms), or says how long until one is there. */
  take(key: string, now: number): TakeResult {
    const b = this.#buckets.get(key) ?? { tokens: this.#capacity, at: now };
    b.tokens = Math.min(this.#capacity, b.tokens + Math.max(0, now - b.at) * this.#perMs);
    b.at = now;
    this.#buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    const waitMs = this.#perMs > 0 ? (1 - b.tokens) / this.#perMs : 60_000;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /** Forgets buckets that have refilled completely (they behave exactly like new ones); keeps memory bounded. */
  prune(now: number): void {
    for (const [key, b] of this.#buckets) {
      if (b.tokens + (now - b.at) * this.#perMs >= this.#capacity) this.#buckets.delete(key);
    }
  }

  get size(): number {
    return this.#buckets.size;
  }
}

export type BodyResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: 'too-large'; limit: number };

/**
 * Reads a request body, refusing it as soon as it passes `maxBytes`: from Content-Length before reading
 * anything when the client sent one, else while streaming (chunked uploads), so an oversize upload
 * never sits in memory whole.
 */
export async function readBodyLimited(req: Request, maxBytes: number): Promise<BodyResult> {
  const declared = req.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) {
    await req.body?.cancel().catch(() => undefined);
    return { ok: false, reason: 'too-large', limit: maxBytes };
  }
  if (!req.body) return { ok: true, bytes: new Uint8Array(0) };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { ok: false, reason: 'too-large', limit: maxBytes };
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return { ok: true, bytes: out };
}

/** `20 MiB`, `512 KiB`, `300 B`: byte counts in error messages. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
