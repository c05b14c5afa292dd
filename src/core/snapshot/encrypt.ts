// Encrypted uploads: AES-GCM 256 with a fresh random key per snapshot, through globalThis.crypto.subtle
// (browsers and Node 20 alike). The key travels only in the link's hash (`#k=…`), never to the server.
import { fromBase64Url, toBase64Url } from './link.ts';
import { SnapshotError } from './snapshot-error.ts';

const IV_BYTES = 12;
const KEY_BYTES = 32;

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  // Browsers hide crypto.subtle outside secure contexts (plain http other than localhost).
  if (!s) throw new SnapshotError('DECRYPT_FAILED', 'Encryption is not available here (the page must be served over https or from localhost).');
  return s;
}

function importKey(raw: Uint8Array, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  return subtle().importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'AES-GCM' }, false, [usage]);
}

/**
 * Encrypts `bytes` with a new random 256-bit key. `cipher` is the 12-byte IV followed by the AES-GCM
 * ciphertext and tag: opaque bytes for the server. `key` is the raw key in base64url, for the hash.
 */
export async function encryptSnapshot(bytes: Uint8Array): Promise<{ cipher: Uint8Array; key: string }> {
  const raw = globalThis.crypto.getRandomValues(new Uint8Array(KEY_BYTES));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(await subtle().encrypt({ name: 'AES-GCM', iv }, await importKey(raw, 'encrypt'), bytes as Uint8Array<ArrayBuffer>));
  const cipher = new Uint8Array(IV_BYTES + sealed.length);
  cipher.set(iv, 0);
  cipher.set(sealed, IV_BYTES);
  return { cipher, key: toBase64Url(raw) };
}

/** Decrypts what `encryptSnapshot` produced; a wrong key or altered bytes throw DECRYPT_FAILED. */
export async function decryptSnapshot(cipher: Uint8Array, key: string): Promise<Uint8Array> {
  let raw: Uint8Array;
  try {
    raw = fromBase64Url(key);
  } catch {
    throw new SnapshotError('DECRYPT_FAILED', 'The key in the link is damaged. Copy the whole link again.');
  }
  if (raw.length !== KEY_BYTES) throw new SnapshotError('DECRYPT_FAILED', `The key in the link is damaged (it has ${raw.length} bytes, not ${KEY_BYTES}). Copy the whole link again.`);
  if (cipher.length < IV_BYTES + 16) throw new SnapshotError('DECRYPT_FAILED', 'The uploaded snapshot is too short to be an encrypted snapshot.');
  try {
    const plain = await subtle().decrypt({ name: 'AES-GCM', iv: cipher.slice(0, IV_BYTES) }, await importKey(raw, 'decrypt'), cipher.slice(IV_BYTES));
    return new Uint8Array(plain);
  } catch {
    // AES-GCM cannot tell a wrong key from altered bytes: both fail the tag check.
    throw new SnapshotError('DECRYPT_FAILED', 'The snapshot could not be decrypted: the key does not match or the stored bytes were altered.');
  }
}
