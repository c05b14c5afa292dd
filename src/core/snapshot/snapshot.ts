// Snapshots: one versioned, self-contained envelope of an import's catalog (tables, column profiles,
// keys, relations, quality summary, rule suite, model and tag summaries, schema graph) that can be
// shared as a link or an encrypted upload. `restoreSnapshot` is the single door back in: it validates,
// upgrades every older version and refuses garbage, other formats and newer versions with typed errors.
import type { QualityIssue, QualityReport, QualitySeverity, TableScore } from '../quality/types.ts';
import type { QualityRule } from '../quality/suggest-rules.ts';
import type { ColumnProfile, ForeignKey, ImportRecord, Inventory, TableProfile, ValueCount } from '../types.ts';
import { expandEdges } from './numbers.ts';
import { SnapshotError } from './snapshot-error.ts';

export { SnapshotError } from './snapshot-error.ts';

export const SNAPSHOT_FORMAT = 'stocktake-snapshot';
/** The version written today. Bump it with a new step in UPGRADES; never edit an old step. */
export const SNAPSHOT_VERSION = 1;

/** A column as shared: the profile without the import id and table (the table holds it). */
export type SnapshotColumn = Omit<ColumnProfile, 'importId' | 'table'>;
/** A table as shared, with its columns in order. */
export type SnapshotTable = Omit<TableProfile, 'importId'> & { columns: SnapshotColumn[] };
export type SnapshotRelation = Omit<ForeignKey, 'importId'>;

/** One quality issue without its SQL, sample rows, clusters or value breakdowns (those carry raw values). */
export type SnapshotQualityIssue = Pick<QualityIssue, 'id' | 'table' | 'column' | 'dimension' | 'severity' | 'count' | 'rowsAffected' | 'rule' | 'threshold'>;

export interface SnapshotQuality {
  generatedAt: number;
  score: number;
  tables: TableScore[];
  /** Issues per severity; kept when the issue list itself is trimmed from a link. */
  counts: Record<QualitySeverity, number>;
  issues: SnapshotQualityIssue[];
}

export interface SnapshotRules {
  rules: QualityRule[];
  dismissed: number;
}

/** A trained model's summary: what it predicts and how well (out of fold); never the weights. */
export interface SnapshotModel {
  table: string;
  target: string;
  textColumns: string[];
  version: number;
  classes: string[];
  accuracy: number;
  macroF1: number;
  createdAt: number;
}

/** Tags of one column and kind: how many, and the most frequent normalised values. */
export interface SnapshotTagSummary {
  table: string;
  column: string;
  kind: string;
  count: number;
  top: ValueCount[];
}

/** The schema graph: tables as nodes, foreign keys as links (derivable, so links may leave it out). */
export interface SnapshotGraph {
  nodes: { id: string; rows: number; columns: number }[];
  links: { source: string; target: string; fromColumn: string; toColumn: string; coverage: number }[];
}

/** What was left out or cut, so the viewer can say so. */
export interface SnapshotRedaction {
  includeSamples: boolean;
  /** `table.column` of every PII column whose raw values were removed. */
  piiColumns: string[];
  /** What the link compaction trimmed (empty for a full snapshot). */
  trimmed: string[];
}

/** The envelope, version 1. */
export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof SNAPSHOT_VERSION;
  createdAt: number;
  appVersion: string;
  source: ImportRecord;
  tables: SnapshotTable[];
  relations: SnapshotRelation[];
  redaction: SnapshotRedaction;
  quality?: SnapshotQuality;
  rules?: SnapshotRules;
  models?: SnapshotModel[];
  tags?: SnapshotTagSummary[];
  graph?: SnapshotGraph;
}

/** A stored model as the repository returns it (structural, so core needs no db types). */
export interface ModelLike {
  table: string;
  target: string;
  textColumns: string[];
  version: number;
  classes: string[];
  metrics: { accuracy: number; macroF1: number };
  createdAt: number;
}

/** A stored tag (structural twin of the tagging view's StoredTag). */
export interface TagLike {
  table: string;
  column: string;
  kind: string;
  normalized: string;
}

/** Everything stored for an import that a snapshot may carry. */
export interface SnapshotSources {
  inventory: Inventory;
  quality?: QualityReport | null;
  rules?: { rules: QualityRule[]; dismissed: string[] } | null;
  models?: readonly ModelLike[];
  tags?: readonly TagLike[];
}

export interface SnapshotOptions {
  appVersion: string;
  /** Keep the raw sample values of non-PII columns (off by default). PII columns never keep any. */
  includeSamples?: boolean;
  now?: number;
}

