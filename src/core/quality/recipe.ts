// Non-destructive fix recipes: an ordered list of steps compiled to `clean_<table>` views over the
// original tables (which are never modified), per-step previews, undo/reorder as array edits, JSON with
// a version, and the cleaning log written when a recipe is applied.
import { ident, literal } from '../engine/sql-engine.ts';
import type { SqlEngine } from '../engine/sql-engine.ts';
import { StocktakeError } from '../errors.ts';
import { BLANK_PATTERN } from './check-completeness.ts';
import { numericTextSql } from './check-validity.ts';
import { parseDateSql } from './date-formats.ts';

export type ParseTarget = 'DOUBLE' | 'BIGINT' | 'DATE' | 'TIMESTAMP' | 'BOOLEAN';

interface ColumnStepBase { table: string; column: string; note?: string }

export type RecipeStep =
  | ({ kind: 'trim' } & ColumnStepBase)
  | ({ kind: 'normalize-case'; mode: 'lower' | 'upper' } & ColumnStepBase)
  | ({ kind: 'normalize-width' } & ColumnStepBase)
  /** Placeholder texts (compared trimmed, lower-cased) become NULL; `blank` also nulls whitespace-only strings. */
  | ({ kind: 'null-placeholders'; values: string[]; blank?: boolean } & ColumnStepBase)
  | ({ kind: 'parse-type'; type: ParseTarget } & ColumnStepBase)
  /** Rewrites every recognised date to ISO text (`YYYY-MM-DD`, or with time); unparsed values are kept. */
  | ({ kind: 'standardize-date'; monthFirst?: boolean; withTime?: boolean } & ColumnStepBase)
  | ({ kind: 'fill'; method: 'median' | 'mode' | 'constant'; value?: string | number } & ColumnStepBase)
  /** Merges value clusters: each `values` variant becomes its cluster's `into` (one step per column). */
  | ({ kind: 'merge-cluster'; merges: { values: string[]; into: string }[] } & ColumnStepBase)
  /** Nulls the column where a row predicate holds (e.g. a negative price, a delivery before purchase). */
  | ({ kind: 'set-null-where'; where: string; reason: string } & ColumnStepBase)
  | ({ kind: 'cap-outliers'; lower: number | null; upper: number | null } & ColumnStepBase)
  /**
   * Sets the column to `to` on the given rows (0-based data rows of the original table, its rowid):
   * accepted mislabel fixes from tagging. Rows are those of the original table whatever steps come first.
   */
  | ({ kind: 'relabel-rows'; fixes: { row: number; to: string }[] } & ColumnStepBase)
  /** Keeps one row per distinct row, or per `columns` (the first in the order of all columns). */
  | { kind: 'drop-duplicate-rows'; table: string; columns?: string[]; note?: string }
  /** Drops child rows whose key has no parent; `quarantine` also creates `quarantine_<table>` with them. */
  | { kind: 'drop-orphans'; table: string; column: string; parentTable: string; parentColumn: string; quarantine?: boolean; note?: string };

export interface Recipe {
  format: 'stocktake-recipe';
  version: number;
  steps: RecipeStep[];
}

export const RECIPE_VERSION = 1;

export function createRecipe(steps: RecipeStep[] = []): Recipe {
  return { format: 'stocktake-recipe', version: RECIPE_VERSION, steps };
}

/** The view holding a table's cleaned rows. */
export function cleanViewName(table: string): string {
  return `clean_${table}`;
}

export function quarantineViewName(table: string): string {
  return `quarantine_${table}`;
}

// Full-width ASCII (U+FF01–U+FF5E) and the ideographic space map one-to-one onto half-width.
const FULL_WIDTH = Array.from({ length: 94 }, (_, i) => String.fromCharCode(0xff01 + i)).join('') + '\u3000';
const HALF_WIDTH = Array.from({ length: 94 }, (_, i) => String.fromCharCode(0x21 + i)).join('') + ' ';

function valueSql(v: string | number): string {
  return typeof v === 'number' ? String(v) : literal(v);
}

/**
 * Hidden column carrying the original rowid through the stages of a table with a relabel-rows step
 * (stages are CTEs, which have no rowid of their own); the clean view leaves it out.
 */
const ROW_COLUMN = '__stocktake_row';

const hasRelabel = (steps: RecipeStep[]): boolean => steps.some((s) => s.kind === 'relabel-rows');

