// Byte-level sniffing for text files: byte-order marks, binary content, UTF-16 without a BOM, the
// position of the first bad UTF-8 sequence, and how Chinese a decoded text looks.
import { countByte } from './count-byte.ts';
import type { TextEncoding } from '../types.ts';

/** Encoding announced by a byte-order mark, and the mark's length; null when there is none. */
export function detectBom(head: Uint8Array): { encoding: TextEncoding; length: number } | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8-bom', length: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/**
 * UTF-16 without a BOM (some Excel "Unicode text" exports): mostly-ASCII text has a NUL in every
 * other byte. Checked before the binary test, which would otherwise reject such files.
 */
export function detectBomlessUtf16(head: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(head.length, 4096) & ~1;
  if (n < 16) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZero++;
    if (head[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.7 && evenZero < pairs * 0.05) return 'utf-16le';
  if (evenZero > pairs * 0.7 && oddZero < pairs * 0.05) return 'utf-16be';
  return null;
}

/** True when the bytes hold a NUL: text exports never do, binary files nearly always do. */
export function hasNulByte(head: Uint8Array): boolean {
  return head.indexOf(0) !== -1;
}

/** Length of the UTF-8 sequence a lead byte starts, or 0 for a byte that cannot start one. */
function sequenceLength(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/**
 * Validates UTF-8 one chunk at a time, without decoding it into strings: a large UTF-8 file is
 * only checked, never turned into text, and `TextDecoder` spent ~4× as long building strings
 * nobody read. Rejects what WHATWG's fatal decoder rejects (overlongs, surrogates, > U+10FFFF),
 * including sequences split across chunks.
 */
export class Utf8Validator {
  /** Bytes beyond one per character seen so far (evidence that a file really is UTF-8). */
  multibyte = 0;
  private carry: Uint8Array = new Uint8Array(0);

  /** Checks the next chunk; false at the first invalid sequence (the validator is then spent). */
  push(chunk: Uint8Array): boolean {
    let from = 0;
    if (this.carry.length > 0) {
      const need = sequenceLength(this.carry[0]) - this.carry.length;
      const joined = new Uint8Array(this.carry.length + Math.min(need, chunk.length));
      joined.set(this.carry);
      joined.set(chunk.subarray(0, need), this.carry.length);
      const r = scanUtf8(joined, 0);
      if (r.invalidAt !== -1) return false;
      if (r.incompleteAt !== -1) {
        this.carry = joined; // still not whole: the chunk was tiny
        return true;
      }
      this.multibyte += r.multibyte;
      this.carry = new Uint8Array(0);
      from = need;
    }
    const r = scanUtf8(chunk, from);
    if (r.invalidAt !== -1) return false;
    this.multibyte += r.multibyte;
    if (r.incompleteAt !== -1) this.carry = chunk.slice(r.incompleteAt);
    return true;
  }

  /** True when the input ended on a whole character. */
  finish(): boolean {
    return this.carry.length === 0;
  }
}

/**
 * Scans `bytes[from…]`: the index of the first invalid sequence, or of a valid but unfinished one at
 * the very end, and the continuation bytes of the whole sequences before. Runs of ASCII are skipped
 * four bytes at a time through an aligned `Uint32Array` view.
 */
function scanUtf8(bytes: Uint8Array, from: number): { invalidAt: number; incompleteAt: number; multibyte: number } {
  const n = bytes.length;
  const lead = (4 - (bytes.byteOffset & 3)) & 3; // first index on a 4-byte boundary of the buffer
  const words = n - lead >= 4 ? new Uint32Array(bytes.buffer, bytes.byteOffset + lead, (n - lead) >> 2) : null;
  let multibyte = 0;
  let i = from;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      if (words !== null && i >= lead && ((i - lead) & 3) === 0) {
        let k = (i - lead) >> 2;
        while (k < words.length && (words[k] & 0x80808080) === 0) k++;
        const next = lead + (k << 2);
        if (next > i) {
          i = next;
          continue;
        }
      }
      i++;
      continue;
    }
    const len = sequenceLength(b);
    if (len === 0) return { invalidAt: i, incompleteAt: -1, multibyte };
    const end = Math.min(n, i + len);
    if (i + 1 < n) {
      const b1 = bytes[i + 1];
      if ((b1 & 0xc0) !== 0x80) return { invalidAt: i, incompleteAt: -1, multibyte };
      if ((b === 0xe0 && b1 < 0xa0) || (b === 0xed && b1 > 0x9f) || (b === 0xf0 && b1 < 0x90) || (b === 0xf4 && b1 > 0x8f)) {
        return { invalidAt: i, incompleteAt: -1, multibyte };
      }
    }
    for (let k = i + 2; k < end; k++) if ((bytes[k] & 0xc0) !== 0x80) return { invalidAt: i, incompleteAt: -1, multibyte };
    if (i + len > n) return { invalidAt: -1, incompleteAt: i, multibyte };
    multibyte += len - 1;
    i += len;
  }
  return { invalidAt: -1, incompleteAt: -1, multibyte };
}

/**
 * Index of the first byte that starts an invalid (or, at `isEnd`, truncated) UTF-8 sequence in
 * `bytes`, or -1. Leading continuation bytes (up to 3) are skipped: they finish a sequence begun in
 * the previous chunk. Overlong and surrogate forms are rejected as WHATWG's decoder does.
 */
export function findInvalidUtf8(bytes: Uint8Array, isEnd: boolean): number {
  let i = 0;
  while (i < 3 && i < bytes.length && (bytes[i] & 0xc0) === 0x80) i++;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = sequenceLength(b);
    if (len === 0) return i;
    if (i + len > n) {
      // The sequence runs past the chunk: bad only if what is there is already wrong, or at the end.
      for (let k = i + 1; k < n; k++) if ((bytes[k] & 0xc0) !== 0x80) return i;
      return isEnd ? i : -1;
    }
    const b1 = bytes[i + 1];
    if ((b1 & 0xc0) !== 0x80) return i;
    if (b === 0xe0 && b1 < 0xa0) return i;
    if (b === 0xed && b1 > 0x9f) return i;
    if (b === 0xf0 && b1 < 0x90) return i;
    if (b === 0xf4 && b1 > 0x8f) return i;
    for (let k = 2; k < len; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    i += len;
  }
  return -1;
}

/** Number of `\n` bytes in `bytes[0, end)`. */
export function countNewlines(bytes: Uint8Array, end = bytes.length): number {
  return countByte(bytes, 10, 0, end);
}

/** Tallies non-ASCII characters and how many of them are CJK ideographs or CJK punctuation. */
export function tallyCjk(text: string, tally: { nonAscii: number; cjk: number }): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    tally.nonAscii++;
    if (
      (c >= 0x4e00 && c <= 0x9fff) || // unified ideographs
      (c >= 0x3400 && c <= 0x4dbf) || // extension A
      (c >= 0x3000 && c <= 0x303f) || // CJK punctuation
      (c >= 0xff00 && c <= 0xffef) // full-width forms
    ) {
      tally.cjk++;
    }
  }
}

/**
 * A GB18030 decode is believed when most non-ASCII characters came out as Chinese: Latin-1 or
 * random bytes that happen to decode give rare symbols, Cyrillic, Greek or PUA characters instead.
 */
export function isPlausibleChinese(tally: { nonAscii: number; cjk: number }): boolean {
  return tally.nonAscii > 0 && tally.cjk / tally.nonAscii >= 0.8;
}
