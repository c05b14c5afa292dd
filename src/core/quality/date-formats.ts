// Date shapes found in text columns: the SQL that names each value's shape, and the strptime formats
// that parse each shape (used by the validity checks and the standardise-date recipe step).
import { ident } from '../engine/sql-engine.ts';

export interface DateShape {
  /** Human name, e.g. `YYYY-MM-DD`. */
  name: string;
  /** RE2 pattern of the whole value. */
  pattern: string;
  /** strptime formats to try, in order (day-first before month-first where ambiguous). */
  formats: string[];
}

export const DATE_SHAPES: DateShape[] = [
  { name: 'YYYY-MM-DD hh:mm:ss', pattern: '^\\d{4}-\\d{1,2}-\\d{1,2}[ T]\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d+)?)?Z?$', formats: ['%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%dT%H:%M:%SZ', '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%dT%H:%M:%S.%fZ'] },
  { name: 'YYYY-MM-DD', pattern: '^\\d{4}-\\d{1,2}-\\d{1,2}$', formats: ['%Y-%m-%d'] },
  { name: 'YYYY/MM/DD', pattern: '^\\d{4}/\\d{1,2}/\\d{1,2}( \\d{1,2}:\\d{2}(:\\d{2})?)?$', formats: ['%Y/%m/%d', '%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M'] },
  { name: 'DD/MM/YYYY', pattern: '^\\d{1,2}/\\d{1,2}/\\d{4}( \\d{1,2}:\\d{2}(:\\d{2})?)?$', formats: ['%d/%m/%Y', '%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%m/%d/%Y', '%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M'] },
  { name: 'DD.MM.YYYY', pattern: '^\\d{1,2}\\.\\d{1,2}\\.\\d{4}$', formats: ['%d.%m.%Y'] },
  { name: 'DD-MM-YYYY', pattern: '^\\d{1,2}-\\d{1,2}-\\d{4}$', formats: ['%d-%m-%Y', '%m-%d-%Y'] },
  { name: 'YYYY年MM月DD日', pattern: '^\\d{4}年\\d{1,2}月\\d{1,2}日$', formats: ['%Y年%m月%d日'] },
  { name: 'YYYYMMDD', pattern: '^(19|20)\\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])$', formats: ['%Y%m%d'] },
  { name: 'DD Mon YYYY', pattern: '^\\d{1,2} [A-Za-z]{3,9},? \\d{4}$', formats: ['%d %b %Y', '%d %B %Y'] },
  { name: 'Mon DD, YYYY', pattern: '^[A-Za-z]{3,9} \\d{1,2},? \\d{4}$', formats: ['%b %d, %Y', '%B %d, %Y', '%b %d %Y', '%B %d %Y'] },
];

/** SQL naming the date shape of a text expression's trimmed value, NULL when it is not date-shaped. */
export function dateShapeSql(expr: string): string {
  const v = `trim(${expr})`;
  return `CASE ${DATE_SHAPES.map((s) => `WHEN regexp_matches(${v}, '${s.pattern}') THEN '${s.name}'`).join(' ')} ELSE NULL END`;
}

/** SQL parsing a text column to TIMESTAMP with every known format; NULL when none parses. */
export function parseDateSql(column: string, shapes: string[] = DATE_SHAPES.map((s) => s.name), monthFirst = false): string {
  const v = `trim(${ident(column)})`;
  const formats = DATE_SHAPES.filter((s) => shapes.includes(s.name)).flatMap((s) => (monthFirst ? [...s.formats].reverse() : s.formats));
  return `coalesce(${formats.map((f) => `try_strptime(${v}, '${f}')`).join(', ')})`;
}
