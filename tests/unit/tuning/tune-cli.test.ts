// `stocktake tune`: on a small export (500 cn-reviews rows and the first 4,000 UCI Online Retail rows,
// written to a temp folder, never into the repo) it writes the trials, the chosen and the default
// configuration per model, keeps within the budget, and refuses a missing or bad --budget.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTuneCommand } from '../../../src/cli/commands/tune.ts';
import { readCnReviews, sampleSeeded, SHARED_DATA } from '../tagging/shared-data.ts';

const work = mkdtempSync(join(tmpdir(), 'stocktake-tune-'));
const exportDir = join(work, 'shop');
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(() => {
  mkdirSync(exportDir);
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const reviews = sampleSeeded(readCnReviews(), 500, 3);
  writeFileSync(join(exportDir, 'reviews.csv'), 'review_id,category,review\n' + reviews.map((r, i) => `${i + 1},${r.cat},${q(r.review)}`).join('\n') + '\n');
  const retail = readFileSync(resolve(SHARED_DATA, 'uci-online-retail/OnlineRetail_head10k.csv'), 'utf8').split('\n').slice(0, 4001).join('\n') + '\n';
  writeFileSync(join(exportDir, 'retail.csv'), retail);
});

interface Trial { run: string; params: Record<string, unknown>; metrics: Record<string, number>; seconds: number; rung: number }
interface TunedModel {
  kind: 'classifier' | 'recommender';
  name: string;
  table: string;
  target: string;
  trials: Trial[];
  chosen: { params: Record<string, unknown>; metrics: Record<string, number>; run: string; heldOut: Record<string, number> | null };
  default: { params: Record<string, unknown>; metrics: Record<string, number>; run: string };
}

describe('runTuneCommand', () => {
  it('tunes the tag classifier and item-kNN within the budget and writes the contract', async () => {
    const out = join(work, 'tune.json');
    const budget = 30;
    const t0 = performance.now();
    expect(await runTuneCommand([exportDir, '--budget', String(budget), '--folds', '3', '--json', out])).toBe(0);
    const wall = (performance.now() - t0) / 1000;
    expect(wall).toBeLessThanOrEqual(budget * 1.1);
    expect(wall).toBeGreaterThanOrEqual(budget * 0.9);
    const json = JSON.parse(readFileSync(out, 'utf8')) as { models: TunedModel[]; skipped: { name: string; reason: string }[]; usedSeconds: number };
    const byName = new Map(json.models.map((m) => [m.name, m]));
    expect([...byName.keys()].sort()).toEqual(['item-knn', 'reviews: review → category']);
    const clf = byName.get('reviews: review → category')!;
    expect(clf).toMatchObject({ kind: 'classifier', table: 'reviews', target: 'category' });
    const knn = byName.get('item-knn')!;
    expect(knn).toMatchObject({ kind: 'recommender', table: 'retail' });
    for (const m of json.models) {
      expect(m.trials.length).toBeGreaterThan(0);
      for (const t of m.trials) {
        expect(Object.keys(t)).toEqual(expect.arrayContaining(['params', 'metrics', 'seconds', 'rung']));
        expect(t.seconds).toBeGreaterThanOrEqual(0);
      }
      // The default is trial 0 and the chosen run is one of the trials, never worse on validation.
      expect(m.default.run).toBe(m.trials[0].run);
      const chosen = m.trials.find((t) => t.run === m.chosen.run)!;
      expect(chosen.params).toEqual(m.chosen.params);
      const key = m.kind === 'classifier' ? 'macroF1' : 'ndcg@10';
      expect(m.chosen.metrics[key]).toBeGreaterThanOrEqual(m.default.metrics[key]);
      expect(m.chosen.heldOut).not.toBeNull();
    }
    expect(knn.trials.length).toBeGreaterThan(20); // item-kNN trials take milliseconds here: the share buys many
    expect(new Set(knn.trials.map((t) => t.rung))).toEqual(new Set([0, 1, 2]));
    expect(json.skipped.map((s) => s.name).sort()).toEqual(['ease', 'popularity']);
    expect(json.skipped.find((s) => s.name === 'ease')!.reason).toMatch(/1,009 items > 1,000/);
  }, 120_000);

  it('refuses a missing or non-positive budget', async () => {
    await expect(runTuneCommand([exportDir, '--json', join(work, 'x.json')])).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    await expect(runTuneCommand([exportDir, '--budget', '0'])).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    await expect(runTuneCommand([exportDir, '--budget', '5', '--split', 'random'])).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });
});
