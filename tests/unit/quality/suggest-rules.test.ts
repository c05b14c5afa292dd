// Suggested rules: they hold on the data they were learnt from, catch new violations with exact
// counts, and travel as versioned JSON and as one DuckDB statement.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRules, rulesToSql, runRules, serializeRules, shapeToPattern, suggestRules, type QualityRule } from '../../../src/core/quality/suggest-rules.ts';
import type { Inventory } from '../../../src/core/types.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { loadCsvTables } from './load-tables.ts';

let engine: DuckDbNodeEngine;
let inv: Inventory;
let rules: QualityRule[];

const shop = {
  shops: 'shop_id,name\ns1,North\ns2,South\ns3,East\n',
  sales: 'sale_id,shop_id,status,amount,rating,code\n' +
    Array.from({ length: 40 }, (_, i) => `x${i},s${(i % 3) + 1},${['paid', 'refunded'][i % 2]},${(10 + i * 1.5).toFixed(2)},${1 + (i % 5)},AB-${100 + i}`).join('\n') + '\n',
};

beforeAll(async () => {
  engine = await DuckDbNodeEngine.create();
  inv = await loadCsvTables(engine, shop);
  rules = suggestRules(inv);
});
afterAll(() => engine.close());

describe('suggestRules', () => {
  it('proposes each constraint kind with evidence', () => {
    const kinds = new Set(rules.map((r) => r.kind));
    expect([...kinds].sort()).toEqual(['foreignKeyHolds', 'hasPattern', 'hasRange', 'isComplete', 'isContainedIn', 'isUnique']);
    expect(rules.find((r) => r.id === 'isContainedIn:sales.status')?.params?.values).toEqual(['paid', 'refunded']);
    expect(rules.find((r) => r.id === 'hasRange:sales.rating')?.params).toEqual({ min: 1, max: 5 });
    expect(rules.find((r) => r.id === 'foreignKeyHolds:sales.shop_id')?.params).toEqual({ toTable: 'shops', toColumn: 'shop_id' });
    for (const r of rules) expect(r.evidence.length, r.id).toBeGreaterThan(5);
  });

  it('all hold on the data they came from', async () => {
    const results = await runRules(engine, rules);
    expect(results.filter((r) => !r.passed)).toEqual([]);
  });

  it('count violations on a later import exactly', async () => {
    await engine.query(`INSERT INTO sales VALUES ('x0', 's9', 'lost', -3, 9, 'zz'), (NULL, 's1', NULL, 1, 2, 'AB-1')`);
    const results = Object.fromEntries((await runRules(engine, rules)).map((r) => [r.ruleId, r.violations]));
    expect(results['isUnique:sales.sale_id']).toBe(3); // two 'x0' rows and one NULL
    expect(results['isComplete:sales.status']).toBe(1);
    expect(results['isContainedIn:sales.status']).toBe(1);
    expect(results['hasRange:sales.rating']).toBe(1);
    expect(results['foreignKeyHolds:sales.shop_id']).toBe(1);
    const union = await engine.query<{ rule_id: string; violations: number }>(rulesToSql(rules));
    expect(Object.fromEntries(union.map((r) => [r.rule_id, Number(r.violations)]))).toEqual(results);
    await engine.query(`DELETE FROM sales WHERE sale_id IS NULL OR shop_id = 's9'`);
  });

  it('reports a rule whose column is gone instead of throwing', async () => {
    const [r] = await runRules(engine, [{ id: 'x', kind: 'isComplete', table: 'sales', column: 'nope', evidence: '' }]);
    expect(r.passed).toBe(false);
    expect(r.error).toMatch(/nope/);
  });

  it('round-trips JSON with a version', () => {
    const json = serializeRules(rules);
    expect(JSON.parse(json)).toMatchObject({ format: 'stocktake-rules', version: 1 });
    expect(parseRules(json)).toEqual(rules);
    expect(() => parseRules('{"rules":[]}')).toThrow(/rule suite/);
  });

  it('turns profiler shapes into anchored patterns', () => {
    expect(shapeToPattern('A-9')).toBe('^[A-Z]+\\-[0-9]+$');
    expect(new RegExp(shapeToPattern('Aa.9')).test('Ab.12')).toBe(true);
  });
});
