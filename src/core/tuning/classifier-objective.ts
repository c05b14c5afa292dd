// The tagging classifier as a tuning objective: n-gram ranges, buckets, dimension, epochs and
// learning rate, scored by k-fold out-of-fold macro-F1 on the development rows; a stratified share
// of rows is held out and only ever used for the reported held-out figure.
import { mulberry32, shuffleInPlace } from '../util/random.ts';
import { DEFAULT_FEATURIZER, featurizeBatch, selectRows, type FeatureBatch, type FeaturizerSettings } from '../tagging/featurize.ts';
import { DEFAULT_CLASSIFIER, assignStratifiedFolds, crossValidate, predictBatch, trainFastText, type ClassifierSettings } from '../tagging/fasttext-model.ts';
import { argmaxRows, computeMetrics } from '../tagging/metrics.ts';
import { MAX_CLASSES } from '../tagging/tag-table.ts';
import { fingerprintRows } from './data-fingerprint.ts';
import type { Params, SearchSpace } from './search-space.ts';
import type { Objective, TrialBudget, TrialResult } from './search.ts';

/** N-gram ranges as `min-max` ('off' disables Latin n-grams); the first of each is close to the defaults. */
const CJK_RANGES = ['1-3', '1-2', '2-3', '1-4'] as const;
const LATIN_RANGES = ['3-5', '2-4', '3-6', 'off'] as const;

/** What the classifier search explores. Defaults (the tagging job's settings) lie inside it. */
export const CLASSIFIER_SPACE: SearchSpace = {
  cjkNgrams: { kind: 'choice', values: CJK_RANGES },
  latinNgrams: { kind: 'choice', values: LATIN_RANGES },
  wordBigrams: { kind: 'choice', values: [true, false] },
  buckets: { kind: 'choice', values: [1 << 16, 1 << 17, 1 << 18, 1 << 19] },
  dim: { kind: 'choice', values: [16, 24, 32, 48, 64] },
  epochs: { kind: 'int', min: 3, max: 30 },
  lr: { kind: 'log-float', min: 0.05, max: 1.5 },
};

/** The tagging job's configuration (DEFAULT_FEATURIZER + DEFAULT_CLASSIFIER) in search-space terms. */
export const CLASSIFIER_DEFAULTS: Params = {
  cjkNgrams: `${DEFAULT_FEATURIZER.cjkMinN}-${DEFAULT_FEATURIZER.cjkMaxN}`,
  latinNgrams: `${DEFAULT_FEATURIZER.latinMinN}-${DEFAULT_FEATURIZER.latinMaxN}`,
  wordBigrams: DEFAULT_FEATURIZER.wordBigrams,
  buckets: DEFAULT_FEATURIZER.buckets,
  dim: DEFAULT_CLASSIFIER.dim,
  epochs: DEFAULT_CLASSIFIER.epochs,
  lr: DEFAULT_CLASSIFIER.lr,
};

/** Fewest rows of a class in a small-budget trial (see `evaluate`). */
const MIN_ROWS_PER_CLASS = 20;

/** Embedding table cap (floats): the default's 2^19 × 32, so no trial needs more memory than the default model. */
const MAX_EMBEDDING_FLOATS = (1 << 19) * 32;

function parseRange(range: string): [number, number] {
  if (range === 'off') return [0, 0];
  const [a, b] = range.split('-').map(Number);
  return [a, b];
}

/** Featurizer and classifier settings of a configuration, as `tagTable` and the trainer take them. */
export function classifierSettingsOf(params: Params): { featurizer: FeaturizerSettings; classifier: Omit<ClassifierSettings, 'numClasses' | 'buckets'> } {
  const [cjkMinN, cjkMaxN] = parseRange(String(params.cjkNgrams));
  const [latinMinN, latinMaxN] = parseRange(String(params.latinNgrams));
  return {
    featurizer: { ...DEFAULT_FEATURIZER, cjkMinN, cjkMaxN, latinMinN, latinMaxN, wordBigrams: Boolean(params.wordBigrams), buckets: Number(params.buckets) },
    classifier: { ...DEFAULT_CLASSIFIER, dim: Number(params.dim), epochs: Number(params.epochs), lr: Number(params.lr) },
  };
}

