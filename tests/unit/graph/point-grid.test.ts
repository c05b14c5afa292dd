// The grid index that hit-tests graph nodes: the same answer as a linear scan for seeded points and
// queries (clustered, duplicated and degenerate inputs included), at any search radius.
import { describe, expect, it } from 'vitest';
import { buildPointGrid, findNearestPoint } from '../../../src/core/graph/point-grid.ts';
import { mulberry32 } from '../../../src/core/util/random.ts';

function scanNearest(xs: Float32Array, ys: Float32Array, x: number, y: number, r: number): number | undefined {
  let best: number | undefined;
  let bestD = r * r;
  for (let i = 0; i < xs.length; i++) {
    const d = (xs[i] - x) ** 2 + (ys[i] - y) ** 2;
    if (d < bestD || (d === bestD && (best === undefined || i < best))) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

describe('findNearestPoint', () => {
  it('agrees with a linear scan on clustered points with duplicates', () => {
    const rand = mulberry32(17);
    const n = 3000;
    const xs = new Float32Array(n);
    const ys = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      // Half in a tight cluster, half spread out, every 50th a duplicate of its predecessor.
      const spread = i % 2 === 0 ? 20 : 2000;
      xs[i] = i % 50 === 0 && i > 0 ? xs[i - 1] : (rand() - 0.5) * spread;
      ys[i] = i % 50 === 0 && i > 0 ? ys[i - 1] : (rand() - 0.5) * spread;
    }
    const grid = buildPointGrid(xs, ys);
    for (let q = 0; q < 2000; q++) {
      const x = (rand() - 0.5) * 2200;
      const y = (rand() - 0.5) * 2200;
      const r = [0.5, 5, 40, 400][q % 4];
      expect(findNearestPoint(grid, x, y, r)).toBe(scanNearest(xs, ys, x, y, r));
    }
    // Exactly on a point.
    expect(findNearestPoint(grid, xs[123], ys[123], 1)).toBe(scanNearest(xs, ys, xs[123], ys[123], 1));
  });

  it('handles no points, one point and points on a line', () => {
    expect(findNearestPoint(buildPointGrid(new Float32Array(0), new Float32Array(0)), 0, 0, 10)).toBeUndefined();
    const one = buildPointGrid(Float32Array.of(5), Float32Array.of(5));
    expect(findNearestPoint(one, 6, 6, 2)).toBe(0);
    expect(findNearestPoint(one, 9, 9, 2)).toBeUndefined();
    const xs = Float32Array.from({ length: 100 }, (_, i) => i * 10);
    const ys = new Float32Array(100);
    const line = buildPointGrid(xs, ys);
    expect(findNearestPoint(line, 503, 1, 10)).toBe(50);
    expect(findNearestPoint(line, 990, 0, 3)).toBe(99);
  });
});
