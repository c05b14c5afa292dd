// Data fingerprints of tuning runs: SHA-256 of the rows a search was run on, so runs on the same
// rows can be compared and a run on other rows is recognisably another experiment.

/** SHA-256 hex of a JSON-serialisable value (rows, labels…), via WebCrypto so it runs everywhere. */
export async function fingerprintRows(value: unknown): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(value)));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
