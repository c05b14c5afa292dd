import { describe, expect, it } from 'vitest';
import { encodeFloat16Exact, fromFloat16Bits, roundToFloat16, toFloat16Bits } from '../../../src/core/tagging/float16.ts';

describe('float16', () => {
  it('converts known values exactly (normal, subnormal, limits, ties to even)', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [65504, 0x7bff],
      [2 ** -14, 0x0400], // smallest normal
      [2 ** -24, 0x0001], // smallest subnormal
      [1 / 3, 0x3555],
      [70000, 0x7c00], // overflow → Infinity
    ];
    for (const [x, bits] of cases) expect(toFloat16Bits(x)).toBe(bits);
    // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties go to the even mantissa (1).
    expect(roundToFloat16(1 + 2 ** -11)).toBe(1);
    expect(roundToFloat16(1 + 3 * 2 ** -11)).toBe(1 + 2 * 2 ** -10);
    expect(fromFloat16Bits(0x7bff)).toBe(65504);
    expect(fromFloat16Bits(0x0001)).toBe(2 ** -24);
  });

  it('round-trips every float16 value and says when a float32 array is not float16', () => {
    for (let h = 0; h < 0x7c00; h++) expect(toFloat16Bits(fromFloat16Bits(h))).toBe(h);
    const exact = new Float32Array([0.25, -1.5, 3.140625]);
    expect(Array.from(encodeFloat16Exact(exact)!)).toEqual(Array.from(exact, (x) => toFloat16Bits(x)));
    expect(encodeFloat16Exact(new Float32Array([0.1]))).toBeNull();
  });
});
