// A small XLSX reader: unzipped workbook parts → one RFC 4180 CSV per non-empty sheet. Reads cell
// values only (shared and inline strings, numbers, booleans, dates by their number format); no
// formulas are evaluated (the cached value is used), no styles beyond date detection.
import { concatBytes } from './concat-bytes.ts';

/** One sheet turned into CSV bytes (comma-delimited, UTF-8, no BOM). */
export interface XlsxSheet {
  name: string;
  csv: Uint8Array;
  rows: number;
  columns: number;
}

const utf8 = new TextDecoder('utf-8');

/** True when the zip entries are an Excel workbook rather than a plain archive. */
export function isXlsxEntries(names: Iterable<string>): boolean {
  for (const n of names) if (n === 'xl/workbook.xml') return true;
  return false;
}

/** Decodes the five XML entities, numeric references and OOXML's `_xHHHH_` escapes. */
export function decodeXmlText(s: string): string {
  const out = s.indexOf('&') === -1 ? s : s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e];
  });
  return out.indexOf('_x') === -1 ? out : out.replace(/_x([0-9a-fA-F]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(tag);
  return m ? decodeXmlText(m[2] ?? m[3]) : undefined;
}

/** Text of all `<t>` runs in a string item (rich text has several), phonetic hints left out. */
function collectText(xml: string): string {
  const body = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
  let out = '';
  const re = /<t\b[^>]*?(\/>|>([\s\S]*?)<\/t>)/g;
  for (let m = re.exec(body); m; m = re.exec(body)) out += m[2] ? decodeXmlText(m[2]) : '';
  return out;
}

function readSharedStrings(xml: string | undefined): string[] {
  if (!xml) return [];
  const out: string[] = [];
  const re = /<si\b[^>]*?(\/>|>([\s\S]*?)<\/si>)/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push(m[2] ? collectText(m[2]) : '');
  return out;
}

const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57]);

/** For each cell style index: 'date', 'datetime', 'time' or null, from styles.xml number formats. */
function readDateStyles(xml: string | undefined): ('date' | 'datetime' | 'time' | null)[] {
  if (!xml) return [];
  const custom = new Map<number, string>();
  const fmtRe = /<numFmt\b[^>]*>/g;
  for (let m = fmtRe.exec(xml); m; m = fmtRe.exec(xml)) {
    const id = Number(attr(m[0], 'numFmtId'));
    custom.set(id, attr(m[0], 'formatCode') ?? '');
  }
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(xml)?.[1] ?? '';
  const out: ('date' | 'datetime' | 'time' | null)[] = [];
  const xfRe = /<xf\b[^>]*>/g;
  for (let m = xfRe.exec(xfs); m; m = xfRe.exec(xfs)) {
    const id = Number(attr(m[0], 'numFmtId') ?? 0);
    const code = custom.get(id);
    if (code !== undefined) {
      // Strip quoted literals, [colour]/[locale] brackets and escapes before looking for date letters.
      const bare = code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '').toLowerCase();
      const hasDate = /[dy]/.test(bare) || /m{3,}/.test(bare);
      const hasTime = /[hs]/.test(bare);
      out.push(hasDate ? (hasTime ? 'datetime' : 'date') : hasTime ? 'time' : null);
    } else if (BUILTIN_DATE_FORMATS.has(id)) {
      out.push(id === 22 ? 'datetime' : id >= 18 && id <= 21 ? 'time' : id >= 45 && id <= 47 ? 'time' : 'date');
    } else {
      out.push(null);
    }
  }
  return out;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Excel serial day number → ISO date or timestamp text (1900 or 1904 date system). */
function formatSerial(serial: number, kind: 'date' | 'datetime' | 'time', is1904: boolean): string {
  const epoch = is1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  const ms = Math.round(serial * 86400000);
  const d = new Date(epoch + ms);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  if (kind === 'time') return time;
  if (kind === 'date' && ms % 86400000 === 0) return date;
  return `${date} ${time}`;
}

/** Column index (0-based) of a cell reference such as `C7` or `AA10`; -1 when there are no letters. */
export function columnIndex(ref: string): number {
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  return i === 0 ? -1 : col - 1;
}

function quoteCsv(v: string): string {
  return /[",\r\n]/.test(v) ? '"' + v.replaceAll('"', '""') + '"' : v;
}

function resolvePart(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = ('xl/' + target).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.') out.push(p);
  }
  return out.join('/');
}

/** Sheet names and their part paths, in workbook order. */
function listSheets(entries: Record<string, Uint8Array>): { name: string; part: string }[] {
  const workbook = utf8.decode(entries['xl/workbook.xml']);
  const relsBytes = entries['xl/_rels/workbook.xml.rels'];
  const rels = new Map<string, string>();
  if (relsBytes) {
    const xml = utf8.decode(relsBytes);
    const re = /<Relationship\b[^>]*>/g;
    for (let m = re.exec(xml); m; m = re.exec(xml)) {
      const id = attr(m[0], 'Id');
      const target = attr(m[0], 'Target');
      if (id && target) rels.set(id, resolvePart(target));
    }
  }
  const sheets: { name: string; part: string }[] = [];
  const re = /<sheet\b[^>]*>/g;
  let index = 0;
  for (let m = re.exec(workbook); m; m = re.exec(workbook)) {
    index++;
    const name = attr(m[0], 'name') ?? `Sheet${index}`;
    const rid = /\s[\w]+:id\s*=\s*"([^"]*)"/.exec(m[0])?.[1];
    const part = (rid && rels.get(rid)) || `xl/worksheets/sheet${index}.xml`;
    sheets.push({ name, part });
  }
  return sheets;
}

