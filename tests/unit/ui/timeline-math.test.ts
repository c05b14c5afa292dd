// Timeline geometry: time on x, values and both thresholds on one linear y scale, gaps for missing points.
import { describe, expect, it } from 'vitest';
import { layoutTimeline } from '../../../src/components/timeline-math.ts';

const pad = { top: 10, right: 10, bottom: 20, left: 40 };

describe('layoutTimeline', () => {
  it('places points by time and thresholds on the same scale', () => {
    const l = layoutTimeline(
      [
        { at: 0, value: 0.1, label: 'a' },
        { at: 100, value: 0.3, label: 'b' },
        { at: 400, value: 0.05, label: 'c' },
      ],
      { warn: 0.1, error: 0.25 },
      450,
      130,
      pad,
    );
    expect(l.inner).toEqual({ x: 40, y: 10, width: 400, height: 100 });
    expect(l.yMax).toBeCloseTo(0.33, 12);
    expect(l.dots.map((d) => d.x)).toEqual([40, 140, 440]);
    const yOf = (v: number) => 110 - (v / 0.33) * 100;
    l.dots.forEach((d, i) => expect(d.y).toBeCloseTo(yOf([0.1, 0.3, 0.05][i]), 9));
    expect(l.dots.map((d) => d.verdict)).toEqual(['warn', 'error', 'ok']);
    expect(l.warnY).toBeCloseTo(yOf(0.1), 9);
    expect(l.errorY).toBeCloseTo(yOf(0.25), 9);
    expect(l.path.startsWith('M40,')).toBe(true);
    expect(l.path.match(/M/g)).toHaveLength(1);
  });

  it('keeps thresholds in view above small values, breaks the line at gaps, centres a single point', () => {
    const gap = layoutTimeline(
      [
        { at: 0, value: 0.01, label: 'a' },
        { at: 1, value: null, label: 'b' },
        { at: 2, value: 0.02, label: 'c' },
      ],
      { warn: 0.1, error: null },
      450,
      130,
      pad,
    );
    expect(gap.yMax).toBeCloseTo(0.11, 12);
    expect(gap.errorY).toBeNull();
    expect(gap.dots).toHaveLength(2);
    expect(gap.path.match(/M/g)).toHaveLength(2);
    const one = layoutTimeline([{ at: 5, value: 2, label: 'x' }], { warn: 1, error: 3 }, 450, 130, pad);
    expect(one.dots[0].x).toBe(240);
    expect(one.yMax).toBeCloseTo(3.3, 12);
  });
});
