// Deequ-style constraints proposed from the profiles (is complete, is unique, values in a set, range,
// pattern, foreign key holds), each with its evidence; their DuckDB SQL, JSON form and a runner.
import { ident, literal } from '../engine/sql-engine.ts';
import type { SqlEngine } from '../engine/sql-engine.ts';
import { StocktakeError } from '../errors.ts';
import type { ColumnProfile, Inventory } from '../types.ts';
import { EMAIL_PATTERN } from './check-validity.ts';

export type RuleKind = 'isComplete' | 'isUnique' | 'isContainedIn' | 'hasRange' | 'hasPattern' | 'foreignKeyHolds';

export interface QualityRule {
  /** Stable id: `<kind>:<table>.<column>`. */
  id: string;
  kind: RuleKind;
  table: string;
  column: string;
  /** isContainedIn: values; hasRange: min/max (either may be absent); hasPattern: an RE2 pattern; foreignKeyHolds: toTable/toColumn. */
  params?: { values?: string[]; min?: number; max?: number; pattern?: string; toTable?: string; toColumn?: string };
  /** Why it was proposed, from the profile, e.g. "0 nulls in 8,135 rows". */
  evidence: string;
}

export const RULES_FORMAT = 'stocktake-rules';
export const RULES_VERSION = 1;

export interface RuleSuiteJson {
  format: typeof RULES_FORMAT;
  version: number;
  rules: QualityRule[];
}

export interface RuleResult {
  ruleId: string;
  passed: boolean;
  violations: number;
  sql: string;
  /** Set when the rule could not run (table or column gone, type changed). */
  error?: string;
}

/** Largest value set offered as an isContainedIn rule. */
const MAX_SET = 20;
const NON_NEGATIVE = new Set(['price', 'quantity', 'percentage', 'measure']);

