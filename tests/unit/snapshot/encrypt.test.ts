// Encrypted uploads: AES-GCM round trip with a random key per snapshot; a wrong key, altered bytes or a
// damaged key give DECRYPT_FAILED. Runs on Node's globalThis.crypto.subtle, as browsers do.
import { describe, expect, it } from 'vitest';
import { decryptSnapshot, encryptSnapshot } from '../../../src/core/snapshot/encrypt.ts';
import { SnapshotError } from '../../../src/core/snapshot/snapshot.ts';
import { mulberry32 } from '../../../src/core/util/random.ts';

function seededBytes(n: number, seed: number): Uint8Array {
  const rand = mulberry32(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SnapshotError);
    return (e as SnapshotError).code;
  }
  return 'none';
}

describe('encryptSnapshot / decryptSnapshot', () => {
  it('round-trips, with a fresh 256-bit key and IV each time', async () => {
    const plain = seededBytes(50_000, 1);
    const a = await encryptSnapshot(plain);
    const b = await encryptSnapshot(plain);
    expect(a.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.key).not.toBe(b.key);
    expect(Buffer.from(a.cipher.subarray(0, 12)).equals(Buffer.from(b.cipher.subarray(0, 12)))).toBe(false);
    // IV + ciphertext + 16-byte tag; nothing of the plaintext shows through.
    expect(a.cipher.length).toBe(plain.length + 12 + 16);
    expect(Buffer.from(a.cipher).includes(Buffer.from(plain.subarray(0, 32)))).toBe(false);
    expect(await decryptSnapshot(a.cipher, a.key)).toEqual(plain);
    expect(await decryptSnapshot(b.cipher, b.key)).toEqual(plain);
  });

  it('refuses a wrong key, altered bytes, a damaged key and a truncated upload', async () => {
    const plain = seededBytes(1000, 2);
    const { cipher, key } = await encryptSnapshot(plain);
    const other = await encryptSnapshot(plain);
    expect(await codeOf(decryptSnapshot(cipher, other.key))).toBe('DECRYPT_FAILED');
    for (const at of [0, 12, 500, cipher.length - 1]) {
      const tampered = cipher.slice();
      tampered[at] ^= 1;
      expect(await codeOf(decryptSnapshot(tampered, key)), `byte ${at}`).toBe('DECRYPT_FAILED');
    }
    expect(await codeOf(decryptSnapshot(cipher, key.slice(0, 20)))).toBe('DECRYPT_FAILED');
    expect(await codeOf(decryptSnapshot(cipher, `${key.slice(0, -1)}$`))).toBe('DECRYPT_FAILED');
    expect(await codeOf(decryptSnapshot(cipher.slice(0, 20), key))).toBe('DECRYPT_FAILED');
    expect(await codeOf(decryptSnapshot(cipher.slice(0, cipher.length - 1), key))).toBe('DECRYPT_FAILED');
  });
});
