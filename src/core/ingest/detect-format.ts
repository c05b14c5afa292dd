// Format sniffing: which files of an import to skip, and what a file is from its name and first bytes.
import type { FileFormat } from '../types.ts';

/** Extensions of files that are obviously not data: skipped with a warning, never an error. */
const NON_DATA_EXTENSIONS = new Set([
  'md', 'markdown', 'rst', 'pdf', 'doc', 'docx', 'ppt', 'pptx', 'odt', 'rtf', 'html', 'htm', 'css',
  'js', 'mjs', 'ts', 'py', 'r', 'ipynb', 'sh', 'bat', 'sql', 'yml', 'yaml', 'toml', 'ini', 'cfg', 'xml',
  'png', 'jpg', 'jpeg', 'gif', 'bmp', 'svg', 'webp', 'ico', 'tif', 'tiff', 'heic', 'mp3', 'mp4', 'mov',
  'avi', 'wav', 'exe', 'dll', 'so', 'dylib', 'bin', 'jar', 'class', 'log', 'license', 'gitignore',
  'gitattributes', 'xls', 'numbers', 'gz', 'tgz', 'bz2', '7z', 'rar', 'tar', 'db', 'sqlite', 'pkl',
]);

const BASE_NAMES_NOT_DATA = new Set(['license', 'licence', 'readme', 'notice', 'changelog', 'makefile', 'thumbs.db']);

/** Lower-case extension without the dot, '' when there is none. */
export function extensionOf(path: string): string {
  const base = baseName(path);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** File name without its extension: the default table name. */
export function stemOf(path: string): string {
  const base = baseName(path);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/**
 * Why a path is not worth reading, or null. macOS zip metadata and dotfiles are noise; documents and
 * images are not tables. Both are warnings: the user dropped a whole folder, which is fine.
 */
export function explainSkip(path: string): string | null {
  const parts = path.split('/');
  if (parts.some((p) => p === '__MACOSX')) return 'macOS metadata (__MACOSX), skipped';
  if (parts.some((p) => p.startsWith('.') && p !== '.' && p !== '..')) return 'hidden file, skipped';
  const ext = extensionOf(path);
  if (NON_DATA_EXTENSIONS.has(ext)) return `not a data file (.${ext}), skipped`;
  if (BASE_NAMES_NOT_DATA.has(stemOf(path).toLowerCase()) && !['csv', 'tsv', 'json', 'jsonl'].includes(ext)) {
    return 'not a data file, skipped';
  }
  return null;
}

/** Container formats recognised from magic bytes. */
export function detectContainer(head: Uint8Array): 'parquet' | 'zip' | null {
  if (head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31) return 'parquet'; // PAR1
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip'; // PK\3\4
  // An empty zip is only an end-of-central-directory record.
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x05 && head[3] === 0x06) return 'zip';
  return null;
}

/**
 * The text format of a file from its decoded head and extension: JSON from the first character,
 * TSV from the extension or when tabs outnumber the other delimiters, CSV otherwise. Null when the
 * text is not tabular (one column of prose with no delimiter at all and no data extension).
 */
export function detectTextFormat(head: string, ext: string): FileFormat | null {
  const text = head.replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  const first = trimmed[0];
  if (first === '[' && ext !== 'csv' && ext !== 'tsv') return 'json';
  if (first === '{' && ext !== 'csv' && ext !== 'tsv') {
    // JSON Lines: every non-empty line is its own object. A single pretty-printed object is JSON.
    const lines = trimmed.split('\n').filter((l) => l.trim() !== '');
    const complete = lines.length > 1 ? lines.slice(0, -1) : lines;
    const isJsonl = complete.every((l) => l.trimStart().startsWith('{') && l.trimEnd().endsWith('}'));
    return isJsonl ? 'jsonl' : 'json';
  }
  if (ext === 'tsv' || ext === 'tab') return 'tsv';
  const sample = text.slice(0, 16384);
  const tabs = countChar(sample, '\t');
  const others = Math.max(countChar(sample, ','), countChar(sample, ';'), countChar(sample, '|'));
  if (tabs > 0 && tabs >= others) return 'tsv';
  if (ext === 'csv') return 'csv';
  if (others === 0) return null;
  return 'csv';
}

function countChar(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i !== -1; i = s.indexOf(ch, i + 1)) n++;
  return n;
}