/** A profiler shape (`Aa-9`, runs collapsed) as an RE2 pattern for the whole value. */
export function shapeToPattern(shape: string): string {
  const parts = Array.from(shape).map((ch) => {
    if (ch === 'A') return '[A-Z]+';
    if (ch === 'a') return '[a-z]+';
    if (ch === '9') return '[0-9]+';
    if (ch === '汉') return '[\\x{4e00}-\\x{9fff}]+';
    return ch.replace(/[\\^$.|?*+()[\]{}-]/g, '\\$&');
  });
  return '^' + parts.join('') + '$';
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function suggestForColumn(c: ColumnProfile, inventory: Inventory): QualityRule[] {
  const rules: QualityRule[] = [];
  const base = { table: c.table, column: c.name };
  const nonNull = c.rowCount - c.nullCount;
  if (c.rowCount === 0) return rules;
  if (c.nullCount === 0 && c.emptyCount === 0) {
    rules.push({ ...base, id: `isComplete:${c.table}.${c.name}`, kind: 'isComplete', evidence: `0 nulls and 0 empty values in ${fmt(c.rowCount)} rows` });
  }
  const pk = inventory.tables.find((t) => t.name === c.table)?.primaryKey;
  if (c.isUnique || pk === c.name) {
    rules.push({ ...base, id: `isUnique:${c.table}.${c.name}`, kind: 'isUnique', evidence: `${fmt(nonNull)} distinct values in ${fmt(c.rowCount)} rows${pk === c.name ? ' (primary key)' : ''}` });
  }
  const topTotal = c.topValues.reduce((s, v) => s + v.count, 0);
  if (c.physicalType === 'varchar' && c.topValues.length > 0 && c.topValues.length <= MAX_SET && topTotal === nonNull && nonNull > c.topValues.length * 5) {
    rules.push({
      ...base, id: `isContainedIn:${c.table}.${c.name}`, kind: 'isContainedIn',
      params: { values: c.topValues.map((v) => v.value).sort() },
      evidence: `${c.topValues.length} distinct values cover all ${fmt(nonNull)} non-null rows`,
    });
  }
  const isNum = c.physicalType === 'integer' || c.physicalType === 'decimal' || c.physicalType === 'double';
  if (isNum && c.min !== null && c.max !== null && !/(_id$|^id$)/i.test(c.name) && c.semanticType !== 'id') {
    const min = Number(c.min);
    const max = Number(c.max);
    if (c.semanticType === 'rating' || c.semanticType === 'percentage' || c.semanticType === 'latitude' || c.semanticType === 'longitude') {
      rules.push({ ...base, id: `hasRange:${c.table}.${c.name}`, kind: 'hasRange', params: { min, max }, evidence: `observed range [${c.min}, ${c.max}]` });
    } else if (NON_NEGATIVE.has(c.semanticType) && min >= 0) {
      rules.push({ ...base, id: `hasRange:${c.table}.${c.name}`, kind: 'hasRange', params: { min: 0 }, evidence: `${c.semanticType}: observed minimum ${c.min} ≥ 0` });
    }
  }
  if (c.physicalType === 'varchar') {
    if (c.semanticType === 'email' || c.pii?.kind === 'email') {
      rules.push({ ...base, id: `hasPattern:${c.table}.${c.name}`, kind: 'hasPattern', params: { pattern: EMAIL_PATTERN }, evidence: c.pii?.reason ?? 'semantic type email' });
    } else if (['id', 'code', 'zip', 'phone'].includes(c.semanticType) && c.patterns.length > 0 && c.patterns.length <= 3) {
      const total = c.patterns.reduce((s, p) => s + p.count, 0);
      const pattern = c.patterns.length === 1 ? shapeToPattern(c.patterns[0].value) : `(${c.patterns.map((p) => shapeToPattern(p.value)).join('|')})`;
      rules.push({ ...base, id: `hasPattern:${c.table}.${c.name}`, kind: 'hasPattern', params: { pattern }, evidence: `${c.patterns.length} shape(s) ${c.patterns.map((p) => p.value).join(', ')} cover all ${fmt(total)} sampled values` });
    }
  }
  return rules;
}

/** Proposes constraints that hold on the profiled data, with the evidence for each. */
export function suggestRules(inventory: Inventory): QualityRule[] {
  const rules = inventory.columns.flatMap((c) => suggestForColumn(c, inventory));
  for (const fk of inventory.relations) {
    if (fk.orphanRows > 0) continue;
    rules.push({
      id: `foreignKeyHolds:${fk.fromTable}.${fk.fromColumn}`, kind: 'foreignKeyHolds', table: fk.fromTable, column: fk.fromColumn,
      params: { toTable: fk.toTable, toColumn: fk.toColumn },
      evidence: `all ${fmt(fk.childRows)} non-null values found in ${fk.toTable}.${fk.toColumn}`,
    });
  }
  return rules;
}

/** Row predicate selecting the rows that violate `rule`. */
export function ruleViolationPredicate(rule: QualityRule): string {
  const col = ident(rule.column);
  const p = rule.params ?? {};
  switch (rule.kind) {
    case 'isComplete':
      return `${col} IS NULL OR trim(CAST(${col} AS VARCHAR)) = ''`;
    case 'isUnique':
      return `${col} IS NULL OR ${col} IN (SELECT ${col} FROM ${ident(rule.table)} GROUP BY ${col} HAVING count(*) > 1)`;
    case 'isContainedIn':
      return `${col} IS NOT NULL AND CAST(${col} AS VARCHAR) NOT IN (${(p.values ?? []).map(literal).join(', ') || 'NULL'})`;
    case 'hasRange': {
      const parts = [];
      if (p.min !== undefined) parts.push(`${col} < ${p.min}`);
      if (p.max !== undefined) parts.push(`${col} > ${p.max}`);
      return parts.length ? `${col} IS NOT NULL AND (${parts.join(' OR ')})` : 'false';
    }
    case 'hasPattern':
      return `${col} IS NOT NULL AND NOT regexp_full_match(CAST(${col} AS VARCHAR), ${literal(p.pattern ?? '.*')})`;
    case 'foreignKeyHolds':
      return `${col} IS NOT NULL AND ${col} NOT IN (SELECT ${ident(p.toColumn ?? '')} FROM ${ident(p.toTable ?? '')} WHERE ${ident(p.toColumn ?? '')} IS NOT NULL)`;
  }
}

/** DuckDB SQL counting one rule's violations in a column `n`. */
export function ruleToSql(rule: QualityRule): string {
  return `SELECT count(*) AS n FROM ${ident(rule.table)} WHERE ${ruleViolationPredicate(rule)}`;
}

/** One DuckDB statement returning (rule_id, violations) per rule. */
export function rulesToSql(rules: QualityRule[]): string {
  return rules.map((r) => `SELECT ${literal(r.id)} AS rule_id, count(*) AS violations FROM ${ident(r.table)} WHERE ${ruleViolationPredicate(r)}`).join('\nUNION ALL\n');
}

export function serializeRules(rules: QualityRule[]): string {
  const suite: RuleSuiteJson = { format: RULES_FORMAT, version: RULES_VERSION, rules };
  return JSON.stringify(suite, null, 2);
}

/** Reads a rule suite written by serializeRules (this or an older version). */
export function parseRules(json: string): QualityRule[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    throw new StocktakeError('BAD_ARGUMENT', `Rule suite is not JSON: ${(e as Error).message}`);
  }
  const suite = data as Partial<RuleSuiteJson>;
  if (suite?.format !== RULES_FORMAT || typeof suite.version !== 'number' || !Array.isArray(suite.rules)) {
    throw new StocktakeError('BAD_ARGUMENT', 'Not a Stocktake rule suite (format/version/rules missing).');
  }
  if (suite.version > RULES_VERSION) throw new StocktakeError('BAD_ARGUMENT', `Rule suite version ${suite.version} is newer than this app (${RULES_VERSION}).`);
  return suite.rules;
}

/** Runs each rule; a rule whose table or column is gone fails with `error` instead of throwing. */
export async function runRules(engine: SqlEngine, rules: QualityRule[]): Promise<RuleResult[]> {
  const out: RuleResult[] = [];
  for (const rule of rules) {
    const sql = ruleToSql(rule);
    try {
      const [{ n }] = await engine.query<{ n: number }>(sql);
      out.push({ ruleId: rule.id, passed: Number(n) === 0, violations: Number(n), sql });
    } catch (e) {
      out.push({ ruleId: rule.id, passed: false, violations: 0, sql, error: (e as Error).message.split('\n')[0] });
    }
  }
  return out;
}
