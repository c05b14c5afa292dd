// Benchmark of the self-trained text classifier against native fastText (Debian `fasttext` 0.9.2),
// same rows, same 5 folds: out-of-fold accuracy / macro-F1, training time, mislabel detection on
// planted label flips, and the exported .onnx size (before: dense float32; now: compact float16)
// with each one's out-of-fold figures. Run: npx tsx bench/tagging.bench.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findLabelIssues } from '../src/core/tagging/confident-learning.ts';
import { DEFAULT_FEATURIZER, featurizeBatch, normalizeText, tokenizeWords, type FeaturizerSettings } from '../src/core/tagging/featurize.ts';
import { DEFAULT_CLASSIFIER, assignStratifiedFolds, countStoredRows, crossValidate, trainFastText } from '../src/core/tagging/fasttext-model.ts';
import { exportFastTextOnnx } from '../models/fasttext-onnx.ts';
import { argmaxRows, computeMetrics } from '../src/core/tagging/metrics.ts';
import { mulberry32 } from '../src/core/util/random.ts';
import { readCnReviews, readFlipkartTitles, sampleSeeded } from '../tests/unit/tagging/shared-data.ts';

const FASTTEXT = '/usr/bin/fasttext';
const K = 5;
const work = mkdtempSync(join(tmpdir(), 'stocktake-bench-'));

interface Task {
  name: string;
  texts: string[];
  labels: Int32Array;
  classes: string[];
  /** Native fastText char n-gram range over space-separated words. */
  minn: number;
  maxn: number;
  featurizer: FeaturizerSettings;
}

function encodeLabels(values: string[]): { labels: Int32Array; classes: string[] } {
  const classes = [...new Set(values)].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  return { labels: Int32Array.from(values, (v) => index.get(v)!), classes };
}

/** Native fastText: same folds, pre-segmented words (Intl.Segmenter on the same normalised text). */
function runNative(task: Task, folds: Int32Array): { oof: Float32Array; ms: number } {
  const C = task.classes.length;
  const lines = task.texts.map((t) => tokenizeWords(normalizeText(t, task.featurizer.maxChars).text, 'zh').join(' '));
  const oof = new Float32Array(task.texts.length * C);
  let ms = 0;
  for (let f = 0; f < K; f++) {
    const trainFile = join(work, 'train.txt');
    const testFile = join(work, 'test.txt');
    const testRows: number[] = [];
    const train: string[] = [];
    const test: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (folds[i] === f) {
        testRows.push(i);
        test.push(lines[i]);
      } else train.push(`__label__${task.labels[i]} ${lines[i]}`);
    }
    writeFileSync(trainFile, train.join('\n') + '\n');
    writeFileSync(testFile, test.join('\n') + '\n');
    const t0 = performance.now();
    execFileSync(FASTTEXT, ['supervised', '-input', trainFile, '-output', join(work, 'm'), '-minn', String(task.minn), '-maxn', String(task.maxn),
      '-wordNgrams', '2', '-dim', '64', '-epoch', '10', '-thread', '2', '-seed', '1', '-verbose', '0'], { stdio: ['ignore', 'ignore', 'inherit'] });
    ms += performance.now() - t0;
    const out = execFileSync(FASTTEXT, ['predict-prob', join(work, 'm.bin'), testFile, String(C)], { maxBuffer: 1 << 28 }).toString().split('\n');
    testRows.forEach((row, j) => {
      const parts = (out[j] ?? '').trim().split(/\s+/);
      for (let p = 0; p + 1 < parts.length; p += 2) oof[row * C + Number(parts[p].replace('__label__', ''))] = Number(parts[p + 1]);
    });
  }
  return { oof, ms };
}

async function runOurs(task: Task, folds: Int32Array): Promise<{ oof: Float32Array; ms: number }> {
  const t0 = performance.now();
  const batch = featurizeBatch(task.texts, task.featurizer);
  const { oof } = await crossValidate(batch, task.labels, { ...DEFAULT_CLASSIFIER, numClasses: task.classes.length, buckets: task.featurizer.buckets }, { folds });
  return { oof, ms: performance.now() - t0 };
}

const fmt = (x: number) => x.toFixed(3);
const rows: string[][] = [];

async function compare(task: Task): Promise<{ ours: Float32Array; native: Float32Array }> {
  const folds = assignStratifiedFolds(task.labels, K, 42);
  const native = runNative(task, folds);
  const ours = await runOurs(task, folds);
  const C = task.classes.length;
  const mn = computeMetrics(task.labels, argmaxRows(native.oof, C), C);
  const mo = computeMetrics(task.labels, argmaxRows(ours.oof, C), C);
  rows.push([task.name, String(task.texts.length), String(C), fmt(mn.accuracy), fmt(mo.accuracy), fmt(mn.macroF1), fmt(mo.macroF1),
    (native.ms / 1000).toFixed(1), (ours.ms / 1000).toFixed(1), (native.ms / ours.ms).toFixed(2)]);
  return { ours: ours.oof, native: native.oof };
}

