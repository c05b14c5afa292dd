// Builds ColumnProfiles and Inventories from raw values in memory, the way the profiler summarises
// them (exact quantiles at QUANTILE_LEVELS, exact top values), so monitor tests know every input.
import { QUANTILE_LEVELS } from '../../../src/core/types.ts';
import type { ColumnProfile, Inventory, PhysicalType, SemanticType, TableProfile } from '../../../src/core/types.ts';

/** Linear-interpolated quantile (DuckDB quantile_cont / R type 7) of sorted values. */
export function quantileSorted(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export interface ColumnSpec {
  physicalType?: PhysicalType;
  semanticType?: SemanticType;
  engineType?: string;
  /** How many top values to keep (default 20, like a profiler's top-k). */
  topK?: number;
}

export function profileValues(table: string, name: string, values: (number | string | null)[], spec: ColumnSpec = {}): ColumnProfile {
  const nonNull = values.filter((v): v is number | string => v !== null);
  const isNum = nonNull.length > 0 && nonNull.every((v) => typeof v === 'number');
  const physicalType = spec.physicalType ?? (isNum ? (nonNull.every((v) => Number.isInteger(v)) ? 'integer' : 'double') : 'varchar');
  const counts = new Map<string, number>();
  for (const v of nonNull) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, spec.topK ?? 20);
  const sorted = isNum ? (nonNull as number[]).slice().sort((a, b) => a - b) : [];
  const quantiles = isNum && sorted.length ? QUANTILE_LEVELS.map((p) => quantileSorted(sorted, p)) : null;
  const mean = isNum && sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : null;
  const lengths = nonNull.map((v) => String(v).length);
  return {
    importId: 'x',
    table,
    name,
    index: 0,
    engineType: spec.engineType ?? (physicalType === 'varchar' ? 'VARCHAR' : physicalType === 'integer' ? 'BIGINT' : physicalType === 'timestamp' ? 'TIMESTAMP' : 'DOUBLE'),
    physicalType,
    semanticType: spec.semanticType ?? (isNum ? 'number' : 'category'),
    semanticReason: 'test',
    rowCount: values.length,
    nullCount: values.length - nonNull.length,
    emptyCount: 0,
    placeholders: [],
    distinct: counts.size,
    isUnique: counts.size === values.length,
    min: sorted.length ? String(sorted[0]) : null,
    max: sorted.length ? String(sorted[sorted.length - 1]) : null,
    mean,
    std: null,
    quantiles,
    histogram: null,
    topValues: top.map(([value, count]) => ({ value, count })),
    length: lengths.length ? { min: Math.min(...lengths), max: Math.max(...lengths), mean: lengths.reduce((a, b) => a + b, 0) / lengths.length } : null,
    patterns: [],
    samples: [],
    pii: null,
  };
}

export interface TableSpec {
  name: string;
  columns: ColumnProfile[];
  primaryKey?: string;
  duplicateRows?: number;
}

export function makeInventory(name: string, tables: TableSpec[], createdAt = Date.UTC(2024, 0, 1), id = `${name}-${createdAt}`): Inventory {
  const tps: TableProfile[] = tables.map((t) => ({
    importId: id,
    name: t.name,
    file: `${t.name}.csv`,
    format: 'csv',
    encoding: 'utf-8',
    bytes: 0,
    rowCount: t.columns[0]?.rowCount ?? 0,
    columnCount: t.columns.length,
    loadPath: 'memory',
    keyCandidates: t.primaryKey ? [[t.primaryKey]] : [],
    primaryKey: t.primaryKey,
    issues: [],
    duplicateRows: t.duplicateRows ?? 0,
  }));
  const columns = tables.flatMap((t) => t.columns.map((c, index) => ({ ...c, importId: id, table: t.name, index })));
  return {
    import: { id, name, createdAt, files: [], tableCount: tps.length, rowCount: tps.reduce((n, t) => n + t.rowCount, 0), bytes: 0, status: 'complete', issues: [], engine: 'test', durationMs: 0 },
    tables: tps,
    columns,
    relations: [],
  };
}

/** Standard normal draws from a seeded uniform generator (Box–Muller). */
export function normals(rand: () => number, n: number, mean = 0, sd = 1): number[] {
  const out: number[] = [];
  while (out.length < n) {
    const u = 1 - rand();
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    out.push(mean + sd * r * Math.cos(2 * Math.PI * v), mean + sd * r * Math.sin(2 * Math.PI * v));
  }
  return out.slice(0, n);
}
