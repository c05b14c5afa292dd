// Barnes–Hut many-body force on flat typed arrays: a quadtree rebuilt into preallocated arrays every
// tick and visited with an explicit stack, the same maths as d3-force's forceManyBody (theta
// criterion, distanceMin² of 1, distanceMax, jiggle of coincident points) without an object per cell.

/** Cells are split at most this deep; deeper points share a leaf (d3 chains exactly coincident ones). */
const MAX_DEPTH = 48;

/** d3's jiggle: a tiny seeded nudge that separates exactly coincident points. */
export function jiggle(rand: () => number): number {
  return (rand() - 0.5) * 1e-6;
}

/**
 * A reusable Barnes–Hut quadtree. `build` indexes the points; `applyManyBody` adds the repulsion of
 * every point to the velocities. Arrays grow on demand and are kept between ticks.
 */
export class BarnesHutTree {
  #cap = 0;
  #cells = 0;
  /** Per cell: 4 child cells (-1 none). */
  #child = new Int32Array(0);
  /** Per cell: first point of a leaf, -1 for an internal or empty cell. */
  #point = new Int32Array(0);
  /** Per cell: left, top and width of its square. */
  #x0 = new Float64Array(0);
  #y0 = new Float64Array(0);
  #w = new Float64Array(0);
  /** Per cell: centre of mass and the number of points inside. */
  #cx = new Float64Array(0);
  #cy = new Float64Array(0);
  #count = new Float64Array(0);
  /** Per point: next point in the same leaf, -1 at the end. */
  #next = new Int32Array(0);

