// The one Dexie database of the app. Versions are declared in order and never edited once released;
// a new version adds a `.version(n)` block below with its upgrade beside it.
import Dexie, { type EntityTable, type Table } from 'dexie';
import type { ColumnProfile, ForeignKey, ImportRecord, TableProfile } from '../core/types.ts';
import type { TuningRun } from '../core/tuning/search.ts';

export interface SettingRecord {
  key: string;
  value: unknown;
}

/**
 * A table's rows, kept on this machine as gzipped CSV so later views (quality, tagging, graph) can query an
 * import after a reload without the user dropping the files again.
 */
export interface TableDataRecord {
  importId: string;
  table: string;
  /** Gzipped CSV with a header, as DuckDB wrote it. */
  csvGzip: Uint8Array;
  bytes: number;
}

/** A trained text model: the ONNX bytes with what it was trained on and how well it did (out of fold). */
export interface ModelRecord {
  id?: number;
  importId: string;
  table: string;
  textColumns: string[];
  target: string;
  /** 1, 2, … per (importId, table, target): retraining adds a version, never overwrites. */
  version: number;
  classes: string[];
  metrics: { accuracy: number; macroF1: number; [k: string]: unknown };
  /** Hash of the training rows: an unchanged hash means a rerun can reuse this model. */
  dataFingerprint: string;
  createdAt: number;
  onnx: Uint8Array;
  /** Anything else the trainer reports (settings, warnings, confusion matrix, suspects…). */
  details: Record<string, unknown>;
}

/** Results of one analysis (quality report, monitor report, tag results…) kept per import. */
export interface AnalysisRecord {
  importId: string;
  kind: string;
  createdAt: number;
  value: unknown;
}

/** One tuning trial of an import (see `TuningRun` in core), kept so the Runs view can compare them. */
export type RunRecord = TuningRun & { importId: string; createdAt: number };

/** A stored relation gets a surrogate key so one import can hold many. */
export type RelationRecord = ForeignKey & { id?: number };

/** v1: the inventory (issue 3). Released: never edited; upgrade tests open a database at exactly this version. */
export const SCHEMA_V1 = {
  imports: 'id, createdAt, name',
  tableProfiles: '[importId+name], importId, name',
  columns: '[importId+table+name], importId, [importId+table], semanticType',
  relations: '++id, importId, [importId+fromTable], [importId+toTable]',
  settings: 'key',
  tableData: '[importId+table], importId',
  models: '++id, importId, [importId+table], [importId+table+target], createdAt',
  analyses: '[importId+kind], importId',
} as const;

/** v2: tuning runs (issue 10). A new table only: nothing to migrate. */
export const SCHEMA_V2 = {
  runs: 'id, importId, searchId, [importId+model], createdAt',
} as const;

export class StocktakeDb extends Dexie {
  imports!: EntityTable<ImportRecord, 'id'>;
  tableProfiles!: Table<TableProfile, [string, string]>;
  columns!: Table<ColumnProfile, [string, string, string]>;
  relations!: EntityTable<RelationRecord, 'id'>;
  settings!: EntityTable<SettingRecord, 'key'>;
  tableData!: Table<TableDataRecord, [string, string]>;
  models!: EntityTable<ModelRecord, 'id'>;
  analyses!: Table<AnalysisRecord, [string, string]>;
  runs!: Table<RunRecord, string>;

  constructor(name = 'stocktake') {
    super(name);
    this.version(1).stores(SCHEMA_V1);
    this.version(2).stores(SCHEMA_V2);
  }
}
