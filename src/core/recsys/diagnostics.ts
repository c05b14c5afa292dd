// Recommender-readiness diagnostics of an interaction log: size and density, popularity skew, cold start
// and k-core losses, time coverage, duplicate events and suspicious (bursty or robot-regular) users.
import type { InteractionLog } from './interactions.ts';
import { sortByUserTime } from './interactions.ts';

/** Counts in log-spaced bins: bin b holds values in [edges[b], edges[b+1]). Edges are 1, 2, 4, 8, … */
export interface LogHistogram {
  edges: number[];
  counts: number[];
  min: number;
  median: number;
  mean: number;
  max: number;
}

export interface DiagnosticsOptions {
  /** Cold start threshold: users/items with fewer than k interactions (default 5; editable in the UI). */
  coldK?: number;
  /** k values for k-core filtering (default 2, 5, 10). */
  coreKs?: number[];
  /** "Now" in epoch seconds: later timestamps are in the future (default: the caller's clock). */
  nowSeconds?: number;
  /** Timestamps before this (epoch seconds) are "before the data's start"; default derived from quantiles. */
  startSeconds?: number;
  /** Robust z-score above which a user's burst or regularity is flagged (default 3.5, Iglewicz–Hoaglin). */
  zThreshold?: number;
  /** Burst window in seconds (default 60). */
  burstWindowSeconds?: number;
  /** Users need this many timed events before their regularity is judged (default 10). */
  minEventsForRegularity?: number;
}

export interface SuspiciousUser {
  user: string;
  interactions: number;
  /** Most distinct event seconds in any burst window. */
  maxBurst: number;
  burstZ: number;
  /** Coefficient of variation of the gaps between consecutive events; near 0 is clockwork. */
  gapCv: number | null;
  regularityZ: number | null;
  reasons: ('burst' | 'regular')[];
}

export interface Diagnostics {
  size: { users: number; items: number; interactions: number; distinctPairs: number; density: number; events: Record<string, number> };
  perUser: LogHistogram;
  perItem: LogHistogram;
  popularity: {
    /** Share of items outside the head that takes 80% of interactions. */
    longTailItemShare: number;
    /** Share of interactions that go to the 20% most popular items. */
    top20ItemInteractionShare: number;
    gini: number;
  };
  coldStart: { k: number; userShare: number; itemShare: number; users: number; items: number };
  kCore: { k: number; users: number; items: number; interactions: number; droppedUsers: number; droppedItems: number; droppedInteractions: number }[];
  time: {
    timed: number;
    nullTime: number;
    min: number | null;
    max: number | null;
    spanDays: number;
    /** Interactions per UTC day from the first to the last day (0 for days without any). */
    perDay: { startDay: number; counts: number[] };
    emptyDays: number;
    largestGaps: { from: number; to: number; seconds: number }[];
    future: number;
    beforeStart: number;
    nowSeconds: number;
    startSeconds: number;
  };
  duplicates: { rows: number; groups: number; share: number };
  suspicious: {
    thresholds: { z: number; burstWindowSeconds: number; minEventsForRegularity: number; burstMedian: number; burstMad: number; cvMedian: number; cvMad: number };
    users: SuspiciousUser[];
  };
}

