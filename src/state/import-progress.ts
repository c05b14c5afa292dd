// Per-file progress of an import job, folded from the worker's ProgressEvents. Pure: the rune class
// in import-jobs.svelte.ts applies events here and renders the rows; tests feed events with times.
import type { ImportIssue, ProgressEvent } from '../core/types.ts';

export type FileStage = 'queued' | 'reading' | 'loading' | 'profiling' | 'done' | 'error';

export interface FileProgress {
  file: string;
  stage: FileStage;
  bytesRead: number;
  totalBytes: number;
  rows: number;
  /** Columns profiled so far / in all, while profiling. */
  columnsDone: number;
  columnsTotal: number;
  tables: string[];
  /** Errors and warnings met for this file. */
  issues: ImportIssue[];
  /** ms timestamps of the first and latest read event: the rate is measured between them. */
  startedAt: number | null;
  updatedAt: number | null;
}

export interface JobPhase {
  /** Relations inference across tables (after every file). */
  relations: { done: number; total: number } | null;
  finished: boolean;
}

/** Rows for the files the user picked, before any event arrives. */
export function createFileRows(files: { path: string; bytes: number }[]): FileProgress[] {
  return files.map((f) => newRow(f.path, f.bytes));
}

function newRow(file: string, totalBytes: number): FileProgress {
  return {
    file,
    stage: 'queued',
    bytesRead: 0,
    totalBytes,
    rows: 0,
    columnsDone: 0,
    columnsTotal: 0,
    tables: [],
    issues: [],
    startedAt: null,
    updatedAt: null,
  };
}

/**
 * Applies one event to `rows` in place (returns the row touched, or null). Files the core discovers
 * inside a zip or workbook get rows of their own as their first event arrives.
 */
export function applyProgressEvent(rows: FileProgress[], event: ProgressEvent, now: number): FileProgress | null {
  if (event.kind === 'relations' || event.kind === 'done') return null;
  let row = rows.find((r) => r.file === event.file);
  if (!row) {
    row = newRow(event.file, 0);
    rows.push(row);
  }
  switch (event.kind) {
    case 'read':
      if (row.startedAt === null) row.startedAt = now;
      row.updatedAt = now;
      row.bytesRead = event.bytes;
      row.totalBytes = event.total;
      if (row.stage === 'queued') row.stage = 'reading';
      break;
    case 'load':
      row.stage = 'loading';
      if (row.totalBytes > 0) row.bytesRead = row.totalBytes;
      if (!row.tables.includes(event.table)) row.tables.push(event.table);
      break;
    case 'profile':
      row.stage = 'profiling';
      row.columnsDone = event.done;
      row.columnsTotal = event.total;
      if (event.rows > 0) row.rows = event.rows;
      break;
    case 'file-done':
      // A workbook reports one file-done per sheet: rows add up, the stage ends at done.
      row.rows = row.stage === 'done' ? row.rows + event.rows : event.rows;
      row.stage = 'done';
      if (row.totalBytes > 0) row.bytesRead = row.totalBytes;
      for (const t of event.tables) if (!row.tables.includes(t)) row.tables.push(t);
      break;
    case 'file-error':
      row.issues.push(event.issue);
      if (event.issue.severity === 'error') row.stage = 'error';
      break;
  }
  return row;
}

/** Read rate in bytes per second between the first and latest read event, or null before two. */
export function readRate(row: FileProgress): number | null {
  if (row.startedAt === null || row.updatedAt === null) return null;
  const seconds = (row.updatedAt - row.startedAt) / 1000;
  if (seconds <= 0 || row.bytesRead <= 0) return null;
  return row.bytesRead / seconds;
}

/** Seconds left to read the file at the measured rate; 0 once read, null when unknown. */
export function etaSeconds(row: FileProgress): number | null {
  if (row.stage === 'done' || row.stage === 'error') return 0;
  if (row.totalBytes > 0 && row.bytesRead >= row.totalBytes) return 0;
  const rate = readRate(row);
  if (rate === null || row.totalBytes <= 0) return null;
  return (row.totalBytes - row.bytesRead) / rate;
}

/** Share of the file done, 0..1: bytes while reading, columns while profiling. */
export function fileFraction(row: FileProgress): number {
  switch (row.stage) {
    case 'queued':
      return 0;
    case 'done':
    case 'error':
      return 1;
    case 'profiling':
      // Reading is the first half of the bar, profiling columns the second.
      return 0.5 + (row.columnsTotal > 0 ? 0.5 * (row.columnsDone / row.columnsTotal) : 0);
    default:
      return row.totalBytes > 0 ? 0.5 * Math.min(1, row.bytesRead / row.totalBytes) : 0;
  }
}
