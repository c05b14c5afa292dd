// Tuning runs in Dexie (fake-indexeddb): the v1 → v2 upgrade keeps every stored record and adds the
// runs table; runs are saved, listed per import and model in the order they ran, and go with their import.
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_V1, StocktakeDb, type RunRecord } from '../../src/db/schema.ts';
import { deleteImport, deleteRuns, getRun, listRuns, saveAnalysis, saveRun, saveRuns, useDb } from '../../src/db/repository.ts';
import { runSearch, type Objective } from '../../src/core/tuning/search.ts';

let seq = 0;
let db: StocktakeDb;

beforeEach(() => {
  db = new StocktakeDb(`runs-${++seq}`);
  useDb(db);
});

/** Real runs from a real (tiny) search, so the stored shape is what the worker produces. */
async function searchRuns(importId: string, model: string, createdAt: number): Promise<RunRecord[]> {
  let now = 0;
  const objective: Objective = {
    kind: 'recommender',
    name: model,
    metric: 'ndcg@10',
    space: { lambda: { kind: 'log-float', min: 1, max: 1000 } },
    defaults: { lambda: 250 },
    dataFingerprint: 'a'.repeat(64),
    async evaluate(p, b) {
      now += 1000 * b.fraction;
      const s = 1 / (1 + Math.abs(Math.log(Number(p.lambda) / 40)));
      return { metrics: { 'ndcg@10': s }, score: s };
    },
  };
  const result = await runSearch(objective, { budgetSeconds: 4, seed: 3, clock: () => now, searchId: `${importId}/${model}/${createdAt}` });
  return result.runs.map((r) => ({ ...r, importId, createdAt }));
}

describe('runs table', () => {
  it('upgrades a v1 database without losing its records', async () => {
    const name = `runs-upgrade-${++seq}`;
    const v1 = new Dexie(name);
    v1.version(1).stores(SCHEMA_V1);
    await v1.table('settings').put({ key: 'locale', value: 'zh' });
    await v1.table('analyses').put({ importId: 'imp', kind: 'recs', createdAt: 1, value: { ok: true } });
    v1.close();

    const v2 = new StocktakeDb(name);
    await v2.open();
    expect(v2.verno).toBe(2);
    expect(await v2.settings.get('locale')).toEqual({ key: 'locale', value: 'zh' });
    expect((await v2.analyses.get(['imp', 'recs']))?.value).toEqual({ ok: true });
    const runs = await searchRuns('imp', 'ease', 10);
    await saveRuns(runs, v2);
    expect(await listRuns('imp', undefined, v2)).toHaveLength(runs.length);
    v2.close();
  });

  it('saves runs and lists them per import and model in the order they ran', async () => {
    const a = await searchRuns('shop', 'item-knn', 100);
    const b = await searchRuns('shop', 'ease', 200);
    const c = await searchRuns('other', 'item-knn', 300);
    await saveRuns([...b, ...c].reverse());
    await saveRuns(a.slice(1));
    await saveRun(a[0]);
    const knn = await listRuns('shop', 'item-knn');
    expect(knn.map((r) => r.id)).toEqual(a.map((r) => r.id));
    expect(knn[0]).toEqual(a[0]);
    expect(knn[0].isDefault).toBe(true);
    expect((await listRuns('shop')).map((r) => r.model)).toEqual([...a.map(() => 'item-knn'), ...b.map(() => 'ease')]);
    expect(await getRun(b[1].id)).toEqual(b[1]);
    await deleteRuns('shop', 'ease');
    expect(await listRuns('shop', 'ease')).toEqual([]);
    expect(await listRuns('other', 'item-knn')).toHaveLength(c.length);
  });

  it('deletes an import’s runs with the import', async () => {
    await saveRuns(await searchRuns('gone', 'item-knn', 1));
    await saveRuns(await searchRuns('kept', 'item-knn', 2));
    await saveAnalysis('gone', 'x', 1);
    await deleteImport('gone');
    expect(await listRuns('gone')).toEqual([]);
    expect((await listRuns('kept')).length).toBeGreaterThan(0);
  });
});
