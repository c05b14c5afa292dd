// IEEE 754 half-precision conversion (round to nearest, ties to even) for model weights: the exported
// embeddings are stored as float16, and the TypeScript model rounds its weights the same way so both
// give the same probabilities.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The float16 bit pattern nearest to `x` (ties to even; beyond ±65504 → ±Infinity). */
export function toFloat16Bits(x: number): number {
  f32[0] = x;
  const bits = u32[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half: the value is m × 2^-24.
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (up to Infinity).
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1) === 1)) half++;
  return sign | half;
}

/** The number a float16 bit pattern stands for. */
export function fromFloat16Bits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 0x1f) return m !== 0 ? NaN : sign * Infinity;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

/** `x` rounded to the nearest float16 value (as a number). */
export function roundToFloat16(x: number): number {
  return fromFloat16Bits(toFloat16Bits(x));
}

/** Rounds every value of `values` to float16 in place. */
export function roundArrayToFloat16(values: Float32Array): void {
  for (let i = 0; i < values.length; i++) values[i] = fromFloat16Bits(toFloat16Bits(values[i]));
}

/** Float16 bit patterns of `values`, or null when some value is not exactly representable in float16. */
export function encodeFloat16Exact(values: Float32Array): Uint16Array | null {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const h = toFloat16Bits(values[i]);
    if (fromFloat16Bits(h) !== values[i] && !Number.isNaN(values[i])) return null;
    out[i] = h;
  }
  return out;
}