/**
 * Reads every sheet of an unzipped workbook. Fully empty rows and leading empty columns are
 * dropped; shorter rows are padded so every CSV record has the same number of fields.
 * Throws an Error with a readable message when the workbook itself is unreadable.
 */
export function readXlsxSheets(entries: Record<string, Uint8Array>): XlsxSheet[] {
  if (!entries['xl/workbook.xml']) throw new Error('no xl/workbook.xml: not an Excel workbook');
  const workbookXml = utf8.decode(entries['xl/workbook.xml']);
  const is1904 = /<workbookPr\b[^>]*date1904\s*=\s*"(1|true)"/.test(workbookXml);
  const shared = readSharedStrings(entries['xl/sharedStrings.xml'] && utf8.decode(entries['xl/sharedStrings.xml']));
  const dateStyles = readDateStyles(entries['xl/styles.xml'] && utf8.decode(entries['xl/styles.xml']));
  const out: XlsxSheet[] = [];
  for (const sheet of listSheets(entries)) {
    const bytes = entries[sheet.part];
    if (!bytes) continue;
    const grid = readSheetGrid(utf8.decode(bytes), shared, dateStyles, is1904);
    if (grid.rows.length === 0) continue;
    out.push({ name: sheet.name, ...writeCsv(grid) });
  }
  return out;
}

interface Grid {
  rows: Map<number, string>[];
  minCol: number;
  maxCol: number;
}

function readSheetGrid(xml: string, shared: string[], dateStyles: ('date' | 'datetime' | 'time' | null)[], is1904: boolean): Grid {
  const rows: Map<number, string>[] = [];
  let minCol = Infinity;
  let maxCol = -1;
  const start = xml.indexOf('<sheetData');
  if (start === -1) return { rows, minCol: 0, maxCol: -1 };
  const rowRe = /<row\b[^>]*>/g;
  const cellRe = /<c\b[^>]*>/g;
  rowRe.lastIndex = start;
  for (let rm = rowRe.exec(xml); rm; rm = rowRe.exec(xml)) {
    if (rm[0].endsWith('/>')) continue;
    const rowEnd = xml.indexOf('</row>', rowRe.lastIndex);
    const body = xml.slice(rowRe.lastIndex, rowEnd === -1 ? xml.length : rowEnd);
    rowRe.lastIndex = rowEnd === -1 ? xml.length : rowEnd + 6;
    const cells = new Map<number, string>();
    let col = -1;
    cellRe.lastIndex = 0;
    for (let cm = cellRe.exec(body); cm; cm = cellRe.exec(body)) {
      const tag = cm[0];
      const ref = attr(tag, 'r');
      const refCol = ref ? columnIndex(ref) : -1;
      col = refCol >= 0 ? refCol : col + 1;
      if (tag.endsWith('/>')) continue;
      const end = body.indexOf('</c>', cellRe.lastIndex);
      const inner = body.slice(cellRe.lastIndex, end === -1 ? body.length : end);
      cellRe.lastIndex = end === -1 ? body.length : end + 4;
      const value = readCellValue(tag, inner, shared, dateStyles, is1904);
      if (value === '') continue;
      cells.set(col, value);
      if (col < minCol) minCol = col;
      if (col > maxCol) maxCol = col;
    }
    if (cells.size > 0) rows.push(cells);
  }
  return { rows, minCol: Number.isFinite(minCol) ? minCol : 0, maxCol };
}

function readCellValue(tag: string, inner: string, shared: string[], dateStyles: ('date' | 'datetime' | 'time' | null)[], is1904: boolean): string {
  const type = attr(tag, 't') ?? 'n';
  if (type === 'inlineStr') {
    const is = /<is\b[^>]*>([\s\S]*?)<\/is>/.exec(inner)?.[1];
    return is ? collectText(is) : '';
  }
  const raw = /<v\b[^>]*>([\s\S]*?)<\/v>/.exec(inner)?.[1];
  if (raw === undefined) return '';
  const v = decodeXmlText(raw);
  switch (type) {
    case 's':
      return shared[Number(v)] ?? '';
    case 'b':
      return v === '1' ? 'true' : 'false';
    case 'e':
      return ''; // #N/A, #DIV/0!: an error value is a missing value
    case 'str':
      return v;
    default: {
      const style = attr(tag, 's');
      const kind = style !== undefined ? dateStyles[Number(style)] : null;
      const num = Number(v);
      return kind && Number.isFinite(num) ? formatSerial(num, kind, is1904) : v;
    }
  }
}

function writeCsv(grid: Grid): { csv: Uint8Array; rows: number; columns: number } {
  const encoder = new TextEncoder();
  const columns = grid.maxCol - grid.minCol + 1;
  const parts: Uint8Array[] = [];
  let lines: string[] = [];
  const flush = () => {
    if (lines.length) parts.push(encoder.encode(lines.join('')));
    lines = [];
  };
  for (const cells of grid.rows) {
    const fields: string[] = new Array(columns);
    for (let c = 0; c < columns; c++) fields[c] = quoteCsv(cells.get(grid.minCol + c) ?? '');
    lines.push(fields.join(',') + '\n');
    if (lines.length >= 5000) flush();
  }
  flush();
  return { csv: concatBytes(parts), rows: grid.rows.length, columns };
}
