// Cuts a large CSV held in memory into slices that end on record boundaries, so the engine can load
// it slice by slice instead of holding the whole file and the whole table in its heap at once.

/**
 * End offsets (exclusive) of consecutive slices of about `target` bytes; the last is `bytes.length`.
 * A slice ends just after a `\n` that lies outside quoted fields: with RFC 4180 quoting (a quote
 * inside a field is doubled) that is a newline preceded by an even number of quote bytes. A file
 * that breaks that rule (a stray quote in an unquoted field) can be cut inside a record; the loader
 * then fails on that slice and reads the file whole, so a wrong cut costs time, never rows.
 */
export function findCsvSliceEnds(bytes: Uint8Array, target: number, quote = '"'): number[] {
  const q = quote.charCodeAt(0);
  const n = bytes.length;
  const ends: number[] = [];
  let quotes = 0; // quote bytes in [0, scanned)
  let scanned = 0;
  let start = 0;
  while (n - start > target) {
    let at = start + target;
    // Parity of quotes before the candidate cut, counted incrementally.
    quotes += countByte(bytes, q, scanned, at);
    scanned = at;
    let end = -1;
    while (at < n) {
      const nl = bytes.indexOf(10, at);
      if (nl === -1) break;
      quotes += countByte(bytes, q, scanned, nl);
      scanned = nl;
      if ((quotes & 1) === 0) {
        end = nl + 1;
        break;
      }
      at = nl + 1;
    }
    if (end === -1 || end >= n) break;
    ends.push(end);
    start = end;
  }
  ends.push(n);
  return ends;
}

function countByte(bytes: Uint8Array, b: number, from: number, to: number): number {
  let count = 0;
  let i = bytes.indexOf(b, from);
  while (i !== -1 && i < to) {
    count++;
    i = bytes.indexOf(b, i + 1);
  }
  return count;
}
