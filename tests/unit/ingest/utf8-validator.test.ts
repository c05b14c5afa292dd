import { describe, expect, it } from 'vitest';
import { Utf8Validator } from '../../../src/core/ingest/encoding.ts';
import { mulberry32 } from '../../../src/core/util/random.ts';

/** What WHATWG's fatal decoder says about the whole input: the reference the validator must match. */
function decoderAccepts(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Feeds `bytes` in chunks cut at the given sizes, as the import's streaming pass does. */
function validate(bytes: Uint8Array, cuts: number[]): { ok: boolean; multibyte: number } {
  const v = new Utf8Validator();
  let at = 0;
  for (const size of cuts) {
    if (!v.push(bytes.subarray(at, Math.min(bytes.length, at + size)))) return { ok: false, multibyte: v.multibyte };
    at += size;
    if (at >= bytes.length) break;
  }
  if (at < bytes.length && !v.push(bytes.subarray(at))) return { ok: false, multibyte: v.multibyte };
  return { ok: v.finish(), multibyte: v.multibyte };
}

const text = 'order_id,标题,price\n1,Café 北京 🛒 ü,12.5\n2,"红色 T恤, 纯棉",99\n'.repeat(40);
const utf8 = new TextEncoder().encode(text);

describe('Utf8Validator', () => {
  it('accepts real mixed Chinese, Latin and emoji text cut at every chunk boundary', () => {
    for (let size = 1; size <= 9; size++) {
      const r = validate(utf8, new Array(Math.ceil(utf8.length / size)).fill(size));
      expect(r.ok).toBe(true);
    }
    // Continuation bytes counted: bytes − code points.
    expect(validate(utf8, [utf8.length]).multibyte).toBe(utf8.length - [...text].length);
  });

  it('agrees with the fatal TextDecoder on every single-byte corruption of a sample, whatever the chunking', () => {
    const sample = utf8.subarray(0, 120);
    const rand = mulberry32(7);
    const specials = [0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x00, 0x41];
    for (let pos = 0; pos < sample.length; pos++) {
      for (const value of specials) {
        const bad = sample.slice();
        bad[pos] = value;
        const cut = 1 + Math.floor(rand() * 7);
        expect(validate(bad, new Array(200).fill(cut)).ok, `byte ${pos} = ${value.toString(16)}, chunks of ${cut}`).toBe(decoderAccepts(bad));
      }
    }
  });

  it('rejects overlongs, surrogates, code points past U+10FFFF and a truncated end', () => {
    const cases = [
      [0xc0, 0xaf], // overlong '/'
      [0xe0, 0x80, 0xaf], // overlong
      [0xed, 0xa0, 0x80], // surrogate D800
      [0xf4, 0x90, 0x80, 0x80], // U+110000
      [0xe5, 0x8c], // truncated at the end
    ];
    for (const c of cases) {
      const bytes = new Uint8Array([0x61, ...c]);
      expect(decoderAccepts(bytes)).toBe(false);
      expect(validate(bytes, [1, 1, 1, 1, 1]).ok).toBe(false);
      expect(validate(bytes, [bytes.length]).ok).toBe(false);
    }
  });

  it('checks long ASCII runs word by word at any alignment', () => {
    const buffer = new Uint8Array(4096 + 3).fill(0x61);
    for (let offset = 0; offset < 3; offset++) {
      const view = buffer.subarray(offset, offset + 4096);
      expect(validate(view, [4096]).ok).toBe(true);
      const bad = view.slice();
      bad[2001] = 0xff;
      expect(validate(bad, [4096]).ok).toBe(false);
    }
  });
});
