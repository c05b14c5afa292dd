// Near-duplicate titles: character shingles → MinHash signatures (seeded hash family) → LSH banding
// for candidate pairs → exact Jaccard check → union-find clusters.
import { hashString, normalizeText } from './featurize.ts';
import { mulberry32 } from '../util/random.ts';

export interface NearDuplicateOptions {
  /** Minimum exact Jaccard similarity of two titles' shingle sets to link them. */
  threshold: number;
  /**
   * LSH bands × rows per band = MinHash functions. A pair with Jaccard s becomes a candidate with
   * probability 1 - (1 - s^rows)^bands; the S-curve's midpoint is about (1/bands)^(1/rows), so keep
   * it below `threshold` (20 × 5: ≈ 0.55) for recall, and let the exact check remove the rest.
   */
  bands: number;
  rows: number;
  seed: number;
  /** Shingle length over runs of CJK characters. */
  cjkK?: number;
  /** Shingle length over the Latin/digit parts (normalised, spaces kept as one space). */
  latinK?: number;
}

export const DEFAULT_NEAR_DUPLICATES: NearDuplicateOptions = { threshold: 0.7, bands: 20, rows: 5, seed: 0x1d, cjkK: 3, latinK: 4 };

/** A group of titles (row indices, ascending) linked by pairs at or above the threshold. */
export interface NearDuplicateCluster {
  members: number[];
  /**
   * The weakest link: the lowest Jaccard among the verified pairs inside this cluster. Clusters are
   * single-linkage, so two members that were never compared directly may be less similar than this.
   */
  similarity: number;
}

