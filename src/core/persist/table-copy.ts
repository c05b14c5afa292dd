// The local copy of an import's rows (kept in IndexedDB so views work after a reload, offline): one
// gzipped CSV per table. DuckDB-WASM's own `COPY … (COMPRESSION gzip)` into its in-memory file system
// took 18.7 s for the 1M-row benchmark table and grew the engine's memory by ~490 MiB that it never
// gives back; written a slice of rows at a time and gzipped by the platform's CompressionStream, the
// engine only ever holds one slice's CSV.
import { ident, type SqlEngine } from '../engine/sql-engine.ts';

/** Rows per slice: ~17 MB of CSV on the benchmark table. */
export const COPY_ROWS_PER_SLICE = 100_000;

/**
 * The rows of `table` as one gzipped CSV with a header, in table order: slices of `rowsPerSlice`
 * rows by `rowid` (the engine's tables are written once, so row ids run 0…n-1 in order), each
 * written by `engine.copyCsv` and fed to one gzip stream.
 */
export async function gzipTableCsv(engine: SqlEngine, table: string, rowsPerSlice = COPY_ROWS_PER_SLICE): Promise<Uint8Array> {
  if (!engine.copyCsv) throw new Error(`${engine.label} cannot write CSV`);
  const t = ident(table);
  const [{ n }] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${t}`);
  const gzip = new CompressionStream('gzip');
  const writer = gzip.writable.getWriter();
  const compressed = new Response(gzip.readable).arrayBuffer();
  try {
    for (let from = 0; from === 0 || from < Number(n); from += rowsPerSlice) {
      const bytes = await engine.copyCsv(`SELECT * FROM ${t} WHERE rowid >= ${from} AND rowid < ${from + rowsPerSlice}`, from === 0);
      await writer.write(bytes as Uint8Array<ArrayBuffer>);
    }
    await writer.close();
  } catch (e) {
    await writer.abort(e).catch(() => undefined);
    await compressed.catch(() => undefined);
    throw e;
  }
  return new Uint8Array(await compressed);
}
