// A flat uniform-grid index of 2D points (counting sort into cells, typed arrays only): built in one
// linear pass, answers "nearest point within r" by visiting only the cells the circle touches.
// Hit-testing of 50k nodes then costs microseconds without building a pointer quadtree on the page.

export interface PointGrid {
  x0: number;
  y0: number;
  cell: number;
  cols: number;
  rows: number;
  /** Points of cell c: `order[starts[c] … starts[c + 1])`. */
  starts: Uint32Array;
  order: Uint32Array;
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
}

/** Indexes points (xs[i], ys[i]) in cells sized for about `perCell` points each on average. */
export function buildPointGrid(xs: ArrayLike<number>, ys: ArrayLike<number>, perCell = 2): PointGrid {
  const n = xs.length;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    if (xs[i] < x0) x0 = xs[i];
    if (xs[i] > x1) x1 = xs[i];
    if (ys[i] < y0) y0 = ys[i];
    if (ys[i] > y1) y1 = ys[i];
  }
  if (n === 0) x0 = y0 = x1 = y1 = 0;
  const w = Math.max(x1 - x0, 1e-6), h = Math.max(y1 - y0, 1e-6);
  const cell = Math.max(Math.sqrt((w * h * perCell) / Math.max(1, n)), 1e-6);
  const cols = Math.min(4096, Math.floor(w / cell) + 1);
  const rows = Math.min(4096, Math.floor(h / cell) + 1);
  const cellW = Math.max(cell, w / (cols - 0.5));
  const cellH = Math.max(cell, h / (rows - 0.5));
  const size = Math.max(cellW, cellH);
  const cellOf = new Uint32Array(n);
  const starts = new Uint32Array(cols * rows + 1);
  for (let i = 0; i < n; i++) {
    const c = Math.min(rows - 1, Math.floor((ys[i] - y0) / size)) * cols + Math.min(cols - 1, Math.floor((xs[i] - x0) / size));
    cellOf[i] = c;
    starts[c + 1]++;
  }
  for (let c = 0; c < cols * rows; c++) starts[c + 1] += starts[c];
  const fill = starts.slice(0, cols * rows);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[fill[cellOf[i]]++] = i;
  return { x0, y0, cell: size, cols, rows, starts, order, xs, ys };
}

/** The point nearest (x, y) within distance `r`, or undefined; ties go to the lower index. */
export function findNearestPoint(grid: PointGrid, x: number, y: number, r: number): number | undefined {
  const { x0, y0, cell, cols, rows, starts, order, xs, ys } = grid;
  const c0 = Math.max(0, Math.floor((x - r - x0) / cell));
  const c1 = Math.min(cols - 1, Math.floor((x + r - x0) / cell));
  const r0 = Math.max(0, Math.floor((y - r - y0) / cell));
  const r1 = Math.min(rows - 1, Math.floor((y + r - y0) / cell));
  let best: number | undefined;
  let bestD = r * r;
  for (let row = r0; row <= r1; row++) {
    for (let col = c0; col <= c1; col++) {
      const c = row * cols + col;
      for (let p = starts[c]; p < starts[c + 1]; p++) {
        const i = order[p];
        const dx = xs[i] - x, dy = ys[i] - y;
        const d = dx * dx + dy * dy;
        if (d < bestD || (d === bestD && (best === undefined || i < best))) {
          bestD = d;
          best = i;
        }
      }
    }
  }
  return best;
}
