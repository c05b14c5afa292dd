// Stored models listed without their bytes (fake-indexeddb): summaries carry every field but `onnx`,
// with the byte size instead, newest first; versions count up per (import, table, target).
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { StocktakeDb } from '../../src/db/schema.ts';
import { getModel, listModelSummaries, saveModel, saveTrainedModel, useDb } from '../../src/db/repository.ts';

let db: StocktakeDb;
let seq = 0;

beforeEach(() => {
  db = new StocktakeDb(`model-summaries-${++seq}`);
  useDb(db);
});

function model(importId: string, target: string, createdAt: number, size: number) {
  return {
    importId,
    table: 'reviews',
    textColumns: ['review'],
    target,
    classes: ['a', 'b'],
    metrics: { accuracy: 0.9, macroF1: 0.8 },
    dataFingerprint: `fp-${createdAt}`,
    createdAt,
    onnx: new Uint8Array(size).fill(7),
    details: { note: target },
  };
}

describe('listModelSummaries', () => {
  it('lists models without their bytes, newest first, per import or all', async () => {
    await saveModel(model('imp-1', 'cat', 1000, 300), db);
    await saveModel(model('imp-1', 'cat', 2000, 500), db);
    await saveModel(model('imp-2', 'label', 1500, 100), db);

    const all = await listModelSummaries(undefined, db);
    expect(all.map((m) => [m.importId, m.target, m.version, m.bytes])).toEqual([
      ['imp-1', 'cat', 2, 500],
      ['imp-2', 'label', 1, 100],
      ['imp-1', 'cat', 1, 300],
    ]);
    for (const m of all) expect('onnx' in m).toBe(false);
    expect(all[0].details).toEqual({ note: 'cat' });

    const one = await listModelSummaries('imp-2', db);
    expect(one.map((m) => m.target)).toEqual(['label']);
    // The bytes are still there for the model that is run.
    expect((await getModel(one[0].id!, db))?.onnx.byteLength).toBe(100);
  });
});

describe('saveTrainedModel', () => {
  it('stores a training outcome under its scope as the next version, with its details and bytes', async () => {
    const { importId, table, textColumns, target, ...outcome } = model('imp-3', 'cat', 3000, 64);
    const first = await saveTrainedModel({ importId, table, textColumns, target }, outcome, { settings: { dim: 8 } }, db);
    const second = await saveTrainedModel({ importId, table, textColumns, target }, { ...outcome, createdAt: 4000 }, { settings: { dim: 16 } }, db);
    expect([first.version, second.version]).toEqual([1, 2]);
    const stored = await getModel(second.id!, db);
    expect(stored).toMatchObject({ importId, table, textColumns, target, classes: ['a', 'b'], createdAt: 4000, details: { settings: { dim: 16 } } });
    expect(stored?.onnx.byteLength).toBe(64);
  });
});