const TAG_TOP = 5;

/**
 * A column without any field that can carry a raw value of a PII column: samples, top values, min and
 * max, quantiles (their ends are min and max) and histogram edges. Counts, lengths and shape patterns
 * stay. Samples of other columns stay only when `includeSamples`.
 */
export function redactColumn(c: SnapshotColumn, includeSamples: boolean): SnapshotColumn {
  if (c.pii) return { ...c, samples: [], topValues: [], min: null, max: null, quantiles: null, histogram: null, mean: null, std: null };
  return includeSamples ? c : { ...c, samples: [] };
}

function summarizeQuality(report: QualityReport, pii: ReadonlySet<string>): SnapshotQuality {
  const counts: Record<QualitySeverity, number> = { error: 0, warning: 0, info: 0 };
  const issues = report.issues.map((i): SnapshotQualityIssue => {
    counts[i.severity]++;
    const isPii = i.column !== undefined && pii.has(`${i.table}.${i.column}`);
    // A threshold of a PII column may quote its values (fences, ranges): leave it out there.
    return {
      id: i.id, table: i.table, ...(i.column !== undefined ? { column: i.column } : {}), dimension: i.dimension, severity: i.severity,
      count: i.count, ...(i.rowsAffected !== undefined ? { rowsAffected: i.rowsAffected } : {}), rule: i.rule,
      ...(i.threshold !== undefined && !isPii ? { threshold: i.threshold } : {}),
    };
  });
  return { generatedAt: report.generatedAt, score: report.score, tables: report.tables.map((t) => ({ ...t, dimensions: { ...t.dimensions } })), counts, issues };
}

/** Rules of PII columns keep their kind and evidence but lose parameters that list values or ranges. */
function redactRules(rules: readonly QualityRule[], pii: ReadonlySet<string>): QualityRule[] {
  return rules.map((r) => {
    if (!pii.has(`${r.table}.${r.column}`) || !r.params) return { ...r, ...(r.params ? { params: { ...r.params } } : {}) };
    const { values: _v, min: _min, max: _max, pattern: _p, ...rest } = r.params;
    return { ...r, params: rest };
  });
}