  #grow(min: number): void {
    const cap = Math.max(min, Math.ceil(this.#cap * 1.5), 64);
    const grow = <T extends Int32Array | Float64Array>(a: T, size: number, fill?: number): T => {
      const b = new (a.constructor as { new (n: number): T })(size);
      b.set(a);
      if (fill !== undefined) b.fill(fill, a.length);
      return b;
    };
    this.#child = grow(this.#child, 4 * cap, -1);
    this.#point = grow(this.#point, cap, -1);
    this.#x0 = grow(this.#x0, cap);
    this.#y0 = grow(this.#y0, cap);
    this.#w = grow(this.#w, cap);
    this.#cx = grow(this.#cx, cap);
    this.#cy = grow(this.#cy, cap);
    this.#count = grow(this.#count, cap);
    this.#cap = cap;
  }

  /**
   * Indexes points `(xs[i], ys[i])`, i < n, and sums each cell's centre of mass bottom-up. Points go
   * in in the previous walk's order (neighbours after neighbours), which keeps the descents in cache.
   */
  build(xs: Float64Array, ys: Float64Array, n: number): void {
    this.#cells = 0;
    if (this.#next.length < n) this.#next = new Int32Array(n);
    if (this.#cap < 2 * n + MAX_DEPTH + 2) this.#grow(2 * n + MAX_DEPTH + 2);
    if (n === 0) return;
    const useOrder = this.#orderSize === n;
    const order = this.#order;
    // A square cover of the points, as d3's quadtree.cover makes.
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = xs[i], y = ys[i];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    const size = Math.max(maxX - minX, maxY - minY, 1e-9) * (1 + 1e-9) + 1e-9;
    const next = this.#next;
    let child = this.#child, point = this.#point, x0s = this.#x0, y0s = this.#y0, ws = this.#w;
    let cells = 0;
    // Creates the leaf of point `p` in quadrant `q` of cell `c` (centre mx, my); the caller has made room
    // (at most MAX_DEPTH + 2 cells per point).
    const addChild = (c: number, q: number, mx: number, my: number, half: number, p: number): number => {
      const k = cells++;
      child.fill(-1, 4 * k, 4 * k + 4);
      point[k] = p;
      x0s[k] = q & 1 ? mx : x0s[c];
      y0s[k] = q & 2 ? my : y0s[c];
      ws[k] = half;
      child[4 * c + q] = k;
      return k;
    };
    const first = useOrder ? order[0] : 0;
    child.fill(-1, 0, 4);
    point[0] = first;
    x0s[0] = minX;
    y0s[0] = minY;
    ws[0] = size;
    next[first] = -1;
    cells = 1;
    for (let t = 1; t < n; t++) {
      const i = useOrder ? order[t] : t;
      if (cells + MAX_DEPTH + 2 > this.#cap) {
        this.#cells = cells;
        this.#grow(cells + MAX_DEPTH + 2);
        child = this.#child; point = this.#point; x0s = this.#x0; y0s = this.#y0; ws = this.#w;
      }
      const x = xs[i], y = ys[i];
      let c = 0;
      let depth = 0;
      for (;;) {
        const p = point[c];
        const half = ws[c] / 2;
        const mx = x0s[c] + half, my = y0s[c] + half;
        if (p >= 0) {
          // A leaf: chain coincident (or too deep) points, else split it and push its points one down.
          if ((xs[p] === x && ys[p] === y) || depth >= MAX_DEPTH) {
            next[i] = next[p];
            next[p] = i;
            break;
          }
          addChild(c, (xs[p] >= mx ? 1 : 0) | (ys[p] >= my ? 2 : 0), mx, my, half, p);
          point[c] = -1;
          // Round again at the same cell, now internal.
          continue;
        }
        const q = (x >= mx ? 1 : 0) | (y >= my ? 2 : 0);
        const k = child[4 * c + q];
        depth++;
        if (k < 0) {
          addChild(c, q, mx, my, half, i);
          next[i] = -1;
          break;
        }
        c = k;
      }
    }
    this.#cells = cells;
    // Children are always created after their parent, so one backward pass sums every cell.
    const cx = this.#cx, cy = this.#cy, cnt = this.#count;
    for (let c = cells - 1; c >= 0; c--) {
      const p = point[c];
      if (p >= 0) {
        // A leaf stands at its first point, as in d3, weighted by every point chained on it.
        let m = 0;
        for (let j = p; j >= 0; j = next[j]) m++;
        cx[c] = xs[p];
        cy[c] = ys[p];
        cnt[c] = m;
        continue;
      }
      let m = 0, sx = 0, sy = 0;
      for (let q = 0; q < 4; q++) {
        const k = child[4 * c + q];
        if (k < 0) continue;
        m += cnt[k];
        sx += cx[k] * cnt[k];
        sy += cy[k] * cnt[k];
      }
      cnt[c] = m;
      cx[c] = m > 0 ? sx / m : 0;
      cy[c] = m > 0 ? sy / m : 0;
    }
    this.#pack(n);
  }

  /**
   * Packs the tree in depth-first preorder for a stackless walk: per cell [cx, cy, count, w²] side by
   * side, the first point of a leaf (-1 inside), and `skip`, the cell after the cell's subtree. The
   * walk then reads memory almost in order, which is most of this module's speed over d3's objects.
   */
  #pack(n: number): void {
    const cells = this.#cells;
    if (this.#packed.length < 4 * cells) {
      this.#packed = new Float64Array(4 * this.#cap);
      this.#skip = new Int32Array(this.#cap);
      this.#leaf = new Int32Array(this.#cap);
    }
    if (this.#order.length < n) this.#order = new Int32Array(n);
    const packed = this.#packed, skip = this.#skip, leaf = this.#leaf, order = this.#order;
    const ch = this.#child, pt = this.#point, next = this.#next;
    // Preorder with an explicit stack of (cell, slot); a slot's skip is filled when its subtree ends.
    if (this.#stack.length < 4 * (MAX_DEPTH + 2) * 2) this.#stack = new Int32Array(4 * (MAX_DEPTH + 2) * 2);
    const stack = this.#stack;
    let top = 0;
    stack[top++] = 0;
    let slot = 0;
    let points = 0;
    while (top > 0) {
      const c = stack[--top];
      if (c < 0) {
        // End of a subtree marker: -(slot + 1).
        skip[-c - 1] = slot;
        continue;
      }
      const o = slot++;
      packed[4 * o] = this.#cx[c];
      packed[4 * o + 1] = this.#cy[c];
      packed[4 * o + 2] = this.#count[c];
      packed[4 * o + 3] = this.#w[c] * this.#w[c];
      leaf[o] = pt[c];
      if (pt[c] >= 0) {
        skip[o] = slot;
        for (let j = pt[c]; j >= 0; j = next[j]) order[points++] = j;
        continue;
      }
      stack[top++] = -(o + 1);
      for (let q = 3; q >= 0; q--) {
        const k = ch[4 * c + q];
        if (k >= 0) stack[top++] = k;
      }
    }
    this.#packedCells = slot;
    this.#orderSize = points;
  }

  #packed = new Float64Array(0);
  #skip = new Int32Array(0);
  #leaf = new Int32Array(0);
  #order = new Int32Array(0);
  #packedCells = 0;
  #orderSize = 0;
  #stack = new Int32Array(0);

  /**
   * Adds the many-body force of every point on every point to (vx, vy), as d3's forceManyBody with a
   * uniform `strength` (negative repels): cells whose width/distance < theta act as one body. Points
   * are visited in the tree's order, so neighbours in turn walk the same cells.
   */
  applyManyBody(
    xs: Float64Array, ys: Float64Array, vx: Float64Array, vy: Float64Array, n: number,
    strength: number, alpha: number, theta: number, distanceMax: number, rand: () => number,
  ): void {
    if (n === 0 || this.#cells === 0) return;
    // w² / θ² < l as a product: one multiply per visited cell instead of a divide.
    const invTheta2 = 1 / (theta * theta);
    const dMax2 = distanceMax * distanceMax;
    const packed = this.#packed, skip = this.#skip, leaf = this.#leaf, order = this.#order, next = this.#next;
    const cells = this.#packedCells;
    const sa = strength * alpha;
    for (let t = 0; t < n; t++) {
      const i = order[t];
      const x = xs[i], y = ys[i];
      let fx = 0, fy = 0;
      let c = 0;
      while (c < cells) {
        const o = 4 * c;
        let dx = packed[o] - x, dy = packed[o + 1] - y;
        let l = dx * dx + dy * dy;
        if (packed[o + 3] * invTheta2 < l) {
          // Far enough: the whole cell acts as one body at its centre of mass.
          if (l < dMax2) {
            if (dx === 0) { dx = jiggle(rand); l += dx * dx; }
            if (dy === 0) { dy = jiggle(rand); l += dy * dy; }
            if (l < 1) l = Math.sqrt(l);
            const f = (packed[o + 2] * sa) / l;
            fx += dx * f;
            fy += dy * f;
          }
          c = skip[c];
          continue;
        }
        const p = leaf[c];
        if (p < 0) {
          // Internal and near: open it (its first child is the next cell in preorder).
          c++;
          continue;
        }
        c = skip[c];
        if (l >= dMax2) continue;
        if (p !== i || next[p] >= 0) {
          if (dx === 0) { dx = jiggle(rand); l += dx * dx; }
          if (dy === 0) { dy = jiggle(rand); l += dy * dy; }
          if (l < 1) l = Math.sqrt(l);
        }
        for (let j = p; j >= 0; j = next[j]) {
          if (j === i) continue;
          const f = sa / l;
          fx += dx * f;
          fy += dy * f;
        }
      }
      vx[i] += fx;
      vy[i] += fy;
    }
  }
}
