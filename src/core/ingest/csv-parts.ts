// Cuts a large CSV, as its chunks stream past, into parts that end on record boundaries, each a
// complete CSV file (the header record repeated), so the engine can read them as one list of files:
// the page then hands the file over part by part instead of as one buffer it read a second time.
import { concatBytes } from './concat-bytes.ts';
import { countByte } from './count-byte.ts';

const LF = 10;

/**
 * Gathers chunks and gives out record-aligned parts of about `partBytes`; their concatenation minus
 * the repeated headers is the input. A part ends just after a `\n` outside quoted fields: with RFC
 * 4180 quoting (a quote inside a field is doubled) that is a newline after an even number of quote
 * bytes since the part began. A file that breaks that rule (a stray quote in an unquoted field) can
 * be cut inside a record; the engine then fails on the parts and the loader reads the file whole, so
 * a wrong cut costs time, never rows.
 */
export class CsvPartCutter {
  private readonly q: number;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** The header record (with its newline) once the first part is cut; prefixed to later parts. */
  private headerRecord: Uint8Array | null = null;
  private first = true;
  /** Bytes to gather before the next cut; raised after a failed cut so a long record is not re-copied per chunk. */
  private need: number;

  constructor(
    private readonly partBytes: number,
    quote: string,
    /** True when the first record is a header: it is copied to the start of every later part. */
    private readonly header: boolean,
  ) {
    this.q = quote.charCodeAt(0);
    this.need = partBytes;
  }

  /** Takes the next chunk (kept by reference until cut); returns a finished part, or null. */
  push(chunk: Uint8Array): Uint8Array | null {
    if (chunk.byteLength === 0) return null;
    this.pending.push(chunk);
    this.pendingBytes += chunk.byteLength;
    if (this.pendingBytes < this.need) return null;
    const prefix = this.first ? null : this.headerRecord;
    const buf = freshCopy(prefix ? [prefix, ...this.pending] : this.pending);
    // The first part must hold data past its header: the engine takes the column types from it.
    const from = prefix ? prefix.byteLength : this.first && this.header ? firstRecord(buf, this.q).byteLength : 0;
    const end = lastRecordEnd(buf, from, this.q);
    if (end === -1) {
      // One record longer than a part (a long quoted field): keep reading.
      this.pending = [prefix ? buf.subarray(prefix.byteLength) : buf];
      this.need = Math.ceil(this.pendingBytes * 1.25);
      return null;
    }
    // The rest is copied out: the engine may take ownership of the part's whole buffer.
    const rest = buf.slice(end);
    this.pending = rest.byteLength > 0 ? [rest] : [];
    this.pendingBytes = rest.byteLength;
    this.need = this.partBytes;
    const part = buf.subarray(0, end);
    if (this.first && this.header) this.headerRecord = firstRecord(part, this.q);
    this.first = false;
    return part;
  }

  /** The last part (whatever is left), or null when nothing is. */
  finish(): Uint8Array | null {
    if (this.pendingBytes === 0) return null;
    const prefix = this.first ? null : this.headerRecord;
    const part = freshCopy(prefix ? [prefix, ...this.pending] : this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    return part;
  }
}

/**
 * The chunks joined into a buffer of their own: the engine takes ownership of a registered buffer
 * (DuckDB-WASM transfers it), which must never be a chunk that views a larger source.
 */
function freshCopy(chunks: Uint8Array[]): Uint8Array {
  return chunks.length === 1 ? chunks[0].slice() : concatBytes(chunks);
}

/** Offset just after the last `\n` at or after `from` that lies outside quotes (parity counted from `from`); -1 if none. */
export function lastRecordEnd(bytes: Uint8Array, from: number, q: number): number {
  let total = countByte(bytes, q, from, bytes.byteLength);
  let scannedFrom = bytes.byteLength;
  let nl = bytes.lastIndexOf(LF);
  while (nl >= from) {
    // Quotes after this newline leave the parity before it.
    total -= countByte(bytes, q, nl, scannedFrom);
    scannedFrom = nl;
    if ((total & 1) === 0) return nl + 1;
    nl = nl === 0 ? -1 : bytes.lastIndexOf(LF, nl - 1);
  }
  return -1;
}

/** The first record of a part (with its newline); the whole part when it has one record. */
function firstRecord(part: Uint8Array, q: number): Uint8Array {
  let quotes = 0;
  let at = 0;
  for (;;) {
    const nl = part.indexOf(LF, at);
    if (nl === -1) return part.slice();
    quotes += countByte(part, q, at, nl);
    if ((quotes & 1) === 0) return part.slice(0, nl + 1);
    at = nl + 1;
  }
}