function summarizeTags(tags: readonly TagLike[], pii: ReadonlySet<string>): SnapshotTagSummary[] {
  const groups = new Map<string, { table: string; column: string; kind: string; count: number; values: Map<string, number> }>();
  for (const t of tags) {
    const key = `${t.table}\u0000${t.column}\u0000${t.kind}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { table: t.table, column: t.column, kind: t.kind, count: 0, values: new Map() }));
    g.count++;
    g.values.set(t.normalized, (g.values.get(t.normalized) ?? 0) + 1);
  }
  return [...groups.values()].map((g) => ({
    table: g.table, column: g.column, kind: g.kind, count: g.count,
    top: pii.has(`${g.table}.${g.column}`)
      ? []
      : [...g.values].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, TAG_TOP),
  }));
}

/** The table-level schema graph of a snapshot's tables and relations. */
export function deriveSchemaGraph(tables: readonly Pick<SnapshotTable, 'name' | 'rowCount' | 'columnCount'>[], relations: readonly SnapshotRelation[]): SnapshotGraph {
  return {
    nodes: tables.map((t) => ({ id: t.name, rows: t.rowCount, columns: t.columnCount })),
    links: relations.map((r) => ({ source: r.fromTable, target: r.toTable, fromColumn: r.fromColumn, toColumn: r.toColumn, coverage: r.coverage })),
  };
}

/** Builds the snapshot of one import from what is stored for it; PII raw values are removed here. */
export function buildSnapshot(sources: SnapshotSources, options: SnapshotOptions): Snapshot {
  const { inventory } = sources;
  const includeSamples = options.includeSamples === true;
  const pii = new Set(inventory.columns.filter((c) => c.pii !== null).map((c) => `${c.table}.${c.name}`));
  const tables: SnapshotTable[] = [...inventory.tables]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(({ importId: _i, ...t }) => ({
      ...t,
      columns: inventory.columns
        .filter((c) => c.table === t.name)
        .sort((a, b) => a.index - b.index)
        .map(({ importId: _ci, table: _t, ...c }) => redactColumn(c, includeSamples)),
    }));
  const relations = inventory.relations.map(({ importId: _i, ...r }) => r);
  // Where a pulled catalog came from (workspace, client id) is this browser's bookkeeping: a saved
  // copy of the snapshot is a new import of its own, not a pulled one.
  const { pulled: _pulled, ...source } = inventory.import;
  const snap: Snapshot = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    createdAt: options.now ?? Date.now(),
    appVersion: options.appVersion,
    source,
    tables,
    relations,
    redaction: { includeSamples, piiColumns: [...pii].sort(), trimmed: [] },
    graph: deriveSchemaGraph(tables, relations),
  };
  if (sources.quality) snap.quality = summarizeQuality(sources.quality, pii);
  if (sources.rules && sources.rules.rules.length > 0) snap.rules = { rules: redactRules(sources.rules.rules, pii), dismissed: sources.rules.dismissed.length };
  if (sources.models && sources.models.length > 0) {
    snap.models = sources.models.map((m) => ({
      table: m.table, target: m.target, textColumns: [...m.textColumns], version: m.version,
      // Class names are values of the target column: none when that column is PII.
      classes: pii.has(`${m.table}.${m.target}`) ? [] : [...m.classes],
      accuracy: m.metrics.accuracy, macroF1: m.metrics.macroF1, createdAt: m.createdAt,
    }));
  }
  if (sources.tags && sources.tags.length > 0) snap.tags = summarizeTags(sources.tags, pii);
  return snap;
}

/** The snapshot as an inventory under `importId`, so the catalog views can show it unchanged. */
export function snapshotToInventory(snap: Snapshot, importId: string): Inventory {
  return {
    import: { ...snap.source, id: importId },
    tables: snap.tables.map(({ columns: _c, ...t }) => ({ ...t, importId })),
    columns: snap.tables.flatMap((t) => t.columns.map((c) => ({ ...c, importId, table: t.name }))),
    relations: snap.relations.map((r) => ({ ...r, importId })),
  };
}

// ---- restore: validation and the upgrade chain -------------------------------------------------

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(message: string): never {
  throw new SnapshotError('SNAPSHOT_INVALID', message);
}

function expectArray(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) fail(`${where} should be a list`);
  return v;
}

function expectString(o: Json, key: string, where: string): string {
  if (typeof o[key] !== 'string') fail(`${where}.${key} should be text`);
  return o[key] as string;
}

function expectNumber(o: Json, key: string, where: string): number {
  if (typeof o[key] !== 'number' || !Number.isFinite(o[key])) fail(`${where}.${key} should be a number`);
  return o[key] as number;
}

/**
 * Version 0 is the shape before the envelope nested columns under tables: the flat inventory
 * (`import`, `tables`, `columns` with `table`, `relations`) with `created` instead of `createdAt`.
 */
function upgradeV0(v0: Json): Json {
  if (!isObject(v0.import)) fail('version 0 snapshot has no import record');
  const columns = expectArray(v0.columns, 'columns');
  const tables = expectArray(v0.tables, 'tables').map((t, i) => {
    if (!isObject(t)) fail(`tables[${i}] should be an object`);
    const name = expectString(t, 'name', `tables[${i}]`);
    return {
      ...t,
      columns: columns.filter((c): c is Json => isObject(c) && c.table === name).map(({ table: _t, importId: _i, ...c }) => c),
    };
  });
  return {
    format: SNAPSHOT_FORMAT,
    version: 1,
    createdAt: v0.created,
    appVersion: typeof v0.appVersion === 'string' ? v0.appVersion : 'unknown',
    source: v0.import,
    tables,
    relations: v0.relations,
    redaction: { includeSamples: false, piiColumns: [], trimmed: [] },
  };
}

/** UPGRADES[n] turns a version-n envelope into version n + 1. */
const UPGRADES: Record<number, (s: Json) => Json> = { 0: upgradeV0 };

function emptyColumnDefaults(): Partial<SnapshotColumn> {
  return { placeholders: [], topValues: [], patterns: [], samples: [], quantiles: null, histogram: null, length: null, min: null, max: null, mean: null, std: null, pii: null, semanticReason: '', emptyCount: 0, isUnique: false, engineType: '' };
}

/** Checks the fields the views rely on and fills lists a compacted link may have left out. */
function validateV1(s: Json): Snapshot {
  expectNumber(s, 'createdAt', 'snapshot');
  if (!isObject(s.source)) fail('snapshot.source should be an import record');
  expectString(s.source, 'name', 'source');
  const tables = expectArray(s.tables, 'snapshot.tables').map((t, i) => {
    const where = `tables[${i}]`;
    if (!isObject(t)) fail(`${where} should be an object`);
    expectString(t, 'name', where);
    expectNumber(t, 'rowCount', where);
    const columns = expectArray(t.columns, `${where}.columns`).map((c, j) => {
      const cw = `${where}.columns[${j}]`;
      if (!isObject(c)) fail(`${cw} should be an object`);
      expectString(c, 'name', cw);
      expectString(c, 'physicalType', cw);
      expectString(c, 'semanticType', cw);
      expectNumber(c, 'rowCount', cw);
      expectNumber(c, 'nullCount', cw);
      const col = { ...emptyColumnDefaults(), index: j, distinct: 0, ...c } as SnapshotColumn;
      const h = col.histogram;
      if (h !== null && (!isObject(h) || !Array.isArray(h.counts) || !Array.isArray(h.edges))) fail(`${cw}.histogram should have edges and counts`);
      // Links store evenly spaced edges as their two ends.
      return h ? { ...col, histogram: { ...h, edges: expandEdges(h.edges, h.counts.length, h.log) } } : col;
    });
    return { keyCandidates: [], issues: [], duplicateRows: 0, file: '', format: 'csv', encoding: 'utf-8', bytes: 0, loadPath: 'memory', columnCount: columns.length, ...t, columns } as unknown as SnapshotTable;
  });
  const relations = expectArray(s.relations ?? [], 'snapshot.relations').map((r, i) => {
    if (!isObject(r)) fail(`relations[${i}] should be an object`);
    for (const k of ['fromTable', 'fromColumn', 'toTable', 'toColumn']) expectString(r, k, `relations[${i}]`);
    return { coverage: 1, orphanRows: 0, orphanValues: 0, childRows: 0, nameScore: 0, ...r } as SnapshotRelation;
  });
  const source = { id: '', createdAt: 0, files: [], tableCount: tables.length, rowCount: 0, bytes: 0, status: 'complete', issues: [], engine: '', durationMs: 0, ...s.source } as unknown as ImportRecord;
  const redaction = isObject(s.redaction) ? s.redaction : {};
  const snap: Snapshot = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    createdAt: s.createdAt as number,
    appVersion: typeof s.appVersion === 'string' ? s.appVersion : 'unknown',
    source,
    tables,
    relations,
    redaction: {
      includeSamples: redaction.includeSamples === true,
      piiColumns: Array.isArray(redaction.piiColumns) ? redaction.piiColumns.filter((x): x is string => typeof x === 'string') : [],
      trimmed: Array.isArray(redaction.trimmed) ? redaction.trimmed.filter((x): x is string => typeof x === 'string') : [],
    },
    // A link may leave the graph out: it is derived from tables and relations.
    graph: isObject(s.graph) ? (s.graph as unknown as SnapshotGraph) : deriveSchemaGraph(tables, relations),
  };
  if (isObject(s.quality)) snap.quality = { issues: [], tables: [], counts: { error: 0, warning: 0, info: 0 }, ...s.quality } as unknown as SnapshotQuality;
  if (isObject(s.rules)) snap.rules = { dismissed: 0, ...s.rules, rules: expectArray(s.rules.rules, 'rules.rules') as QualityRule[] };
  if (Array.isArray(s.models)) snap.models = s.models as SnapshotModel[];
  if (Array.isArray(s.tags)) snap.tags = s.tags as SnapshotTagSummary[];
  return snap;
}

/**
 * The single door for snapshots from anywhere (links, uploads, files): accepts the parsed JSON of any
 * version this app has written, upgrades it step by step to the current one, and validates it.
 * Throws SnapshotError: `SNAPSHOT_INVALID` for garbage or another format, `SNAPSHOT_TOO_NEW` for a
 * version from a newer app.
 */
export function restoreSnapshot(input: unknown): Snapshot {
  if (!isObject(input)) fail('not a snapshot (expected a JSON object)');
  if (input.format !== SNAPSHOT_FORMAT) {
    fail(typeof input.format === 'string' ? `not a Stocktake snapshot (format "${input.format.slice(0, 40)}")` : 'not a Stocktake snapshot (no format field)');
  }
  const version = input.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) fail('snapshot version is missing or not a whole number');
  if (version > SNAPSHOT_VERSION) {
    throw new SnapshotError('SNAPSHOT_TOO_NEW', `This snapshot was made by a newer Stocktake (format version ${version}; this app reads up to ${SNAPSHOT_VERSION}). Update the app to open it.`);
  }
  let current: Json = input;
  for (let v = version; v < SNAPSHOT_VERSION; v++) {
    const step = UPGRADES[v];
    if (!step) fail(`no upgrade from snapshot version ${v}`);
    current = step(current);
  }
  return validateV1(current);
}
