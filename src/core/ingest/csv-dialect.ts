// CSV dialect sniffing (delimiter, header) on a file's head, and a streaming byte scanner that counts
// records and finds ragged rows with their line numbers over the whole file.

/** The dialect passed to the engine, so it never has to guess the delimiter or the header. */
export interface CsvDialect {
  delimiter: string;
  quote: string;
  header: boolean;
}

export interface SniffedCsv extends CsvDialect {
  /** Fields in the first record (the header when `header`). */
  columns: number;
  /** The first record's fields. */
  firstRecord: string[];
  /** Share of sampled records whose field count equals the modal count (1 = perfectly regular). */
  consistency: number;
}

const CANDIDATES = [',', ';', '\t', '|'];

/**
 * Splits up to `maxRecords` RFC 4180 records from `text`. A record cut off at the end of the text
 * is dropped unless `isComplete` (the text is the whole file), so a head sample never yields a
 * half row.
 */
export function parseCsvRecords(text: string, delimiter: string, quote: string, maxRecords: number, isComplete: boolean): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let i = 0;
  const n = text.length;
  while (i < n && records.length < maxRecords) {
    const c = text[i];
    if (inQuotes) {
      if (c === quote) {
        if (text[i + 1] === quote) {
          field += quote;
          i += 2;
          continue;
        }
        inQuotes = false;
      } else {
        field += c;
      }
      i++;
      continue;
    }
    if (c === quote && field === '') {
      inQuotes = true;
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      fields.push(field);
      // Blank lines are skipped, as the engine does.
      if (!(fields.length === 1 && fields[0] === '')) records.push(fields);
      fields = [];
      field = '';
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else {
      field += c;
    }
    i++;
  }
  if (isComplete && i >= n && !inQuotes && (field !== '' || fields.length > 0) && records.length < maxRecords) {
    fields.push(field);
    records.push(fields);
  }
  return records;
}

/**
 * Picks the delimiter whose field count is most regular over the first records of `text` (ties go
 * to more fields), then decides whether the first record is a header.
 */
export function sniffCsv(text: string, isComplete: boolean, preferTab: boolean): SniffedCsv {
  const quote = '"';
  let best: { delimiter: string; records: string[][]; score: number; consistency: number; mode: number } | null = null;
  for (const delimiter of CANDIDATES) {
    const records = parseCsvRecords(text, delimiter, quote, 200, isComplete);
    if (records.length === 0) continue;
    const counts = new Map<number, number>();
    for (const r of records) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
    let mode = 1;
    let modeCount = 0;
    for (const [len, count] of counts) if (count > modeCount || (count === modeCount && len > mode)) [mode, modeCount] = [len, count];
    const consistency = modeCount / records.length;
    // A delimiter that never splits a line scores nothing; otherwise regularity first, width second.
    const score = mode > 1 ? consistency * 1000 + Math.min(mode, 999) + (preferTab && delimiter === '\t' ? 0.5 : 0) : 0;
    if (!best || score > best.score) best = { delimiter, records, score, consistency, mode };
  }
  if (!best || best.score === 0) {
    const records = parseCsvRecords(text, preferTab ? '\t' : ',', quote, 200, isComplete);
    const firstRecord = records[0] ?? [];
    return { delimiter: preferTab ? '\t' : ',', quote, header: true, columns: firstRecord.length, firstRecord, consistency: 0 };
  }
  const firstRecord = best.records[0];
  return {
    delimiter: best.delimiter,
    quote,
    header: looksLikeHeader(best.records),
    columns: firstRecord.length,
    firstRecord,
    consistency: best.consistency,
  };
}

type CellKind = 'empty' | 'number' | 'date' | 'bool' | 'text';

function classifyCell(v: string): CellKind {
  const s = v.trim();
  if (s === '') return 'empty';
  if (/^[-+]?(\d+([.,]\d+)?|\.\d+)([eE][-+]?\d+)?%?$/.test(s)) return 'number';
  if (/^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?/.test(s)) return 'date';
  if (/^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}/.test(s)) return 'date';
  if (/^(true|false)$/i.test(s)) return 'bool';
  return 'text';
}

/**
 * Header heuristics, in order: a text cell above a column of numbers/dates means a header; a number
 * or date in the first record means data; a first-row value that recurs in its column, or that
 * looks like a value (long, a hex id, a URL, JSON) means data; otherwise a header, as the engine
 * assumes for all-text files.
 */