const isRowStep = (s: RecipeStep): s is Extract<RecipeStep, { kind: 'drop-duplicate-rows' | 'drop-orphans' }> =>
  s.kind === 'drop-duplicate-rows' || s.kind === 'drop-orphans';

/** The new value of a column step's column, over the previous stage `prev`. */
function columnExpr(step: Exclude<RecipeStep, { kind: 'drop-duplicate-rows' | 'drop-orphans' }>, prev: string): string {
  const c = ident(step.column);
  switch (step.kind) {
    case 'trim':
      return `regexp_replace(${c}, '^[\\s\\x{00A0}\\x{3000}]+|[\\s\\x{00A0}\\x{3000}]+$', '', 'g')`;
    case 'normalize-case':
      return `${step.mode}(${c})`;
    case 'normalize-width':
      return `translate(${c}, ${literal(FULL_WIDTH)}, ${literal(HALF_WIDTH)})`;
    case 'null-placeholders': {
      const conds = [];
      if (step.values.length) conds.push(`lower(trim(CAST(${c} AS VARCHAR))) IN (${step.values.map((v) => literal(v.trim().toLowerCase())).join(', ')})`);
      if (step.blank) conds.push(`regexp_matches(CAST(${c} AS VARCHAR), '${BLANK_PATTERN}')`);
      return conds.length ? `CASE WHEN ${conds.join(' OR ')} THEN NULL ELSE ${c} END` : c;
    }
    case 'parse-type':
      return step.type === 'DOUBLE' ? numericTextSql(step.column) : `TRY_CAST(trim(CAST(${c} AS VARCHAR)) AS ${step.type})`;
    case 'standardize-date':
      return `coalesce(strftime(${parseDateSql(step.column, undefined, step.monthFirst)}, '${step.withTime ? '%Y-%m-%d %H:%M:%S' : '%Y-%m-%d'}'), ${c})`;
    case 'fill': {
      const fill = step.method === 'median' ? `(SELECT quantile_disc(${c}, 0.5) FROM ${prev})` : step.method === 'mode' ? `(SELECT mode(${c}) FROM ${prev})` : valueSql(step.value ?? '');
      return `coalesce(${c}, ${fill})`;
    }
    case 'merge-cluster':
      if (step.merges.length === 0) return c;
      return `CASE ${step.merges.map((m) => `WHEN ${c} IN (${m.values.map(literal).join(', ')}) THEN ${literal(m.into)}`).join(' ')} ELSE ${c} END`;
    case 'set-null-where':
      return `CASE WHEN coalesce((${step.where}), false) THEN NULL ELSE ${c} END`;
    case 'relabel-rows': {
      if (step.fixes.length === 0) return c;
      // One WHEN per target value keeps the SQL short when many rows get the same label.
      const byValue = new Map<string, number[]>();
      for (const f of step.fixes) byValue.set(f.to, [...(byValue.get(f.to) ?? []), Math.trunc(f.row)]);
      const whens = [...byValue].map(([to, rows]) => `WHEN ${ident(ROW_COLUMN)} IN (${rows.join(', ')}) THEN ${literal(to)}`);
      return `CASE ${whens.join(' ')} ELSE ${c} END`;
    }
    case 'cap-outliers': {
      let e = c;
      if (step.upper !== null) e = `CASE WHEN ${c} > ${step.upper} THEN ${step.upper} ELSE ${e} END`;
      if (step.lower !== null) e = `CASE WHEN ${c} < ${step.lower} THEN ${step.lower} ELSE ${e} END`;
      return e;
    }
  }
}

/** Predicate over the previous stage of the rows a row step keeps. */
function keepPredicate(step: Extract<RecipeStep, { kind: 'drop-orphans' }>): string {
  const c = ident(step.column);
  return `${c} IS NULL OR ${c} IN (SELECT ${ident(step.parentColumn)} FROM ${ident(step.parentTable)} WHERE ${ident(step.parentColumn)} IS NOT NULL)`;
}

