// Numbers in compact snapshots: floats rounded to significant digits, and evenly spaced histogram
// edges stored as their two ends (spread out again on restore). Pure.

/** Rounds a float to `digits` significant digits; integers (counts) stay exact. */
export function roundSignificant(v: number, digits = 4): number {
  if (!Number.isFinite(v) || Number.isInteger(v)) return v;
  return Number(v.toPrecision(digits));
}

/**
 * Evenly spaced bin edges (linearly, or geometrically on a log histogram) as just their two ends:
 * restoreSnapshot spreads them out again. Other edges are kept, rounded.
 */
export function compactEdges(edges: readonly number[], log: boolean | undefined, isDate = false): number[] {
  // Date edges are epoch ms: whole milliseconds are precise enough, significant digits are not.
  const round = (e: number) => (isDate ? Math.round(e) : roundSignificant(e, 4));
  const n = edges.length - 1;
  if (n < 2) return edges.map(round);
  const lo = edges[0];
  const hi = edges[n];
  const even = spreadEdges(lo, hi, n, log === true && lo > 0);
  const span = Math.abs(hi - lo) || 1;
  const isEven = edges.every((e, i) => Math.abs(e - even[i]) <= span * 1e-6);
  return isEven ? [lo, hi] : edges.map(round);
}

/** `n + 1` edges from `lo` to `hi`, evenly spaced (geometrically when `geometric`). */
export function spreadEdges(lo: number, hi: number, n: number, geometric: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i <= n; i++) {
    out.push(i === 0 ? lo : i === n ? hi : geometric ? lo * Math.pow(hi / lo, i / n) : lo + ((hi - lo) * i) / n);
  }
  return out;
}

/** Edges as stored: two ends stand for `bins + 1` evenly spaced edges (see compactEdges). */
export function expandEdges(edges: readonly number[], bins: number, log: boolean | undefined): number[] {
  if (edges.length === 2 && bins > 1) return spreadEdges(edges[0], edges[1], bins, log === true && edges[0] > 0);
  return [...edges];
}