export function looksLikeHeader(records: string[][]): boolean {
  if (records.length === 0) return true;
  const first = records[0];
  const rest = records.slice(1);
  if (rest.length === 0) return true;
  let typedBelowText = false;
  let typedInFirst = false;
  for (let j = 0; j < first.length; j++) {
    const k0 = classifyCell(first[j]);
    const below = new Map<CellKind, number>();
    for (const r of rest) {
      const k = classifyCell(r[j] ?? '');
      if (k !== 'empty') below.set(k, (below.get(k) ?? 0) + 1);
    }
    let dominant: CellKind = 'empty';
    let most = 0;
    for (const [k, c] of below) if (c > most) [dominant, most] = [k, c];
    if (k0 === 'text' && dominant !== 'text' && dominant !== 'empty') typedBelowText = true;
    if (k0 === 'number' || k0 === 'date') typedInFirst = true;
  }
  if (typedBelowText) return true;
  if (typedInFirst) return false;
  for (let j = 0; j < first.length; j++) {
    const v = first[j].trim();
    if (v === '') continue;
    if (v.length > 64 || /^[0-9a-f]{16,}$/i.test(v) || /^(https?:|www\.)/i.test(v) || /^[[{]/.test(v)) return false;
    if (rest.some((r) => (r[j] ?? '').trim() === v)) return false;
  }
  return true;
}

/** What the scanner learned about a whole file. */
export interface CsvScan {
  /** Non-blank records after the header (data rows). */
  rows: number;
  /** Records whose field count differs from the first record's. */
  raggedRows: number;
  /** 1-based line where the first ragged record starts, when there is one. */
  firstRaggedLine?: number;
  firstRaggedFields?: number;
  /** Most fields in any record. */
  maxFields: number;
  /** Physical lines (newline count + 1 for a final unterminated line). */
  lines: number;
}

/**
 * Counts fields per record over UTF-8 chunks without decoding them: delimiter, quote and newline
 * are ASCII, so multi-byte characters never look like them. Quotes follow RFC 4180 (doubled inside
 * a quoted field); CR is ignored so CRLF files count like LF files.
 */
export class CsvScanner {
  private readonly delim: number;
  private readonly quote: number;
  private inQuotes = false;
  private quotePending = false;
  private fieldStart = true;
  private fields = 1;
  private recordHasContent = false;
  private line = 1;
  private recordLine = 1;
  private records = 0;
  private expected = -1;
  private ragged = 0;
  private firstRaggedLine: number | undefined;
  private firstRaggedFields: number | undefined;
  private maxFields = 0;
  private lastByte = -1;

  constructor(delimiter: string, quote: string, private readonly hasHeader: boolean) {
    this.delim = delimiter.charCodeAt(0);
    this.quote = quote.charCodeAt(0);
  }

  push(chunk: Uint8Array): void {
    const { delim, quote } = this;
    let { inQuotes, quotePending, fieldStart, fields, recordHasContent, line } = this;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (inQuotes) {
        if (quotePending) {
          quotePending = false;
          if (b === quote) continue; // "" inside quotes: a literal quote
          inQuotes = false; // the previous quote closed the field; handle b below
        } else {
          if (b === quote) quotePending = true;
          else if (b === 10) line++;
          continue;
        }
      }
      if (b === delim) {
        fields++;
        fieldStart = true;
        recordHasContent = true;
      } else if (b === 10) {
        if (recordHasContent) this.endRecord(fields);
        line++;
        this.recordLine = line;
        fields = 1;
        fieldStart = true;
        recordHasContent = false;
      } else if (b === quote && fieldStart) {
        inQuotes = true;
        fieldStart = false;
        recordHasContent = true;
      } else if (b !== 13) {
        fieldStart = false;
        recordHasContent = true;
      }
    }
    if (chunk.length > 0) this.lastByte = chunk[chunk.length - 1];
    Object.assign(this, { inQuotes, quotePending, fieldStart, fields, recordHasContent, line });
  }

  /** Call once after the last chunk. */
  finish(): CsvScan {
    if (this.recordHasContent) this.endRecord(this.fields);
    const headerRecords = this.hasHeader && this.records > 0 ? 1 : 0;
    return {
      rows: this.records - headerRecords,
      raggedRows: this.ragged,
      firstRaggedLine: this.firstRaggedLine,
      firstRaggedFields: this.firstRaggedFields,
      maxFields: this.maxFields,
      lines: this.lastByte === 10 ? this.line - 1 : this.line,
    };
  }

  private endRecord(fields: number): void {
    this.records++;
    if (fields > this.maxFields) this.maxFields = fields;
    if (this.expected === -1) {
      this.expected = fields;
    } else if (fields !== this.expected) {
      this.ragged++;
      if (this.firstRaggedLine === undefined) {
        this.firstRaggedLine = this.recordLine;
        this.firstRaggedFields = fields;
      }
    }
  }
}
