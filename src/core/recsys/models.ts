// Baseline recommenders on typed arrays: popularity, item-kNN (cosine on co-occurrence with shrinkage,
// sparse top-N neighbours) and EASE (closed-form linear item-item model) when the catalogue is small.
import type { InteractionLog } from './interactions.ts';

/** Binary user × item matrix of the training rows, both orientations in CSR. Repeats count once. */
export interface TrainMatrix {
  nUsers: number;
  nItems: number;
  userOffsets: Int32Array;
  userItems: Int32Array;
  itemOffsets: Int32Array;
  itemUsers: Int32Array;
  /** Distinct training users per item: the popularity every model falls back on. */
  itemCounts: Int32Array;
}

/** Builds the training matrix from `rows` of the log (ids keep the log's numbering). */
export function buildTrainMatrix(log: InteractionLog, rows: Int32Array): TrainMatrix {
  const nUsers = log.users.length;
  const nItems = log.items.length;
  // Sort row pairs by (user, item) to drop repeats without a hash set.
  const keys = new Float64Array(rows.length);
  for (let p = 0; p < rows.length; p++) keys[p] = log.user[rows[p]] * nItems + log.item[rows[p]];
  keys.sort();
  const userOffsets = new Int32Array(nUsers + 1);
  const pairs: number[] = [];
  for (let p = 0; p < keys.length; p++) if (p === 0 || keys[p] !== keys[p - 1]) pairs.push(keys[p]);
  const userItems = new Int32Array(pairs.length);
  const itemCounts = new Int32Array(nItems);
  for (let p = 0; p < pairs.length; p++) {
    const u = Math.floor(pairs[p] / nItems);
    const i = pairs[p] - u * nItems;
    userOffsets[u + 1]++;
    userItems[p] = i;
    itemCounts[i]++;
  }
  for (let u = 0; u < nUsers; u++) userOffsets[u + 1] += userOffsets[u];
  const itemOffsets = new Int32Array(nItems + 1);
  for (let i = 0; i < nItems; i++) itemOffsets[i + 1] = itemOffsets[i] + itemCounts[i];
  const fill = itemOffsets.slice(0, nItems);
  const itemUsers = new Int32Array(pairs.length);
  for (let u = 0; u < nUsers; u++) for (let p = userOffsets[u]; p < userOffsets[u + 1]; p++) itemUsers[fill[userItems[p]]++] = u;
  return { nUsers, nItems, userOffsets, userItems, itemOffsets, itemUsers, itemCounts };
}

/** A trained model: the top `k` unseen items for a training user, best first. */
export interface Recommender {
  readonly name: string;
  recommend(user: number, k: number): Int32Array;
}

/** Items by descending popularity, ties by id: the order every fallback uses. */
function rankByPopularity(m: TrainMatrix): Int32Array {
  const order = new Int32Array(m.nItems);
  for (let i = 0; i < m.nItems; i++) order[i] = i;
  return order.sort((a, b) => m.itemCounts[b] - m.itemCounts[a] || a - b);
}

/**
 * Shared top-k machinery: marks a user's seen items, picks the best scored candidates, and fills any
 * remaining slots from the popularity ranking (users whose items have no neighbours still get k).
 */
class TopK {
  private readonly stamp: Int32Array;
  private epoch = 0;
  constructor(
    private readonly m: TrainMatrix,
    private readonly popular: Int32Array,
  ) {
    this.stamp = new Int32Array(m.nItems);
  }

  markSeen(user: number): number {
    const e = ++this.epoch;
    for (let p = this.m.userOffsets[user]; p < this.m.userOffsets[user + 1]; p++) this.stamp[this.m.userItems[p]] = e;
    return e;
  }

  isMarked(item: number): boolean {
    return this.stamp[item] === this.epoch;
  }