/** Halves buckets until buckets × dim fits the default's memory. */
function constrainClassifier(params: Params): Params {
  let buckets = Number(params.buckets);
  while (buckets * Number(params.dim) > MAX_EMBEDDING_FLOATS && buckets > 1 << 16) buckets >>= 1;
  return { ...params, buckets };
}

export interface ClassifierObjectiveOptions {
  /** Folds of the out-of-fold score (default 5, fewer when a class is smaller). */
  k?: number;
  seed?: number;
  /** Share of rows held out (stratified) for the reported figure; never seen by the search (default 0.2). */
  testShare?: number;
  /** Labelled rows above this are sampled per class (seeded) before anything else (default: no cap). */
  maxRows?: number;
}

export interface ClassifierObjective extends Objective {
  kind: 'classifier';
  classes: string[];
  /** Development rows (searched on) and held-out rows. */
  devRows: number;
  testRows: number;
  folds: number;
  /** Trains on every development row with `params` and scores the held-out rows. */
  evaluateHeldOut(params: Params, signal?: AbortSignal): Promise<{ macroF1: number; accuracy: number; rows: number }>;
}

export type ClassifierObjectiveResult = { ok: true; objective: ClassifierObjective } | { ok: false; code: 'ONE_CLASS' | 'TOO_FEW_ROWS' | 'TOO_MANY_CLASSES'; reason: string };

/**
 * Builds the objective from texts and labels (null or blank labels and empty texts are left out,
 * as are classes with fewer than 4 rows: they cannot be held out and still be cross-validated).
 */
