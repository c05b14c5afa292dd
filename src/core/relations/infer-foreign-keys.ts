// Foreign-key inference between loaded tables: child columns whose distinct values are (almost) all
// found in another table's single-column key, verified with one anti-join per plausible pair.
import { ident } from '../engine/sql-engine.ts';
import type { SqlEngine } from '../engine/sql-engine.ts';
import { throwIfAborted } from '../errors.ts';
import type { ColumnProfile, ForeignKey, PhysicalType, SemanticType, TableProfile } from '../types.ts';

export interface InferForeignKeysOptions {
  importId: string;
  /** Share of the child's distinct values that must be found in the parent (default 0.9). */
  minCoverage?: number;
  signal?: AbortSignal;
}

/** Semantic types that measure something: such columns are not references even when their values fit. */
const NOT_REFERENCES: ReadonlySet<SemanticType> = new Set([
  'price', 'quantity', 'rating', 'percentage', 'measure', 'latitude', 'longitude', 'timestamp', 'date', 'boolean', 'text', 'title',
]);
const KEYABLE: ReadonlySet<PhysicalType> = new Set(['integer', 'decimal', 'varchar']);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9\u4e00-\u9fff]+/)
    .filter((w) => w && !/^(dataset|data|table|tbl|olist|dim|fact)$/.test(w));
}

function singular(w: string): string {
  return w.replace(/ies$/, 'y').replace(/(ses|xes)$/, (m) => m.slice(0, -2)).replace(/s$/, '');
}

/** Column name without an id suffix: `customer_id` → `customer`, `userId` → `user`. */
function stemOf(column: string): string {
  return words(column)
    .filter((w) => !/^(id|key|code|no|fk|pk)$/.test(w))
    .map(singular)
    .join('_');
}

/** True when a name looks like an identifier. */
function isIdLike(name: string): boolean {
  return /^id$|_id$|[a-z]Id$|ID$|^id_|编号|(^|_)(uuid|key|code|no|sku)$/i.test(name);
}

/**
 * 0..1 similarity of a child column name to a parent column (and its table): 1 for equal names,
 * 0.9 when the child's stem names the parent table (`user_id` → `users.id`), else word overlap.
 */
export function scoreNameSimilarity(childColumn: string, parentTable: string, parentColumn: string): number {
  if (childColumn.toLowerCase() === parentColumn.toLowerCase()) return 1;
  const childStem = stemOf(childColumn);
  const tableWords = words(parentTable).map(singular);
  if (childStem && (tableWords.includes(childStem) || tableWords.join('_') === childStem || stemOf(parentColumn) === childStem)) return 0.9;
  const a = new Set(words(childColumn).map(singular));
  const b = new Set([...words(parentColumn), ...words(parentTable)].map(singular));
  const common = [...a].filter((w) => b.has(w) && w !== 'id').length;
  const union = new Set([...a, ...b]).size;
  return union === 0 ? 0 : Math.round((common / union) * 100) / 100;
}

/** True when `column` names its own table's rows (`id`, or `<table-singular>_id`). */
function isOwnIdName(table: string, column: string): boolean {
  const l = column.toLowerCase();
  if (l === 'id') return true;
  const stem = stemOf(column);
  return stem !== '' && isIdLike(column) && words(table).map(singular).includes(stem);
}

interface Candidate {
  child: ColumnProfile;
  parent: ColumnProfile;
  cast: boolean;
  nameScore: number;
}

function isCompatible(child: ColumnProfile, parent: ColumnProfile): { ok: boolean; cast: boolean } {
  const numeric = (pt: PhysicalType) => pt === 'integer' || pt === 'decimal';
  if (child.physicalType === parent.physicalType) return { ok: true, cast: false };
  if (numeric(child.physicalType) && numeric(parent.physicalType)) return { ok: true, cast: false };
  // Text ↔ number only for columns that both look like ids: '00123' vs 123 is a real export quirk.
  const idish = (c: ColumnProfile) => isIdLike(c.name) || c.semanticType === 'id';
  if (idish(child) && idish(parent)) return { ok: true, cast: true };
  return { ok: false, cast: false };
}