function stageSelect(step: RecipeStep, prev: string, columns: string[], tracked = false): string {
  if (step.kind === 'drop-orphans') return `SELECT * FROM ${prev} WHERE ${keepPredicate(step)}`;
  if (step.kind === 'drop-duplicate-rows') {
    if (!step.columns?.length) {
      // With the hidden row column, rows are duplicates when all other columns match; keep the first.
      if (tracked) return `SELECT * EXCLUDE (${ident(ROW_COLUMN)}), min(${ident(ROW_COLUMN)}) AS ${ident(ROW_COLUMN)} FROM ${prev} GROUP BY ALL`;
      return `SELECT DISTINCT * FROM ${prev}`;
    }
    // Sorting by every column makes the kept row deterministic (DISTINCT ON keeps the first).
    const on = step.columns.map(ident).join(', ');
    return `SELECT DISTINCT ON (${on}) * FROM ${prev} ORDER BY ${on}${columns.length ? ', ' + columns.map(ident).join(', ') : ''}`;
  }
  return `SELECT * REPLACE (${columnExpr(step, prev)} AS ${ident(step.column)}) FROM ${prev}`;
}

/**
 * CTEs `s0 … sN` for one table's steps (s0 is the original table). `tracked` adds the hidden row
 * column to s0; `out` is what a final SELECT takes from the last stage (without the hidden column).
 */
function stageChain(table: string, steps: RecipeStep[], columns: string[], tracked = hasRelabel(steps)): { ctes: string[]; last: string; out: string } {
  const ctes = [`s0 AS (SELECT *${tracked ? `, rowid AS ${ident(ROW_COLUMN)}` : ''} FROM ${ident(table)})`];
  steps.forEach((s, i) => ctes.push(`s${i + 1} AS (${stageSelect(s, `s${i}`, columns, tracked)})`));
  return { ctes, last: `s${steps.length}`, out: tracked ? `* EXCLUDE (${ident(ROW_COLUMN)})` : '*' };
}

export interface CompiledView {
  table: string;
  view: string;
  sql: string;
}

/**
 * Compiles a recipe to `CREATE OR REPLACE VIEW` statements: one `clean_<table>` per table in
 * `tables` (untouched tables get a plain pass-through view) plus a quarantine view per quarantining
 * step. `columns` (table → column names) makes duplicate removal deterministic.
 */
export function compileRecipe(recipe: Recipe, tables: string[], columns: Record<string, string[]> = {}): CompiledView[] {
  const out: CompiledView[] = [];
  const all = [...new Set([...tables, ...recipe.steps.map((s) => s.table)])];
  for (const table of all) {
    const steps = recipe.steps.filter((s) => s.table === table);
    const cols = columns[table] ?? [];
    const { ctes, last, out: sel } = stageChain(table, steps, cols);
    out.push({ table, view: cleanViewName(table), sql: `CREATE OR REPLACE VIEW ${ident(cleanViewName(table))} AS WITH ${ctes.join(', ')} SELECT ${sel} FROM ${last}` });
    steps.forEach((s, i) => {
      if (s.kind === 'drop-orphans' && s.quarantine) {
        const chain = stageChain(table, steps.slice(0, i), cols);
        out.push({ table, view: quarantineViewName(table), sql: `CREATE OR REPLACE VIEW ${ident(quarantineViewName(table))} AS WITH ${chain.ctes.join(', ')} SELECT ${chain.out} FROM ${chain.last} WHERE NOT (${keepPredicate(s)})` });
      }
    });
  }
  return out;
}

/** The recipe as one SQL script (statements separated by `;\n`). */
export function recipeToSql(recipe: Recipe, tables: string[] = [], columns: Record<string, string[]> = {}): string {
  return compileRecipe(recipe, tables, columns).map((v) => v.sql + ';').join('\n');
}

export interface StepPreview {
  index: number;
  table: string;
  rowsBefore: number;
  rowsAfter: number;
  /** Cells of the step's column whose text form changes (0 for row steps). */
  cellsChanged: number;
  /** Up to 5 changes: `{ before, after }` for column steps, dropped rows for row steps. */
  samples: Record<string, unknown>[];
}

