// Catalog search: which tables match a query through their name, or a column's name, semantic type
// or PII kind (codes and translated labels both count). Pure, so it is tested on real profiles.
import type { ColumnProfile, PiiKind, SemanticType, TableProfile } from '../../core/types.ts';

export type MatchField = 'name' | 'semantic' | 'pii';

export interface ColumnMatch {
  column: ColumnProfile;
  via: MatchField[];
}

export interface TableMatch {
  table: TableProfile;
  /** The table's own name matched a term. */
  byName: boolean;
  /** Columns that matched at least one term, in column order. */
  columns: ColumnMatch[];
}

export interface SearchLabels {
  semantic(type: SemanticType): string;
  pii(kind: PiiKind): string;
}

/** Lower-cased whitespace-separated terms; `person name` also finds `person_name`. */
export function splitTerms(query: string): string[] {
  return query
    .toLowerCase()
    .split(/\s+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function includesTerm(text: string, term: string): boolean {
  const lower = text.toLowerCase();
  return lower.includes(term) || lower.replace(/_/g, ' ').includes(term);
}

function matchColumn(col: ColumnProfile, term: string, labels?: SearchLabels): MatchField[] {
  const via: MatchField[] = [];
  if (includesTerm(col.name, term)) via.push('name');
  if (
    col.semanticType !== 'unknown' &&
    (includesTerm(col.semanticType, term) || (labels !== undefined && includesTerm(labels.semantic(col.semanticType), term)))
  ) {
    via.push('semantic');
  }
  if (col.pii && (includesTerm(col.pii.kind, term) || includesTerm('pii', term) || (labels !== undefined && includesTerm(labels.pii(col.pii.kind), term)))) {
    via.push('pii');
  }
  return via;
}

/**
 * Tables matching every term of `query` (each term through the table name or any of its columns).
 * An empty query matches every table with no column matches.
 */
export function searchCatalog(query: string, tables: TableProfile[], columns: ColumnProfile[], labels?: SearchLabels): TableMatch[] {
  const terms = splitTerms(query);
  if (terms.length === 0) return tables.map((table) => ({ table, byName: false, columns: [] }));
  const byTable = new Map<string, ColumnProfile[]>();
  for (const c of columns) {
    const key = `${c.importId}\u0000${c.table}`;
    const list = byTable.get(key);
    if (list) list.push(c);
    else byTable.set(key, [c]);
  }
  const out: TableMatch[] = [];
  for (const table of tables) {
    const cols = (byTable.get(`${table.importId}\u0000${table.name}`) ?? []).slice().sort((a, b) => a.index - b.index);
    const nameHits = terms.map((term) => includesTerm(table.name, term));
    const colVia = new Map<ColumnProfile, Set<MatchField>>();
    const termHit = terms.map((term, i) => {
      let hit = nameHits[i];
      for (const c of cols) {
        const via = matchColumn(c, term, labels);
        if (via.length === 0) continue;
        hit = true;
        const set = colVia.get(c) ?? new Set<MatchField>();
        for (const v of via) set.add(v);
        colVia.set(c, set);
      }
      return hit;
    });
    if (!termHit.every(Boolean)) continue;
    out.push({
      table,
      byName: nameHits.some(Boolean),
      columns: cols.filter((c) => colVia.has(c)).map((c) => ({ column: c, via: [...colVia.get(c)!] })),
    });
  }
  return out;
}
