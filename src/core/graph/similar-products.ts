// Text neighbours of products for `similar_to` links: hashed character 3-gram TF-IDF vectors of the
// titles (featurize.ts's hash), candidates from an inverted index that skips n-grams too common to
// tell products apart (blocked kNN), exact cosine of the best candidates, top-k per product.
import { hashString, normalizeText } from '../tagging/featurize.ts';

export interface SimilarProductsOptions {
  /** Neighbours kept per product (default 5). A pair stays when either side ranks it. */
  topK?: number;
  /** Minimum cosine similarity (default 0.5). */
  threshold?: number;
  /** Character n-gram length (default 3). */
  gram?: number;
  /** N-grams in more than this share of the titles are not used to find candidates (default 0.02, at least 50 titles). */
  maxShare?: number;
  /** Candidates (by partial score) checked exactly per product (default 50). */
  candidates?: number;
}

export const DEFAULT_SIMILAR_PRODUCTS = { topK: 5, threshold: 0.5, gram: 3, maxShare: 0.02, candidates: 50 } as const;

/** A pair of title indices `a < b` and their cosine similarity. */
export interface SimilarPair {
  a: number;
  b: number;
  score: number;
}

/** Sorted hashed n-gram ids and their counts in one normalised, lower-cased title (words padded by spaces). */
function extractGrams(title: string, gram: number): Map<number, number> {
  const text = ` ${normalizeText(title, 2000).text.toLowerCase().replace(/\s+/g, ' ').trim()} `;
  const grams = new Map<number, number>();
  const chars = Array.from(text);
  if (chars.length <= gram) grams.set(hashString(text, 0x51), 1);
  for (let i = 0; i + gram <= chars.length; i++) {
    const h = hashString(chars.slice(i, i + gram).join(''), 0x51);
    grams.set(h, (grams.get(h) ?? 0) + 1);
  }
  return grams;
}

/**
 * Pairs of similar titles: each title's top-k neighbours by TF-IDF cosine of character n-grams at or
 * above `threshold`, merged into unique pairs ordered by (a, b). Empty or missing titles have none.
 * Deterministic: ties go to the lower index.
 */
export function findSimilarProducts(titles: readonly (string | null | undefined)[], options: SimilarProductsOptions = {}): SimilarPair[] {
  const o = { ...DEFAULT_SIMILAR_PRODUCTS, ...options };
  const n = titles.length;
  const bags = titles.map((t) => (t && t.trim() ? extractGrams(t, o.gram) : new Map<number, number>()));
  // Dense ids for the hashed n-grams, document frequencies, then TF-IDF unit vectors as sorted arrays.
  const idOf = new Map<number, number>();
  const df: number[] = [];
  for (const bag of bags) {
    for (const h of bag.keys()) {
      let id = idOf.get(h);
      if (id === undefined) idOf.set(h, (id = df.length)), df.push(0);
      df[id]++;
    }
  }
  const docs = bags.filter((b) => b.size > 0).length;
  const vecIds: Uint32Array[] = [];
  const vecW: Float64Array[] = [];
  for (const bag of bags) {
    const entries = [...bag].map(([h, c]) => [idOf.get(h)!, c] as const).sort((x, y) => x[0] - y[0]);
    const ids = Uint32Array.from(entries, (e) => e[0]);
    const w = Float64Array.from(entries, ([id, c]) => (1 + Math.log(c)) * Math.log(1 + docs / df[id]));
    const norm = Math.hypot(...w) || 1;
    for (let k = 0; k < w.length; k++) w[k] /= norm;
    vecIds.push(ids);
    vecW.push(w);
  }
  // Inverted index of the n-grams rare enough to block on.
  const maxDf = Math.max(50, Math.floor(o.maxShare * docs));
  const postings: number[][] = df.map(() => []);
  const postingW: number[][] = df.map(() => []);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < vecIds[i].length; k++) {
      const id = vecIds[i][k];
      if (df[id] > maxDf) continue;
      postings[id].push(i);
      postingW[id].push(vecW[i][k]);
    }
  }

  const cosine = (i: number, j: number): number => {
    const a = vecIds[i], b = vecIds[j], wa = vecW[i], wb = vecW[j];
    let s = 0;
    for (let p = 0, q = 0; p < a.length && q < b.length; ) {
      if (a[p] === b[q]) s += wa[p++] * wb[q++];
      else if (a[p] < b[q]) p++;
      else q++;
    }
    return s;
  };

  const partial = new Float64Array(n);
  const touched: number[] = [];
  const kept = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    touched.length = 0;
    const ids = vecIds[i], w = vecW[i];
    for (let k = 0; k < ids.length; k++) {
      if (df[ids[k]] > maxDf) continue;
      const docs = postings[ids[k]], weights = postingW[ids[k]];
      for (let p = 0; p < docs.length; p++) {
        const j = docs[p];
        if (j === i) continue;
        if (partial[j] === 0) touched.push(j);
        partial[j] += w[k] * weights[p];
      }
    }
    // The best candidates by the blocked (partial) score, then their exact cosine.
    touched.sort((x, y) => partial[y] - partial[x] || x - y);
    const scored = touched.slice(0, o.candidates).map((j) => ({ j, s: cosine(i, j) }));
    for (const j of touched) partial[j] = 0;
    scored.sort((x, y) => y.s - x.s || x.j - y.j);
    for (const { j, s } of scored.slice(0, o.topK)) {
      if (s < o.threshold) break;
      const a = Math.min(i, j), b = Math.max(i, j);
      kept.set(a * n + b, Math.round(s * 1000) / 1000);
    }
  }
  return [...kept].map(([key, score]) => ({ a: Math.floor(key / n), b: key % n, score })).sort((x, y) => x.a - y.a || x.b - y.b);
}