function median(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 ? sorted[(n - 1) >> 1] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Median and median absolute deviation, the robust centre and spread of the z-scores. */
export function computeMedianMad(values: Float64Array): { median: number; mad: number } {
  const s = Float64Array.from(values).sort();
  const m = median(s);
  const dev = s.map((v) => Math.abs(v - m)).sort();
  return { median: m, mad: median(dev) };
}

/** Robust z-score (Iglewicz–Hoaglin): 0.6745 (x − median) / MAD; infinite spread-free outliers stay finite. */
export function computeRobustZ(x: number, med: number, mad: number): number {
  if (mad > 0) return (0.6745 * (x - med)) / mad;
  return x === med ? 0 : Math.sign(x - med) * 1e6;
}

/** Histogram over powers of two, for counts ≥ 1. */
export function buildLogHistogram(counts: Int32Array): LogHistogram {
  const s = Int32Array.from(counts).sort();
  const max = s.length ? s[s.length - 1] : 0;
  const edges = [1];
  while (edges[edges.length - 1] <= max) edges.push(edges[edges.length - 1] * 2);
  const bins = new Array(edges.length - 1).fill(0);
  for (const c of s) if (c >= 1) bins[Math.floor(Math.log2(c))]++;
  let sum = 0;
  for (const c of s) sum += c;
  return { edges, counts: bins, min: s.length ? s[0] : 0, median: median(s), mean: s.length ? sum / s.length : 0, max };
}

/** Gini coefficient of non-negative counts (0: all equal, → 1: one item takes everything). */
export function computeGini(counts: Int32Array): number {
  const s = Int32Array.from(counts).sort();
  const n = s.length;
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    total += s[i];
    weighted += (i + 1) * s[i];
  }
  return n === 0 || total === 0 ? 0 : (2 * weighted) / (n * total) - (n + 1) / n;
}

export function countPerUser(log: InteractionLog): Int32Array {
  const c = new Int32Array(log.users.length);
  for (let r = 0; r < log.user.length; r++) c[log.user[r]]++;
  return c;
}

export function countPerItem(log: InteractionLog): Int32Array {
  const c = new Int32Array(log.items.length);
  for (let r = 0; r < log.item.length; r++) c[log.item[r]]++;
  return c;
}

function countDistinctPairs(log: InteractionLog): number {
  const seen = new Set<number>();
  const nItems = log.items.length;
  for (let r = 0; r < log.user.length; r++) seen.add(log.user[r] * nItems + log.item[r]);
  return seen.size;
}

/** Iterative k-core: drops users and items with fewer than k interactions until none are left to drop. */
export function computeKCore(log: InteractionLog, k: number): { users: number; items: number; interactions: number } {
  const n = log.user.length;
  const alive = new Uint8Array(n).fill(1);
  const pu = countPerUser(log);
  const pi = countPerItem(log);
  let changed = true;
  while (changed) {
    changed = false;
    for (let r = 0; r < n; r++) {
      if (alive[r] && (pu[log.user[r]] < k || pi[log.item[r]] < k)) {
        alive[r] = 0;
        pu[log.user[r]]--;
        pi[log.item[r]]--;
        changed = true;
      }
    }
  }
  let interactions = 0;
  for (let r = 0; r < n; r++) interactions += alive[r];
  let users = 0;
  let items = 0;
  for (const c of pu) if (c > 0) users++;
  for (const c of pi) if (c > 0) items++;
  return { users, items, interactions };
}

/**
 * Duplicate events: rows equal to an earlier row on (user, item, event, whole second). Returns a mask
 * with 1 on every row after the first of its group.
 */
export function markDuplicateEvents(log: InteractionLog): Uint8Array {
  const dup = new Uint8Array(log.user.length);
  const seen = new Set<string>();
  for (let r = 0; r < log.user.length; r++) {
    const t = log.time[r];
    const key = `${log.user[r]}|${log.item[r]}|${log.event[r]}|${Number.isNaN(t) ? 'null' : Math.floor(t)}`;
    if (seen.has(key)) dup[r] = 1;
    else seen.add(key);
  }
  return dup;
}

/**
 * Flags users whose busiest window or clockwork regularity is an outlier among all users (robust z
 * beyond `z`). Bursts count events in a sliding `burstWindowSeconds`; regularity is the coefficient of
 * variation of gaps between distinct timestamps, low z = more regular than people are.
 */
