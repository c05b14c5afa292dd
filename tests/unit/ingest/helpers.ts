// Shared helpers for the ingest tests: collecting results, loading prepared tables into native
// DuckDB, and building test inputs (GBK bytes, XLSX workbooks, Parquet files) from scratch.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { ident } from '../../../src/core/engine/sql-engine.ts';
import { buildLoadSql, prepareSources, type PrepareOptions, type PreparedTable, type PrepareResult } from '../../../src/core/ingest/prepare.ts';
import type { SourceFile } from '../../../src/core/ingest/source.ts';
import type { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import type { ImportIssue } from '../../../src/core/types.ts';

export async function collect(files: SourceFile[], options?: PrepareOptions): Promise<PrepareResult[]> {
  const out: PrepareResult[] = [];
  for await (const r of prepareSources(files, options)) out.push(r);
  return out;
}

export function tablesOf(results: PrepareResult[]): PreparedTable[] {
  return results.flatMap((r) => (r.ok ? [r.table] : []));
}

export function issuesOf(results: PrepareResult[]): ImportIssue[] {
  return results.flatMap((r) => (r.ok ? [] : [r.issue]));
}

export async function bytesOf(t: PreparedTable): Promise<Uint8Array> {
  return t.data.kind === 'bytes' ? t.data.bytes : await t.data.source.bytes();
}

let counter = 0;
/** Registers the table's bytes and runs `sql(table, virtualFile)` (buildLoadSql by default). */
export async function loadTable(
  engine: DuckDbNodeEngine,
  t: PreparedTable,
  sql: (t: PreparedTable, vf: string) => string | null = buildLoadSql,
): Promise<void> {
  const vf = `ingest-test-${counter++}.${t.reader}`;
  await engine.registerBuffer(vf, await bytesOf(t));
  await engine.query(`DROP TABLE IF EXISTS ${ident(t.table)}`);
  await engine.query(sql(t, vf)!);
}

export async function columnsOf(engine: DuckDbNodeEngine, table: string): Promise<{ name: string; type: string }[]> {
  const rows = await engine.query<{ column_name: string; column_type: string }>(`DESCRIBE ${ident(table)}`);
  return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
}

export async function rowsOf(engine: DuckDbNodeEngine, table: string, orderBy?: string): Promise<Record<string, unknown>[]> {
  return engine.query(`SELECT * FROM ${ident(table)}${orderBy ? ` ORDER BY ${orderBy}` : ''}`);
}

/** GBK encoder for the characters a test needs, built by inverting Node's GBK decoder. */
export function encodeGbk(text: string): Uint8Array {
  const table = new Map<string, [number, number]>();
  const decoder = new TextDecoder('gbk');
  const wanted = new Set([...text].filter((c) => c.charCodeAt(0) >= 0x80));
  for (let lead = 0x81; lead <= 0xfe && table.size < wanted.size; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const ch = decoder.decode(new Uint8Array([lead, trail]));
      if (wanted.has(ch) && !table.has(ch)) table.set(ch, [lead, trail]);
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code < 0x80) out.push(code);
    else {
      const pair = table.get(ch);
      if (!pair) throw new Error(`no GBK code for ${ch}`);
      out.push(...pair);
    }
  }
  return new Uint8Array(out);
}

/** UTF-16 bytes with a BOM. */
export function encodeUtf16(text: string, endian: 'le' | 'be'): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0xfeff, endian === 'le');
  for (let i = 0; i < text.length; i++) view.setUint16(2 + i * 2, text.charCodeAt(i), endian === 'le');
  return out;
}

/** Writes a Parquet file with the native engine and returns its bytes. */
export async function writeParquet(engine: DuckDbNodeEngine, select: string): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'ingest-parquet-'));
  try {
    const path = join(dir, 'x.parquet');
    await engine.query(`COPY (${select}) TO '${path}' (FORMAT parquet)`);
    return new Uint8Array(readFileSync(path));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Counts data records of an RFC 4180 CSV (header excluded, blank lines skipped): independent of the scanner. */
export function countCsvRecords(text: string): number {
  let records = 0;
  let inQuotes = false;
  let hasContent = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      inQuotes = !inQuotes; // a doubled quote toggles twice: net unchanged
      hasContent = true;
    } else if (c === '\n' && !inQuotes) {
      if (hasContent) records++;
      hasContent = false;
    } else if (c !== '\r') {
      hasContent = true;
    }
  }
  if (hasContent) records++;
  return records - 1;
}

export interface SheetSpec {
  name: string;
  /** Raw `<sheetData>` inner XML. */
  rowsXml: string;
}

/** A minimal but real XLSX: workbook, relationships, shared strings, styles and sheets. */
export function buildXlsx(sheets: SheetSpec[], sharedStrings: string[], options: { sharedXml?: string } = {}): Uint8Array {
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const rns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    '_rels/.rels': strToU8('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'),
    'xl/workbook.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook ${ns} ${rns}><sheets>` +
        sheets.map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
        '</sheets></workbook>',
    ),
    // Targets in reverse file order: the reader must follow the relationships, not guess by index.
    'xl/_rels/workbook.xml.rels': strToU8(
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${sheets.length - i}.xml"/>`).join('') +
        '</Relationships>',
    ),
    'xl/sharedStrings.xml': strToU8(
      options.sharedXml ??
        `<?xml version="1.0"?><sst ${ns} count="${sharedStrings.length}" uniqueCount="${sharedStrings.length}">` +
          sharedStrings.map((s) => `<si><t xml:space="preserve">${s}</t></si>`).join('') +
          '</sst>',
    ),
    'xl/styles.xml': strToU8(
      `<?xml version="1.0"?><styleSheet ${ns}><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/></numFmts>` +
        '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>',
    ),
  };
  sheets.forEach((s, i) => {
    files[`xl/worksheets/sheet${sheets.length - i}.xml`] = strToU8(
      `<?xml version="1.0"?><worksheet ${ns}><dimension ref="A1"/><cols><col min="1" max="3" width="9"/></cols><sheetData>${s.rowsXml}</sheetData></worksheet>`,
    );
  });
  return zipSync(files);
}