  /** Best `k` of `candidates[0..n)` by score (ties by lower id), skipping marked items, then popular fill. */
  select(candidates: Int32Array, n: number, scores: Float32Array | Float64Array, k: number): Int32Array {
    const out = new Int32Array(k);
    const outScore = new Float64Array(k);
    let size = 0;
    for (let c = 0; c < n; c++) {
      const i = candidates[c];
      if (this.isMarked(i)) continue;
      const s = scores[i];
      if (size === k && (s < outScore[k - 1] || (s === outScore[k - 1] && i > out[k - 1]))) continue;
      let pos = size < k ? size++ : k - 1;
      while (pos > 0 && (outScore[pos - 1] < s || (outScore[pos - 1] === s && out[pos - 1] > i))) {
        out[pos] = out[pos - 1];
        outScore[pos] = outScore[pos - 1];
        pos--;
      }
      out[pos] = i;
      outScore[pos] = s;
    }
    if (size < k) {
      for (let p = 0; p < size; p++) this.stamp[out[p]] = this.epoch;
      for (let p = 0; p < this.popular.length && size < k; p++) {
        const i = this.popular[p];
        if (!this.isMarked(i)) out[size++] = i;
      }
    }
    return size < k ? out.slice(0, size) : out;
  }
}

/** Most popular unseen items (distinct training users). */
export function trainPopularity(m: TrainMatrix): Recommender {
  const popular = rankByPopularity(m);
  const top = new TopK(m, popular);
  const none = new Int32Array(0);
  const scores = new Float32Array(0);
  return {
    name: 'popularity',
    recommend(user, k) {
      top.markSeen(user);
      return top.select(none, 0, scores, k);
    },
  };
}

export interface ItemKnnOptions {
  /** Neighbours kept per item (default 100). */
  neighbours?: number;
  /** Shrinkage added to the cosine denominator so rare co-occurrences count less (default 10). */
  shrink?: number;
}

/** Sparse item-item neighbours in CSR, the trained state of item-kNN (also what the native peer builds). */
export interface ItemNeighbours {
  offsets: Int32Array;
  items: Int32Array;
  sims: Float32Array;
}

/**
 * Item-item similarity: sim(i, j) = co(i, j) / (sqrt(n_i n_j) + shrink), co counting users with both,
 * keeping each item's top `neighbours` (ties by lower id). Cost is Σ over users of their item count²,
 * memory the neighbour lists plus one dense accumulator.
 */
export function computeItemNeighbours(m: TrainMatrix, options: ItemKnnOptions = {}): ItemNeighbours {
  const nn = options.neighbours ?? 100;
  const shrink = options.shrink ?? 10;
  const acc = new Float32Array(m.nItems);
  const touched = new Int32Array(m.nItems);
  const offsets = new Int32Array(m.nItems + 1);
  const outItems: Int32Array[] = [];
  const outSims: Float32Array[] = [];
  const candSim = new Float32Array(m.nItems);
  for (let i = 0; i < m.nItems; i++) {
    let nt = 0;
    for (let p = m.itemOffsets[i]; p < m.itemOffsets[i + 1]; p++) {
      const u = m.itemUsers[p];
      for (let q = m.userOffsets[u]; q < m.userOffsets[u + 1]; q++) {
        const j = m.userItems[q];
        if (j === i) continue;
        if (acc[j] === 0) touched[nt++] = j;
        acc[j]++;
      }
    }
    const ni = m.itemCounts[i];
    for (let t = 0; t < nt; t++) {
      const j = touched[t];
      candSim[j] = acc[j] / (Math.sqrt(ni * m.itemCounts[j]) + shrink);
      acc[j] = 0;
    }
    const cand = touched.slice(0, nt).sort((a, b) => candSim[b] - candSim[a] || a - b);
    const keep = Math.min(nn, nt);
    const items = cand.slice(0, keep);
    const sims = new Float32Array(keep);
    for (let t = 0; t < keep; t++) sims[t] = candSim[items[t]];
    outItems.push(items);
    outSims.push(sims);
    offsets[i + 1] = offsets[i] + keep;
  }
  const items = new Int32Array(offsets[m.nItems]);
  const sims = new Float32Array(offsets[m.nItems]);
  for (let i = 0; i < m.nItems; i++) {
    items.set(outItems[i], offsets[i]);
    sims.set(outSims[i], offsets[i]);
  }
  return { offsets, items, sims };
}

