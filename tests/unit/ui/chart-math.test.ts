// Histogram and bar geometry computed outside the components.
import { describe, expect, it } from 'vitest';
import { formatEdge, layoutHistogram, layoutValueBars } from '../../../src/components/chart-math.ts';
import { formatBytes, formatCount, formatDuration, formatPercent } from '../../../src/components/format.ts';

describe('layoutHistogram', () => {
  it('places equal-width bins with heights proportional to counts', () => {
    const h = { kind: 'number' as const, edges: [0, 10, 20, 30, 40], counts: [5, 10, 0, 1] };
    const { bars, maxCount, inner } = layoutHistogram(h, 140, 120, { top: 10, right: 10, bottom: 10, left: 30 }, 0);
    expect(maxCount).toBe(10);
    expect(inner).toEqual({ x: 30, y: 10, width: 100, height: 100 });
    expect(bars.map((b) => [b.x, b.width])).toEqual([
      [30, 25],
      [55, 25],
      [80, 25],
      [105, 25],
    ]);
    expect(bars.map((b) => b.height)).toEqual([50, 100, 0, 10]);
    // Bars stand on the baseline at y = 110.
    expect(bars.map((b) => b.y + b.height)).toEqual([110, 110, 110, 110]);
    expect(bars[1]).toMatchObject({ from: 10, to: 20, count: 10 });
  });

  it('keeps a rare bin visible at one pixel and handles an empty histogram', () => {
    const h = { kind: 'number' as const, edges: [0, 1, 2], counts: [100000, 1] };
    expect(layoutHistogram(h, 100, 50).bars[1].height).toBe(1);
    expect(layoutHistogram({ kind: 'number', edges: [0], counts: [] }, 100, 50).bars).toEqual([]);
  });
});

describe('layoutValueBars', () => {
  it('scales to the largest count and gives shares of the total', () => {
    const bars = layoutValueBars(
      [
        { value: 'credit_card', count: 6000 },
        { value: 'boleto', count: 1500 },
        { value: 'voucher', count: 0 },
      ],
      200,
      8000,
    );
    expect(bars.map((b) => b.length)).toEqual([200, 50, 0]);
    expect(bars.map((b) => b.share)).toEqual([0.75, 0.1875, 0]);
  });
});

describe('formatting', () => {
  it('formats edges, counts, bytes, shares and durations', () => {
    expect(formatEdge(Date.UTC(2018, 0, 31), 'date')).toBe('2018-01-31');
    expect(formatEdge(12.34567, 'number')).toBe('12.35');
    expect(formatEdge(2500000, 'number')).toBe('2.50e+6');
    expect(formatCount(45928)).toBe('45,928');
    expect(formatCount(null)).toBe('—');
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(180 * 1024 * 1024)).toBe('180 MB');
    expect(formatPercent(0.1234)).toBe('12.3%');
    expect(formatPercent(0.00001)).toBe('<0.1%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
  });
});