const reviews = sampleSeeded(readCnReviews(), 8000, 2026);
const cat = encodeLabels(reviews.map((r) => r.cat));
const cnFeaturizer = DEFAULT_FEATURIZER;
await compare({ name: 'cn-reviews category', texts: reviews.map((r) => r.review), ...cat, minn: 1, maxn: 3, featurizer: cnFeaturizer });
const sentiment = encodeLabels(reviews.map((r) => (r.label === '1' ? 'positive' : 'negative')));
await compare({ name: 'cn-reviews sentiment', texts: reviews.map((r) => r.review), ...sentiment, minn: 1, maxn: 3, featurizer: cnFeaturizer });

// Flipkart: top-level category; categories with fewer than 10 products are left out (not learnable).
const products = readFlipkartTitles();
const topCounts = new Map<string, number>();
for (const p of products) topCounts.set(p.top, (topCounts.get(p.top) ?? 0) + 1);
const kept = products.filter((p) => topCounts.get(p.top)! >= 10);
const fk = encodeLabels(kept.map((p) => p.top));
await compare({ name: 'flipkart top category', texts: kept.map((p) => p.name), ...fk, minn: 3, maxn: 5, featurizer: cnFeaturizer });

// Mislabels: flip 5% of the category labels (seeded) to another class, then rank.
const noisy = Int32Array.from(cat.labels);
const rand = mulberry32(7);
const flipped = new Set<number>();
while (flipped.size < Math.round(noisy.length * 0.05)) flipped.add(Math.floor(rand() * noisy.length));
for (const i of flipped) noisy[i] = (noisy[i] + 1 + Math.floor(rand() * (cat.classes.length - 1))) % cat.classes.length;
const probs = await compare({ name: 'cn-reviews category, 5% flipped', texts: reviews.map((r) => r.review), labels: noisy, classes: cat.classes, minn: 1, maxn: 3, featurizer: cnFeaturizer });
const C = cat.classes.length;
function precisionRecall(found: number[]): string {
  const tp = found.filter((r) => flipped.has(r)).length;
  return `precision ${fmt(tp / Math.max(1, found.length))} recall ${fmt(tp / flipped.size)} (${found.length} flagged)`;
}
const bySelfConfidence = (oof: Float32Array) =>
  Array.from(noisy.keys()).sort((a, b) => oof[a * C + noisy[a]] - oof[b * C + noisy[b]] || a - b);

console.log(`\nTagging benchmark (${K}-fold, same folds both sides; native: fasttext 0.9.2, dim 64, 10 epochs, word bigrams, 2 threads)`);
const header = ['task', 'rows', 'classes', 'acc native', 'acc ours', 'F1 native', 'F1 ours', 'train s native', 'train s ours', 'speed ratio'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
for (const r of [header, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
console.log('speed ratio = native time / our time (≥ 0.3 wanted); our time includes featurizing.\n');
console.log(`Mislabel detection, ${flipped.size} planted flips in ${noisy.length} rows:`);
console.log(`  native fastText OOF, top ${flipped.size} by self-confidence: ${precisionRecall(bySelfConfidence(probs.native).slice(0, flipped.size))}`);
console.log(`  ours OOF, top ${flipped.size} by self-confidence:            ${precisionRecall(bySelfConfidence(probs.ours).slice(0, flipped.size))}`);
const issues = findLabelIssues(noisy, probs.ours, C);
console.log(`  ours, findLabelIssues suspects (its own cut):          ${precisionRecall(issues.suspects.map((s) => s.row))}`);
const nativeIssues = findLabelIssues(noisy, probs.native, C);
console.log(`  native OOF through findLabelIssues:                    ${precisionRecall(nativeIssues.suspects.map((s) => s.row))}`);

// Exported model size on the 8,000 reviews (category): the stored model (ids in fewer than 2
// training rows dropped, float16 rows, only rows in use stored) against the whole bucket table in
// float32 with every trained row (what was exported before), each with its out-of-fold macro-F1.
const sizeFolds = assignStratifiedFolds(cat.labels, K, 42);
const reviewBatch = featurizeBatch(reviews.map((r) => r.review), cnFeaturizer);
const meta = { labels: cat.classes, featurizer: cnFeaturizer, metrics: {}, created: new Date(0).toISOString(), dataFingerprint: '' };
console.log(`\nExported .onnx of the category model (${reviews.length} reviews, ${cnFeaturizer.buckets} buckets × dim ${DEFAULT_CLASSIFIER.dim}):`);
for (const variant of [
  { name: 'before: dense float32, all rows', classifier: { ...DEFAULT_CLASSIFIER, minCount: 1, float16: false }, storage: 'dense' as const },
  { name: 'now: rows in ≥2 reviews, float16', classifier: DEFAULT_CLASSIFIER, storage: 'compact' as const },
]) {
  const settings = { ...variant.classifier, numClasses: cat.classes.length, buckets: cnFeaturizer.buckets };
  const { oof } = await crossValidate(reviewBatch, cat.labels, settings, { folds: sizeFolds });
  const m = computeMetrics(cat.labels, argmaxRows(oof, cat.classes.length), cat.classes.length);
  const model = await trainFastText(reviewBatch, cat.labels, settings);
  const bytes = exportFastTextOnnx(model, meta, { storage: variant.storage });
  console.log(`  ${variant.name.padEnd(36)} ${(bytes.byteLength / 1e6).toFixed(1).padStart(5)} MB  (${countStoredRows(model)} non-zero rows)  OOF accuracy ${fmt(m.accuracy)}  macro-F1 ${fmt(m.macroF1)}`);
}
rmSync(work, { recursive: true, force: true });