/** Item-kNN: a user's score for j is the sum of sim(i, j) over the items i they interacted with. */
export function trainItemKnn(m: TrainMatrix, options: ItemKnnOptions = {}): Recommender & { neighbours: ItemNeighbours } {
  const nb = computeItemNeighbours(m, options);
  const top = new TopK(m, rankByPopularity(m));
  const scores = new Float32Array(m.nItems);
  const touched = new Int32Array(m.nItems);
  return {
    name: 'item-knn',
    neighbours: nb,
    recommend(user, k) {
      top.markSeen(user);
      let nt = 0;
      for (let p = m.userOffsets[user]; p < m.userOffsets[user + 1]; p++) {
        const i = m.userItems[p];
        for (let q = nb.offsets[i]; q < nb.offsets[i + 1]; q++) {
          const j = nb.items[q];
          if (scores[j] === 0) touched[nt++] = j;
          scores[j] += nb.sims[q];
        }
      }
      const out = top.select(touched, nt, scores, k);
      for (let t = 0; t < nt; t++) scores[touched[t]] = 0;
      return out;
    },
  };
}

/**
 * Largest catalogue EASE is trained on. EASE inverts the dense item × item Gram matrix: n² doubles
 * plus n² floats (1,000 items → 12 MB, 5,000 → 300 MB) and n³ multiply-adds that sweep the whole
 * matrix once per pivot (1,000 items ≈ 2 s single-threaded here, 1,700 ≈ 25 s). Past the limit it is
 * skipped with the reason instead of freezing the worker or running out of memory.
 */
export const EASE_MAX_ITEMS = 1000;

export interface EaseOptions {
  /** L2 regularisation on the diagonal (default 250, suited to small catalogues). */
  lambda?: number;
  maxItems?: number;
}

/** In-place inverse of a symmetric positive definite matrix (Gauss–Jordan; SPD needs no pivoting). */
export function invertSpdInPlace(a: Float64Array, n: number): void {
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    const pivot = a[rk + k];
    const inv = 1 / pivot;
    for (let j = 0; j < n; j++) a[rk + j] *= inv;
    a[rk + k] = inv;
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const ri = i * n;
      const f = a[ri + k];
      if (f === 0) continue;
      for (let j = 0; j < n; j++) a[ri + j] -= f * a[rk + j];
      a[ri + k] = -f * inv;
    }
  }
}

/**
 * EASE (Steck 2019): B = I − P·diag(1/diag(P)) with P = (XᵀX + λI)⁻¹, zero diagonal. Returns null with
 * the reason when the catalogue exceeds `maxItems`.
 */
export function trainEase(m: TrainMatrix, options: EaseOptions = {}): { ok: true; model: Recommender } | { ok: false; reason: string } {
  const max = options.maxItems ?? EASE_MAX_ITEMS;
  const n = m.nItems;
  if (n > max) {
    return { ok: false, reason: `EASE skipped: ${n.toLocaleString('en-US')} items > ${max.toLocaleString('en-US')}; its dense ${n}×${n} matrices would need ${Math.round((n * n * 12) / 2 ** 20)} MB and ~${(n ** 3 / 1e9).toFixed(0)}·10⁹ flops.` };
  }
  const lambda = options.lambda ?? 250;
  const g = new Float64Array(n * n);
  for (let u = 0; u < m.nUsers; u++) {
    const a = m.userOffsets[u];
    const b = m.userOffsets[u + 1];
    for (let p = a; p < b; p++) {
      const row = m.userItems[p] * n;
      for (let q = a; q < b; q++) g[row + m.userItems[q]]++;
    }
  }
  for (let i = 0; i < n; i++) g[i * n + i] += lambda;
  invertSpdInPlace(g, n);
  // B[i][j] = −P[i][j] / P[j][j]; stored row i = source item, so a user's scores are Σ_i B[i][·].
  const diag = new Float64Array(n);
  for (let j = 0; j < n; j++) diag[j] = g[j * n + j];
  const b = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b[i * n + j] = i === j ? 0 : -g[i * n + j] / diag[j];
  const top = new TopK(m, rankByPopularity(m));
  const scores = new Float64Array(n);
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  return {
    ok: true,
    model: {
      name: 'ease',
      recommend(user, k) {
        top.markSeen(user);
        scores.fill(0);
        for (let p = m.userOffsets[user]; p < m.userOffsets[user + 1]; p++) {
          const row = m.userItems[p] * n;
          for (let j = 0; j < n; j++) scores[j] += b[row + j];
        }
        return top.select(all, n, scores, k);
      },
    },
  };
}