/** A verified pair `a < b` and its exact Jaccard similarity. */
export interface NearDuplicatePair {
  a: number;
  b: number;
  similarity: number;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * Shingles of one normalised title: CJK runs give k=`cjkK` character shingles (Chinese has no
 * spaces, and 3 characters are about one to two words), the rest gives k=`latinK` shingles with
 * spaces kept so word boundaries count. A part shorter than k is one shingle.
 */
export function extractShingles(title: string, cjkK = 3, latinK = 4): string[] {
  const text = normalizeText(title, 4000).text;
  const parts: { cjk: boolean; chars: string[] }[] = [];
  for (const ch of text) {
    const cjk = CJK.test(ch);
    const last = parts[parts.length - 1];
    if (last && last.cjk === cjk) last.chars.push(ch);
    else parts.push({ cjk, chars: [ch] });
  }
  const out: string[] = [];
  for (const p of parts) {
    const chars = p.cjk ? p.chars : Array.from(p.chars.join('').trim());
    if (chars.length === 0) continue;
    const k = p.cjk ? cjkK : latinK;
    if (chars.length <= k) out.push((p.cjk ? 'c' : 'l') + chars.join(''));
    else for (let i = 0; i + k <= chars.length; i++) out.push((p.cjk ? 'c' : 'l') + chars.slice(i, i + k).join(''));
  }
  return out;
}

/** A title's shingles hashed to 32 bits, deduplicated and sorted (a set, for exact Jaccard by merge). */
function hashShingleSet(shingles: readonly string[], seed: number): Uint32Array {
  const ids = Uint32Array.from(shingles, (s) => hashString(s, seed));
  ids.sort();
  let n = 0;
  for (let i = 0; i < ids.length; i++) if (i === 0 || ids[i] !== ids[i - 1]) ids[n++] = ids[i];
  return ids.slice(0, n);
}

/** Jaccard similarity of two sorted, deduplicated id sets. Two empty sets are not similar. */
export function computeJaccard(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let inter = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      inter++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  const union = a.length + b.length - inter;
  return union > 0 ? inter / union : 0;
}

/** Murmur3's 32-bit finaliser: a cheap full-avalanche mix, so `mix(x ^ salt)` is one member of a hash family. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** MinHash signatures, `functions` per set, flat: set r's are `[r * functions, (r + 1) * functions)`. */
export function computeMinHashes(sets: readonly Uint32Array[], functions: number, seed: number): Uint32Array {
  const rand = mulberry32(seed);
  const salts = Uint32Array.from({ length: functions }, () => Math.floor(rand() * 4294967296));
  const sig = new Uint32Array(sets.length * functions).fill(0xffffffff);
  for (let r = 0; r < sets.length; r++) {
    const base = r * functions;
    for (const x of sets[r]) {
      for (let f = 0; f < functions; f++) {
        const h = mix32(x ^ salts[f]);
        if (h < sig[base + f]) sig[base + f] = h;
      }
    }
  }
  return sig;
}

class UnionFind {
  parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(x: number): number {
    while (this.parent[x] !== x) {
      this.parent[x] = this.parent[this.parent[x]];
      x = this.parent[x];
    }
    return x;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    // The smaller index is the root, so clusters come out the same whatever the pair order.
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/**
 * Verified near-duplicate pairs of `titles` (indices into it). Titles that normalise to the same
 * text are grouped first and skip LSH (similarity 1), so a product listed a hundred times costs one
 * signature, not 5,000 candidate pairs; their pairs are reported between consecutive members.
 * `candidates` counts the distinct LSH candidate pairs that were checked exactly.
 */
export function findNearDuplicatePairs(
  titles: readonly (string | null | undefined)[],
  options: Partial<NearDuplicateOptions> = {},
): { pairs: NearDuplicatePair[]; candidates: number } {
  const o = { ...DEFAULT_NEAR_DUPLICATES, ...options };
  const functions = o.bands * o.rows;
  const groups = new Map<string, number[]>();
  for (let i = 0; i < titles.length; i++) {
    const key = (titles[i] ?? '').trim() === '' ? '' : extractShingles(titles[i]!, o.cjkK, o.latinK).join('\u0000');
    if (key === '') continue;
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  }
  const reps = [...groups.values()];
  const pairs: NearDuplicatePair[] = [];
  for (const g of reps) for (let k = 1; k < g.length; k++) pairs.push({ a: g[k - 1], b: g[k], similarity: 1 });

  const sets = reps.map((g) => hashShingleSet(extractShingles(titles[g[0]]!, o.cjkK, o.latinK), o.seed));
  const sig = computeMinHashes(sets, functions, o.seed);
  const seen = new Set<number>();
  let candidates = 0;
  for (let band = 0; band < o.bands; band++) {
    const buckets = new Map<number, number[]>();
    for (let r = 0; r < sets.length; r++) {
      let h = mix32(band + 0x9e3779b9);
      for (let k = 0; k < o.rows; k++) h = mix32(h ^ sig[r * functions + band * o.rows + k]) + k;
      h >>>= 0;
      const b = buckets.get(h);
      if (b) b.push(r);
      else buckets.set(h, [r]);
    }
    for (const members of buckets.values()) {
      for (let x = 0; x < members.length; x++) {
        for (let y = x + 1; y < members.length; y++) {
          const p = members[x];
          const q = members[y];
          const key = p * reps.length + q;
          if (seen.has(key)) continue;
          seen.add(key);
          candidates++;
          const s = computeJaccard(sets[p], sets[q]);
          if (s >= o.threshold) {
            const a = Math.min(reps[p][0], reps[q][0]);
            const b = Math.max(reps[p][0], reps[q][0]);
            pairs.push({ a, b, similarity: s });
          }
        }
      }
    }
  }
  pairs.sort((x, y) => x.a - y.a || x.b - y.b);
  return { pairs, candidates };
}

/**
 * Clusters of near-duplicate titles: MinHash/LSH candidates, exact Jaccard ≥ `threshold`, joined
 * by union-find. Only clusters of two or more titles are returned, ordered by their first member.
 * Deterministic for a given seed.
 */
export function findNearDuplicates(
  titles: readonly (string | null | undefined)[],
  options: Partial<NearDuplicateOptions> = {},
): NearDuplicateCluster[] {
  const { pairs } = findNearDuplicatePairs(titles, options);
  return clusterPairs(titles.length, pairs);
}

/** Union-find over verified pairs; a cluster's similarity is its weakest joining pair. */
export function clusterPairs(n: number, pairs: readonly NearDuplicatePair[]): NearDuplicateCluster[] {
  const uf = new UnionFind(n);
  for (const p of pairs) uf.union(p.a, p.b);
  const weakest = new Map<number, number>();
  for (const p of pairs) {
    const root = uf.find(p.a);
    weakest.set(root, Math.min(weakest.get(root) ?? 1, p.similarity));
  }
  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const root = uf.find(i);
    if (!weakest.has(root)) continue;
    const list = members.get(root);
    if (list) list.push(i);
    else members.set(root, [i]);
  }
  return [...members].map(([root, m]) => ({ members: m, similarity: weakest.get(root)! })).sort((a, b) => a.members[0] - b.members[0]);
}
