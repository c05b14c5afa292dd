// Masks PII in the sample rows shown with quality issues, with the profiler's shape-keeping masks.
import type { Row } from '../engine/sql-engine.ts';
import { maskValue } from '../profile/pii.ts';
import type { ColumnProfile, PiiKind } from '../types.ts';

/** Masks the PII columns of `table` in sample rows (a copy; the input is untouched). */
export function maskRows(rows: Row[], table: string, columns: ColumnProfile[]): Row[] {
  const pii = new Map<string, PiiKind>();
  for (const c of columns) if (c.table === table && c.pii) pii.set(c.name, c.pii.kind);
  if (pii.size === 0) return rows;
  return rows.map((r) => {
    const out: Row = { ...r };
    for (const [k, kind] of pii) if (out[k] !== null && out[k] !== undefined) out[k] = maskValue(String(out[k]), kind);
    return out;
  });
}