export function findSuspiciousUsers(log: InteractionLog, options: DiagnosticsOptions = {}): Diagnostics['suspicious'] {
  const z = options.zThreshold ?? 3.5;
  const windowS = options.burstWindowSeconds ?? 60;
  const minEvents = options.minEventsForRegularity ?? 10;
  const order = sortByUserTime(log);
  const nUsers = log.users.length;
  const maxBurst = new Float64Array(nUsers);
  const cv = new Float64Array(nUsers).fill(NaN);
  const total = countPerUser(log);
  let start = 0;
  while (start < order.length) {
    const u = log.user[order[start]];
    let end = start;
    while (end < order.length && log.user[order[end]] === u) end++;
    const times: number[] = [];
    for (let p = start; p < end; p++) {
      const t = log.time[order[p]];
      if (!Number.isNaN(t)) times.push(t);
    }
    // Bursts count distinct seconds: an order of five lines or an invoice is one act, not a burst.
    const seconds: number[] = [];
    for (const t of times) {
      const sec = Math.floor(t);
      if (seconds.length === 0 || seconds[seconds.length - 1] !== sec) seconds.push(sec);
    }
    let best = 0;
    for (let a = 0, b = 0; b < seconds.length; b++) {
      while (seconds[b] - seconds[a] >= windowS) a++;
      best = Math.max(best, b - a + 1);
    }
    maxBurst[u] = best;
    if (times.length >= minEvents) {
      const gaps: number[] = [];
      for (let i = 1; i < times.length; i++) if (times[i] > times[i - 1]) gaps.push(times[i] - times[i - 1]);
      if (gaps.length >= minEvents - 1) {
        const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
        const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length);
        cv[u] = mean > 0 ? sd / mean : NaN;
      }
    }
    start = end;
  }
  const burst = computeMedianMad(maxBurst);
  const judged = cv.filter((v) => !Number.isNaN(v));
  const cvStats = judged.length ? computeMedianMad(judged) : { median: NaN, mad: NaN };
  const users: SuspiciousUser[] = [];
  for (let u = 0; u < nUsers; u++) {
    const bz = computeRobustZ(maxBurst[u], burst.median, burst.mad);
    const rz = Number.isNaN(cv[u]) || judged.length < 3 ? null : computeRobustZ(cv[u], cvStats.median, cvStats.mad);
    const reasons: SuspiciousUser['reasons'] = [];
    // A burst must also be a real burst (≥ 5 events a window), else a median of 1 flags every pair of clicks.
    if (bz > z && maxBurst[u] >= 5) reasons.push('burst');
    if (rz !== null && rz < -z) reasons.push('regular');
    if (reasons.length) {
      users.push({ user: log.users[u], interactions: total[u], maxBurst: maxBurst[u], burstZ: bz, gapCv: Number.isNaN(cv[u]) ? null : cv[u], regularityZ: rz, reasons });
    }
  }
  users.sort((a, b) => b.interactions - a.interactions || (a.user < b.user ? -1 : 1));
  return {
    thresholds: { z, burstWindowSeconds: windowS, minEventsForRegularity: minEvents, burstMedian: burst.median, burstMad: burst.mad, cvMedian: cvStats.median, cvMad: cvStats.mad },
    users,
  };
}

const DAY = 86_400;
// Before 1995 nothing was sold online: earlier timestamps are zero dates or unit mistakes.
const EARLIEST_PLAUSIBLE = 788_918_400;