export async function createClassifierObjective(
  name: string,
  rawTexts: readonly (string | null)[],
  rawLabels: readonly (string | null)[],
  options: ClassifierObjectiveOptions = {},
): Promise<ClassifierObjectiveResult> {
  const seed = options.seed ?? 1;
  const testShare = options.testShare ?? 0.2;
  const byClass = new Map<string, number[]>();
  for (let r = 0; r < rawLabels.length; r++) {
    const label = rawLabels[r]?.trim();
    const text = rawTexts[r];
    if (!label || !text || text.trim() === '') continue;
    if (!byClass.has(label)) byClass.set(label, []);
    byClass.get(label)!.push(r);
  }
  const classes = [...byClass].filter(([, rows]) => rows.length >= 4).map(([c]) => c).sort();
  if (classes.length < 2) return { ok: false, code: 'ONE_CLASS', reason: 'Fewer than two values of the target occur on 4 or more rows with text: nothing to tune.' };
  if (classes.length > MAX_CLASSES) return { ok: false, code: 'TOO_MANY_CLASSES', reason: `The target has ${classes.length} values; classifiers are trained for at most ${MAX_CLASSES}.` };
  const total = classes.reduce((n, c) => n + byClass.get(c)!.length, 0);
  const share = options.maxRows !== undefined && total > options.maxRows ? options.maxRows / total : 1;
  const rand = mulberry32(seed ^ 0x7f4a7c15);
  const dev: number[] = [];
  const test: number[] = [];
  const classOf = new Map<number, number>();
  classes.forEach((c, ci) => {
    const rows = shuffleInPlace([...byClass.get(c)!], rand);
    const keep = rows.slice(0, Math.max(4, Math.round(rows.length * share)));
    const nTest = Math.max(1, Math.min(keep.length - 3, Math.round(keep.length * testShare)));
    keep.forEach((r, i) => {
      (i < nTest ? test : dev).push(r);
      classOf.set(r, ci);
    });
  });
  dev.sort((a, b) => a - b);
  test.sort((a, b) => a - b);
  if (dev.length < 10) return { ok: false, code: 'TOO_FEW_ROWS', reason: `Only ${dev.length} labelled rows are left for the search: too few to compare configurations.` };
  const texts = dev.map((r) => rawTexts[r]!);
  const y = Int32Array.from(dev, (r) => classOf.get(r)!);
  const testTexts = test.map((r) => rawTexts[r]!);
  const testY = Int32Array.from(test, (r) => classOf.get(r)!);
  const perClass = new Array<number>(classes.length).fill(0);
  for (const c of y) perClass[c]++;
  const k = Math.max(2, Math.min(options.k ?? 5, ...perClass));
  // A seeded per-class order of development rows: a budget fraction takes the head of each class.
  const orderByClass: number[][] = classes.map(() => []);
  y.forEach((c, i) => orderByClass[c].push(i));
  const orderRand = mulberry32(seed ^ 0x2545f491);
  for (const list of orderByClass) shuffleInPlace(list, orderRand);
  const dataFingerprint = await fingerprintRows(['stocktake-tuning-classifier/1', texts, dev.map((r) => rawLabels[r]!.trim()), testTexts]);

  // Featurizing dominates short trials and depends on 4 of the 7 parameters: keep the last few batches.
  const cache = new Map<string, FeatureBatch>();
  const featuresFor = (f: FeaturizerSettings, which: 'dev' | 'test'): FeatureBatch => {
    const key = `${which}:${JSON.stringify(f)}`;
    let batch = cache.get(key);
    if (!batch) {
      batch = featurizeBatch(which === 'dev' ? texts : testTexts, f);
      cache.set(key, batch);
      if (cache.size > 4) cache.delete(cache.keys().next().value!);
    }
    return batch;
  };

  const objective: ClassifierObjective = {
    kind: 'classifier',
    name,
    metric: 'macroF1',
    space: CLASSIFIER_SPACE,
    defaults: CLASSIFIER_DEFAULTS,
    dataFingerprint,
    classes,
    devRows: dev.length,
    testRows: test.length,
    folds: k,
    // Two rungs (1/3 of the rows, then all): with three, rung 0 holds 1/9 of the rows, where on a few
    // thousand rows most configurations predict the largest class, scores tie and halving picks blindly.
    rungs: 2,
    constrain: constrainClassifier,
    async evaluate(params: Params, budget: TrialBudget, signal?: AbortSignal): Promise<TrialResult> {
      const { featurizer, classifier } = classifierSettingsOf(params);
      const rows: number[] = [];
      // At least MIN_ROWS_PER_CLASS rows of a class (or all it has): below that every configuration
      // predicts one class at the small rungs, the scores tie and halving picks blindly.
      for (const list of orderByClass) rows.push(...list.slice(0, Math.max(k, Math.ceil(list.length * budget.fraction), Math.min(list.length, MIN_ROWS_PER_CLASS))));
      rows.sort((a, b) => a - b);
      const sub = selectRows(featuresFor(featurizer, 'dev'), rows);
      const ySub = Int32Array.from(rows, (i) => y[i]);
      const settings: ClassifierSettings = { ...classifier, seed, numClasses: classes.length, buckets: featurizer.buckets };
      const { oof } = await crossValidate(sub, ySub, settings, { folds: assignStratifiedFolds(ySub, k, seed), signal });
      const m = computeMetrics(ySub, argmaxRows(oof, classes.length), classes.length);
      return { metrics: { macroF1: m.macroF1, accuracy: m.accuracy, rows: rows.length, folds: k }, score: m.macroF1 };
    },
    async evaluateHeldOut(params: Params, signal?: AbortSignal) {
      const { featurizer, classifier } = classifierSettingsOf(params);
      const settings: ClassifierSettings = { ...classifier, seed, numClasses: classes.length, buckets: featurizer.buckets };
      const model = await trainFastText(featuresFor(featurizer, 'dev'), y, settings, { signal });
      const m = computeMetrics(testY, argmaxRows(predictBatch(model, featuresFor(featurizer, 'test')), classes.length), classes.length);
      return { macroF1: m.macroF1, accuracy: m.accuracy, rows: test.length };
    },
  };
  return { ok: true, objective };
}