/** Counts what step `index` changes, given the steps before it on the same table. */
export async function previewStep(engine: SqlEngine, recipe: Recipe, index: number, columns: string[] = []): Promise<StepPreview> {
  const step = recipe.steps[index];
  if (!step) throw new StocktakeError('BAD_ARGUMENT', `No step ${index} in the recipe.`);
  const before = recipe.steps.slice(0, index).filter((s) => s.table === step.table);
  const tracked = hasRelabel([...before, step]);
  const { ctes, last, out } = stageChain(step.table, before, columns, tracked);
  const withSql = `WITH ${ctes.join(', ')}`;
  const [{ n }] = await engine.query<{ n: number }>(`${withSql} SELECT count(*) AS n FROM ${last}`);
  if (isRowStep(step)) {
    const next = `${withSql}, nxt AS (${stageSelect(step, last, columns, tracked)})`;
    const [{ m }] = await engine.query<{ m: number }>(`${next} SELECT count(*) AS m FROM nxt`);
    const samples = await engine.query(`${next} SELECT ${out} FROM ${last} EXCEPT ALL SELECT ${out} FROM nxt LIMIT 5`);
    return { index, table: step.table, rowsBefore: Number(n), rowsAfter: Number(m), cellsChanged: 0, samples };
  }
  const c = ident(step.column);
  const expr = columnExpr(step, last);
  const changed = `CAST(${c} AS VARCHAR) IS DISTINCT FROM CAST(${expr} AS VARCHAR)`;
  const [{ k }] = await engine.query<{ k: number }>(`${withSql} SELECT count(*) FILTER (WHERE ${changed}) AS k FROM ${last}`);
  const samples = await engine.query(`${withSql} SELECT ${c} AS before, ${expr} AS after FROM ${last} WHERE ${changed} LIMIT 5`);
  return { index, table: step.table, rowsBefore: Number(n), rowsAfter: Number(n), cellsChanged: Number(k), samples };
}

/** Undo: the recipe without step `index`. */
export function removeStep(recipe: Recipe, index: number): Recipe {
  return { ...recipe, steps: recipe.steps.filter((_, i) => i !== index) };
}

/** Reorder: the recipe with step `from` moved to position `to`. */
export function moveStep(recipe: Recipe, from: number, to: number): Recipe {
  const steps = [...recipe.steps];
  const [s] = steps.splice(from, 1);
  steps.splice(Math.max(0, Math.min(to, steps.length)), 0, s);
  return { ...recipe, steps };
}

export function serializeRecipe(recipe: Recipe): string {
  return JSON.stringify(recipe, null, 2);
}

/** Reads a recipe written by serializeRecipe (this or an older version). */
export function parseRecipe(json: string): Recipe {
  let data: Partial<Recipe>;
  try {
    data = JSON.parse(json) as Partial<Recipe>;
  } catch (e) {
    throw new StocktakeError('BAD_ARGUMENT', `Recipe is not JSON: ${(e as Error).message}`);
  }
  if (data?.format !== 'stocktake-recipe' || typeof data.version !== 'number' || !Array.isArray(data.steps)) {
    throw new StocktakeError('BAD_ARGUMENT', 'Not a Stocktake recipe (format/version/steps missing).');
  }
  if (data.version > RECIPE_VERSION) throw new StocktakeError('BAD_ARGUMENT', `Recipe version ${data.version} is newer than this app (${RECIPE_VERSION}).`);
  return { format: 'stocktake-recipe', version: RECIPE_VERSION, steps: data.steps };
}

export interface CleaningLog {
  format: 'stocktake-cleaning-log';
  version: number;
  appliedAt: number;
  engine: string;
  recipe: Recipe;
  steps: (StepPreview & { kind: RecipeStep['kind']; column?: string; note?: string })[];
  views: { table: string; view: string; rowsBefore: number; rowsAfter: number; sql: string }[];
}

/**
 * Creates the clean (and quarantine) views and returns the cleaning log: each step's preview in
 * order, and row counts before and after per table. The original tables are not touched.
 */
export async function applyRecipe(engine: SqlEngine, recipe: Recipe, tables: string[], options: { columns?: Record<string, string[]>; now?: number } = {}): Promise<CleaningLog> {
  const columns = options.columns ?? {};
  const steps: CleaningLog['steps'] = [];
  for (let i = 0; i < recipe.steps.length; i++) {
    const s = recipe.steps[i];
    const p = await previewStep(engine, recipe, i, columns[s.table] ?? []);
    steps.push({ ...p, kind: s.kind, column: 'column' in s ? s.column : undefined, note: s.note });
  }
  const views: CleaningLog['views'] = [];
  for (const v of compileRecipe(recipe, tables, columns)) {
    await engine.query(v.sql);
    const [{ a }] = await engine.query<{ a: number }>(`SELECT count(*) AS a FROM ${ident(v.table)}`);
    const [{ b }] = await engine.query<{ b: number }>(`SELECT count(*) AS b FROM ${ident(v.view)}`);
    views.push({ table: v.table, view: v.view, rowsBefore: Number(a), rowsAfter: Number(b), sql: v.sql });
  }
  return { format: 'stocktake-cleaning-log', version: 1, appliedAt: options.now ?? Date.now(), engine: engine.label, recipe, steps, views };
}