function diagnoseTime(log: InteractionLog, options: DiagnosticsOptions): Diagnostics['time'] {
  const timed: number[] = [];
  for (const t of log.time) if (!Number.isNaN(t)) timed.push(t);
  const s = Float64Array.from(timed).sort();
  const nowSeconds = options.nowSeconds ?? Date.now() / 1000;
  // Default start: a whole 1%–99% span before the 1st percentile, so a stray 1970 or a test row from
  // months earlier counts as "before the start" while the normal ramp-up does not.
  const q01 = quantile(s, 0.01);
  const q99 = quantile(s, 0.99);
  const startSeconds = options.startSeconds ?? (s.length ? Math.max(EARLIEST_PLAUSIBLE, q01 - Math.max(q99 - q01, DAY)) : EARLIEST_PLAUSIBLE);
  let future = 0;
  let beforeStart = 0;
  for (const t of s) {
    if (t > nowSeconds) future++;
    if (t < startSeconds) beforeStart++;
  }
  // Per-day counts over the plausible range only, so one 1970 row does not make 17,000 empty days.
  const inRange = s.filter((t) => t >= startSeconds && t <= nowSeconds);
  const startDay = inRange.length ? Math.floor(inRange[0] / DAY) : 0;
  const days = inRange.length ? Math.floor(inRange[inRange.length - 1] / DAY) - startDay + 1 : 0;
  const counts = new Array<number>(days).fill(0);
  for (const t of inRange) counts[Math.floor(t / DAY) - startDay]++;
  const gaps: { from: number; to: number; seconds: number }[] = [];
  for (let i = 1; i < inRange.length; i++) if (inRange[i] > inRange[i - 1]) gaps.push({ from: inRange[i - 1], to: inRange[i], seconds: inRange[i] - inRange[i - 1] });
  gaps.sort((a, b) => b.seconds - a.seconds || a.from - b.from);
  return {
    timed: s.length,
    nullTime: log.time.length - s.length,
    min: s.length ? s[0] : null,
    max: s.length ? s[s.length - 1] : null,
    spanDays: s.length ? (s[s.length - 1] - s[0]) / DAY : 0,
    perDay: { startDay, counts },
    emptyDays: counts.filter((c) => c === 0).length,
    largestGaps: gaps.slice(0, 5),
    future,
    beforeStart,
    nowSeconds,
    startSeconds,
  };
}

/** All diagnostics of a log. Pure and synchronous: the worker calls it after loadInteractions. */
export function diagnoseInteractions(log: InteractionLog, options: DiagnosticsOptions = {}): Diagnostics {
  const n = log.user.length;
  const perUser = countPerUser(log);
  const perItem = countPerItem(log);
  const distinctPairs = countDistinctPairs(log);
  const events: Record<string, number> = {};
  for (let r = 0; r < n; r++) if (log.event[r] >= 0) events[log.events[log.event[r]]] = (events[log.events[log.event[r]]] ?? 0) + 1;

  const desc = Int32Array.from(perItem).sort().reverse();
  let acc = 0;
  let head = 0;
  while (head < desc.length && acc < 0.8 * n) acc += desc[head++];
  const top20 = Math.max(1, Math.round(desc.length * 0.2));
  let top20Sum = 0;
  for (let i = 0; i < top20 && i < desc.length; i++) top20Sum += desc[i];

  const k = options.coldK ?? 5;
  let coldUsers = 0;
  let coldItems = 0;
  for (const c of perUser) if (c < k) coldUsers++;
  for (const c of perItem) if (c < k) coldItems++;

  const kCore = (options.coreKs ?? [2, 5, 10]).map((kk) => {
    const r = computeKCore(log, kk);
    return { k: kk, ...r, droppedUsers: log.users.length - r.users, droppedItems: log.items.length - r.items, droppedInteractions: n - r.interactions };
  });

  const dup = markDuplicateEvents(log);
  let dupRows = 0;
  for (const d of dup) dupRows += d;
  const dupKeys = new Set<string>();
  for (let r = 0; r < n; r++) if (dup[r]) dupKeys.add(`${log.user[r]}|${log.item[r]}|${log.event[r]}|${Math.floor(log.time[r])}`);

  return {
    size: { users: log.users.length, items: log.items.length, interactions: n, distinctPairs, density: distinctPairs / (log.users.length * log.items.length || 1), events },
    perUser: buildLogHistogram(perUser),
    perItem: buildLogHistogram(perItem),
    popularity: { longTailItemShare: desc.length ? 1 - head / desc.length : 0, top20ItemInteractionShare: n ? top20Sum / n : 0, gini: computeGini(perItem) },
    coldStart: { k, users: coldUsers, items: coldItems, userShare: coldUsers / (log.users.length || 1), itemShare: coldItems / (log.items.length || 1) },
    kCore,
    time: diagnoseTime(log, options),
    duplicates: { rows: dupRows, groups: dupKeys.size, share: n ? dupRows / n : 0 },
    suspicious: findSuspiciousUsers(log, options),
  };
}
