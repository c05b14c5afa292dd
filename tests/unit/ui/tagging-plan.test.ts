// The Tagging view's pure helpers: column suggestions on a real review table profiled by the same
// inventory code the app runs, training progress and ETA, accepted fixes, the confusion heatmap, routes.
import { describe, expect, it } from 'vitest';
import { joinRowText } from '../../../models/tagging-job.ts';
import { buildInventory } from '../../../src/core/inventory/build-inventory.ts';
import { sourceFromBytes } from '../../../src/core/ingest/source.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { layoutConfusion, shadeFor } from '../../../src/features/tagging/confusion-layout.ts';
import { hrefFor, parseRoute, sectionHref, sectionOf } from '../../../src/state/route.ts';
import { chooseTagColumns, mergeAcceptedFix, trainingEta, trainingFraction, type AcceptedFix } from '../../../src/state/tagging-plan.ts';
import { readCnReviews, sampleSeeded } from '../tagging/shared-data.ts';

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

describe('chooseTagColumns', () => {
  it('suggests review → cat on a profiled sample of real reviews, with label as the other target', async () => {
    const reviews = sampleSeeded(readCnReviews(), 800, 3);
    const csv = ['id,cat,label,review', ...reviews.map((r, i) => [String(i + 1), r.cat, r.label, r.review].map(csvField).join(','))].join('\n');
    const engine = await DuckDbNodeEngine.create();
    try {
      const { inventory } = await buildInventory([sourceFromBytes('reviews.csv', new TextEncoder().encode(csv))], engine);
      const choices = chooseTagColumns(inventory.columns);
      expect(choices.suggested).toEqual({ text: 'review', target: 'cat' });
      expect(choices.texts[0].name).toBe('review');
      // The id is unique and never a target; cat (10 values) comes before label (2 values).
      expect(choices.targets.map((c) => c.name)).toEqual(['cat', 'label']);
    } finally {
      engine.close();
    }
  });

  it('suggests nothing for a table without text', () => {
    expect(chooseTagColumns([]).suggested).toBeNull();
  });
});

describe('training progress', () => {
  // 5 folds × 10 epochs + 10 final epochs = 60 epochs in all.
  it('counts epochs over folds and the final model', () => {
    expect(trainingFraction({ phase: 'featurize', rows: 100 }, 10, 5)).toBe(0);
    expect(trainingFraction({ phase: 'fold', fold: 1, k: 5, epoch: 6, loss: 1 }, 10, 5)).toBe(6 / 60);
    expect(trainingFraction({ phase: 'fold', fold: 3, k: 5, epoch: 10, loss: 1 }, 10, 5)).toBe(30 / 60);
    expect(trainingFraction({ phase: 'final', epoch: 5, loss: 1 }, 10, 5)).toBe(55 / 60);
    expect(trainingFraction({ phase: 'final', epoch: 10, loss: 1 }, 10, 5)).toBe(1);
  });

  it('uses the epochs the event reports when a small sample trains longer than the settings', () => {
    // 100 epochs per fold (small sample) instead of 10: 6 × 100 in all.
    expect(trainingFraction({ phase: 'fold', fold: 2, k: 5, epoch: 50, loss: 1, epochs: 100 }, 10, 5)).toBe(150 / 600);
    expect(trainingFraction({ phase: 'final', epoch: 100, loss: 1, epochs: 100 }, 10, 5)).toBe(1);
  });

  it('extrapolates the time left at a constant rate', () => {
    expect(trainingEta(0, 1000)).toBeNull();
    expect(trainingEta(0.25, 3000)).toBe(9);
    expect(trainingEta(1, 3000)).toBe(0);
  });
});

describe('accepted fixes', () => {
  const fix = (row: number, to: string, at: number): AcceptedFix => ({ table: 'reviews', column: 'cat', row, from: '书籍', to, p: 0.9, modelId: 1, modelVersion: 1, acceptedAt: at });
  it('keeps one fix per cell, the latest', () => {
    let fixes = mergeAcceptedFix([], fix(4, '平板', 1));
    fixes = mergeAcceptedFix(fixes, fix(9, '手机', 2));
    fixes = mergeAcceptedFix(fixes, fix(4, '计算机', 3));
    expect(fixes.map((f) => [f.row, f.to])).toEqual([
      [9, '手机'],
      [4, '计算机'],
    ]);
  });
});

describe('joinRowText', () => {
  it('joins non-empty text columns with newlines and skips null and blank ones', () => {
    const texts = [
      ['标题A', null, '  '],
      ['描述', '只有描述', null],
    ];
    expect([0, 1, 2].map((r) => joinRowText(texts, r))).toEqual(['标题A\n描述', '只有描述', '']);
  });
});

describe('layoutConfusion', () => {
  it('shades each cell by its share of the given class and places it on the grid', () => {
    const layout = layoutConfusion(
      [
        [8, 2],
        [0, 5],
      ],
      30,
      100,
      80,
    );
    expect(layout.cells.map((c) => [c.given, c.predicted, c.count, c.share, c.x, c.y])).toEqual([
      [0, 0, 8, 0.8, 100, 80],
      [0, 1, 2, 0.2, 130, 80],
      [1, 0, 0, 0, 100, 110],
      [1, 1, 5, 1, 130, 110],
    ]);
    expect(layout.cells[2].fill).toBe('rgb(255, 255, 255)');
    expect(layout.cells[3].fill).toBe(shadeFor(1));
    expect(shadeFor(1)).toBe('rgb(47, 95, 208)');
    expect(layout.width).toBe(164);
  });
});

describe('tagging and models routes', () => {
  it('parse, print and highlight', () => {
    expect(parseRoute('#/import/abc/tagging')).toEqual({ view: 'tagging', importId: 'abc' });
    expect(parseRoute('#/import/abc/models')).toEqual({ view: 'models', importId: 'abc' });
    expect(hrefFor({ view: 'models', importId: 'a b' })).toBe('#/import/a%20b/models');
    expect(sectionHref('abc', 'tagging')).toBe('#/import/abc/tagging');
    expect(sectionOf({ view: 'tagging', importId: 'abc' })).toBe('tagging');
  });
});
