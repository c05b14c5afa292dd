// Layout of the confusion-matrix heatmap: one cell per (given, predicted) pair, shaded by the share of
// the given class's rows (row-normalised, so small classes read as clearly as big ones).

export interface ConfusionCell {
  given: number;
  predicted: number;
  count: number;
  /** count / rows of the given class (0 when the class has no rows). */
  share: number;
  x: number;
  y: number;
  size: number;
  /** Fill colour: white at 0 through the accent blue at 1. */
  fill: string;
  /** Dark text on light cells, white on dark ones. */
  ink: string;
}

export interface ConfusionLayout {
  cells: ConfusionCell[];
  /** Left margin for the row labels and top margin for the column labels. */
  left: number;
  top: number;
  cell: number;
  width: number;
  height: number;
}

/** Mixes white and the accent colour (#2f5fd0) by `t` in [0, 1]. */
export function shadeFor(t: number): string {
  const k = Math.max(0, Math.min(1, t));
  const mix = (to: number) => Math.round(255 + (to - 255) * k);
  return `rgb(${mix(0x2f)}, ${mix(0x5f)}, ${mix(0xd0)})`;
}

/** Lays out `matrix[given][predicted]` counts as square cells of `cell` px after the label margins. */
export function layoutConfusion(matrix: readonly (readonly number[])[], cell = 36, left = 110, top = 96): ConfusionLayout {
  const n = matrix.length;
  const cells: ConfusionCell[] = [];
  for (let g = 0; g < n; g++) {
    const total = matrix[g].reduce((a, b) => a + b, 0);
    for (let p = 0; p < n; p++) {
      const count = matrix[g][p] ?? 0;
      const share = total > 0 ? count / total : 0;
      cells.push({ given: g, predicted: p, count, share, x: left + p * cell, y: top + g * cell, size: cell, fill: shadeFor(share), ink: share > 0.55 ? '#ffffff' : '#1d2430' });
    }
  }
  return { cells, left, top, cell, width: left + n * cell + 4, height: top + n * cell + 4 };
}