function numberOf(s: string | null): number | null {
  if (s === null) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** Cheap filters from the profiles alone, before any SQL runs. */
function listCandidates(tables: TableProfile[], columns: ColumnProfile[]): Candidate[] {
  const byTable = new Map<string, ColumnProfile[]>();
  for (const c of columns) byTable.set(c.table, [...(byTable.get(c.table) ?? []), c]);
  const primary = new Map(tables.map((t) => [t.name, t.primaryKey]));
  const parents: ColumnProfile[] = [];
  for (const t of tables) {
    for (const key of t.keyCandidates) {
      if (key.length !== 1) continue;
      const col = byTable.get(t.name)?.find((c) => c.name === key[0]);
      if (col && KEYABLE.has(col.physicalType) && !NOT_REFERENCES.has(col.semanticType) && col.rowCount > 1) parents.push(col);
    }
  }
  const out: Candidate[] = [];
  for (const parent of parents) {
    for (const child of columns) {
      if (child === parent || (child.table === parent.table && child.name === parent.name)) continue;
      if (!KEYABLE.has(child.physicalType) || NOT_REFERENCES.has(child.semanticType) || child.pii) continue;
      const nonNull = child.rowCount - child.nullCount;
      if (nonNull === 0) continue;
      const { ok, cast } = isCompatible(child, parent);
      if (!ok) continue;
      // 1.05 plus slack for the HyperLogLog estimate (seen 6% over on Olist's 1,610 seller ids);
      // parents' distincts are exact (uniqueness is checked exactly), children's are estimates.
      if (child.distinct > parent.distinct * 1.05 * 1.15) continue;
      // Small integer codes (1..5) fit inside every integer id range: demand enough distinct values.
      if (child.distinct < 5 && child.distinct < parent.distinct / 2) continue;
      const nameScore = scoreNameSimilarity(child.name, parent.table, parent.name);
      if (!cast && child.physicalType !== 'varchar') {
        const [cmin, cmax, pmin, pmax] = [numberOf(child.min), numberOf(child.max), numberOf(parent.min), numberOf(parent.max)];
        if (cmin === null || cmax === null || pmin === null || pmax === null || cmin < pmin || cmax > pmax) continue;
        // Within an id range almost any integer column fits; a sparse one needs its name to agree.
        if (child.distinct < parent.distinct * 0.1 && nameScore < 0.5) continue;
      }
      // A table's own id is referenced, it does not reference: one-to-one tables name the direction.
      if (isOwnIdName(child.table, child.name) && nameScore < 0.9) continue;
      if (child.isUnique && primary.get(child.table) === child.name && primary.get(parent.table) !== parent.name) continue;
      out.push({ child, parent, cast, nameScore });
    }
  }
  return out;
}

/**
 * Finds child columns whose values are (almost) included in another table's key. Name similarity
 * only breaks ties. Each plausible pair is verified with one anti-join; the best parent per child
 * column is kept (highest coverage, then name similarity, then the closest parent size).
 */
export async function inferForeignKeys(
  engine: SqlEngine,
  tables: TableProfile[],
  columns: ColumnProfile[],
  options: InferForeignKeysOptions,
): Promise<ForeignKey[]> {
  const minCoverage = options.minCoverage ?? 0.9;
  const best = new Map<string, { fk: ForeignKey; parentDistinct: number }>();
  for (const cand of listCandidates(tables, columns)) {
    throwIfAborted(options.signal);
    const { child, parent } = cand;
    const cq = ident(child.name);
    const pq = ident(parent.name);
    const cv = cand.cast ? `trim(${cq}::VARCHAR)` : cq;
    const pv = cand.cast ? `trim(${pq}::VARCHAR)` : pq;
    const [r] = await engine.query(
      `SELECT count(*) AS child_rows, count(*) FILTER (WHERE p.k IS NULL) AS orphan_rows,
              count(DISTINCT c.v) AS child_distinct, count(DISTINCT c.v) FILTER (WHERE p.k IS NULL) AS orphan_values
       FROM (SELECT ${cv} AS v FROM ${ident(child.table)} WHERE ${cq} IS NOT NULL) c
       LEFT JOIN (SELECT DISTINCT ${pv} AS k FROM ${ident(parent.table)} WHERE ${pq} IS NOT NULL) p ON c.v = p.k`,
    );
    const childDistinct = Number(r.child_distinct);
    if (childDistinct === 0) continue;
    const orphanValues = Number(r.orphan_values);
    const coverage = (childDistinct - orphanValues) / childDistinct;
    if (coverage < minCoverage) continue;
    const fk: ForeignKey = {
      importId: options.importId,
      fromTable: child.table,
      fromColumn: child.name,
      toTable: parent.table,
      toColumn: parent.name,
      coverage,
      orphanRows: Number(r.orphan_rows),
      orphanValues,
      childRows: Number(r.child_rows),
      nameScore: cand.nameScore,
    };
    const key = `${child.table}\u0000${child.name}`;
    const prev = best.get(key);
    const closeness = (d: number) => Math.abs(Math.log((d + 1) / (childDistinct + 1)));
    if (
      !prev ||
      fk.coverage > prev.fk.coverage ||
      (fk.coverage === prev.fk.coverage &&
        (fk.nameScore > prev.fk.nameScore || (fk.nameScore === prev.fk.nameScore && closeness(parent.distinct) < closeness(prev.parentDistinct))))
    ) {
      best.set(key, { fk, parentDistinct: parent.distinct });
    }
  }
  const result = [...best.values()].map((b) => b.fk);
  // Both directions of a one-to-one link can survive; keep the one whose names agree better.
  const kept = result.filter(
    (fk) =>
      !result.some(
        (o) =>
          o.fromTable === fk.toTable && o.fromColumn === fk.toColumn && o.toTable === fk.fromTable && o.toColumn === fk.fromColumn &&
          (o.nameScore > fk.nameScore || (o.nameScore === fk.nameScore && o.coverage > fk.coverage) ||
            (o.nameScore === fk.nameScore && o.coverage === fk.coverage && `${o.fromTable}` < `${fk.fromTable}`)),
      ),
  );
  return kept.sort((a, b) => a.fromTable.localeCompare(b.fromTable) || a.fromColumn.localeCompare(b.fromColumn));
}
