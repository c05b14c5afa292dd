// The tagging job on one table: decide whether a text classifier can be trained for a (text columns,
// target column) pair, train it with k-fold for out-of-fold metrics and probabilities, find suspect
// labels with confident learning, and predict the target where it is missing.
import { throwIfAborted } from '../errors.ts';
import { mulberry32, shuffleInPlace } from '../util/random.ts';
import { findLabelIssues } from './confident-learning.ts';
import { DEFAULT_FEATURIZER, featurizeBatch, selectRows, type FeatureBatch, type FeaturizerSettings } from './featurize.ts';
import {
  DEFAULT_CLASSIFIER,
  crossValidate,
  predictProba,
  trainFastText,
  type ClassifierSettings,
  type FastTextModel,
} from './fasttext-model.ts';
import { argmaxRows, computeMetrics, type ClassificationMetrics } from './metrics.ts';

/** One table's columns for the job: `texts[c][r]` is text column c at row r; `labels[r]` the target. */
export interface TagTableInput {
  texts: (string | null)[][];
  labels: (string | null)[];
}

export type TagProgress =
  | { phase: 'featurize'; rows: number }
  | { phase: 'fold'; fold: number; k: number; epoch: number; loss: number; epochs?: number }
  | { phase: 'final'; epoch: number; loss: number; epochs?: number };

export interface TagTableOptions {
  featurizer?: Partial<FeaturizerSettings>;
  classifier?: Partial<Omit<ClassifierSettings, 'numClasses' | 'buckets'>>;
  /** Folds (default 5, fewer when the smallest class is smaller). */
  k?: number;
  /** Seed of folds and sampling. */
  seed?: number;
  /**
   * Labelled rows above this are sampled (seeded, per class) for training and evaluation, to bound
   * the cost; suspects are then only looked for among sampled rows. Default: no limit.
   */
  maxTrainRows?: number;
  /** Train the final model on all labelled rows always, or only when some rows lack a label. */
  finalModel?: 'always' | 'if-missing';
  /**
   * Fit the schedule to small samples (default true): see `fitScheduleToSample`. Off, the
   * classifier settings are used as given.
   */
  adaptToSample?: boolean;
  /** Passed to `findLabelIssues` (how much likelier the suggested label must be than the given one). */
  minOdds?: number;
  onProgress?: (event: TagProgress) => void;
  signal?: AbortSignal;
}

/** A doubted label: `row` is the 0-based row of the input, labels by name. */
export interface TagSuspect {
  row: number;
  given: string;
  suggested: string;
  p: number;
}

export interface TagTableModel {
  ok: true;
  classes: string[];
  /** Out-of-fold metrics over the labelled rows used. */
  metrics: ClassificationMetrics & { k: number };
  /** Input rows that were trained and evaluated, in order; `oof` row i belongs to `rows[i]`. */
  rows: number[];
  /** Out-of-fold probabilities, flat, `classes.length` per entry of `rows`. */
  oof: Float32Array;
  suspects: TagSuspect[];
  predictionsForMissing: { row: number; label: string; p: number }[];
  /** Trained on every labelled row; null when `finalModel: 'if-missing'` and nothing was missing. */
  model: FastTextModel | null;
  featurizer: FeaturizerSettings;
  classifier: ClassifierSettings;
  /** 'low' when the table is too small for the estimate to be trusted; `warnings` say why. */
  reliability: 'ok' | 'low';
  warnings: string[];
  /** SHA-256 hex of the labelled texts and labels used: the same rows give the same fingerprint. */
  dataFingerprint: string;
}

export interface TagTableRefusal {
  ok: false;
  code: 'EMPTY_TARGET' | 'ONE_CLASS' | 'TOO_MANY_CLASSES' | 'NO_TEXT';
  /** Why no model, in words for the user. */
  reason: string;
}

export type TagTableResult = TagTableModel | TagTableRefusal;

export const MIN_CLASSES = 2;
export const MAX_CLASSES = 200;
/** Labelled rows below which the training schedule is fitted to the sample (`fitScheduleToSample`). */
export const SMALL_SAMPLE_ROWS = 5000;
/** SGD steps (rows × epochs) a small sample is trained for at least. */
const MIN_STEPS = 20_000;
const MAX_EPOCHS = 100;

/**
 * The classifier schedule for `rows` labelled rows. Below `SMALL_SAMPLE_ROWS`, 10 epochs at
 * learning rate 0.5 underfit badly: on seeded 150-row samples of real reviews (10 categories,
 * sentiment) and Flipkart titles, out-of-fold macro-F1 averaged 0.18 (sentiment accuracy 0.51, a
 * coin toss); with at least 20,000 SGD steps (epochs up to 100) and learning rate ≥ 1 it averaged
 * 0.55 (sentiment 0.78); on 500 rows 0.31 → 0.62, on 2,000 rows 0.56 → 0.65. Larger samples keep
 * the settings as given. (Embeddings of 16 or 8 instead of 32 were tried too: no difference.)
 */
export function fitScheduleToSample(settings: ClassifierSettings, rows: number): ClassifierSettings {
  if (rows >= SMALL_SAMPLE_ROWS || rows === 0) return settings;
  const epochs = Math.max(settings.epochs, Math.min(MAX_EPOCHS, Math.ceil(MIN_STEPS / rows)));
  return { ...settings, epochs, lr: Math.max(settings.lr, 1) };
}

/** Below these the out-of-fold figures are printed with `reliability: 'low'`. */
const RELIABLE_ROWS = 200;
const RELIABLE_PER_CLASS = 10;

function cleanLabel(v: string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  const t = String(v).trim();
  return t === '' ? null : t;
}

function joinTexts(input: TagTableInput, row: number): string {
  // A newline keeps columns apart for the segmenter, so no word bigram spans two columns' words by accident of gluing.
  return input.texts
    .map((col) => col[row] ?? '')
    .filter((t) => t.trim() !== '')
    .join('\n');
}

async function fingerprint(texts: string[], labels: string[]): Promise<string> {
  const enc = new TextEncoder().encode(JSON.stringify([texts, labels]));
  const digest = await globalThis.crypto.subtle.digest('SHA-256', enc);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Trains and evaluates a classifier of `labels` from `texts`, or says why it cannot: no labels,
 * one class, more than 200 classes, or no text. Classes with a single row are left out (they can be
 * neither trained nor evaluated) and named in `warnings`.
 */
export async function tagTable(input: TagTableInput, options: TagTableOptions = {}): Promise<TagTableResult> {
  const seed = options.seed ?? 1;
  const n = input.labels.length;
  const labels = input.labels.map(cleanLabel);
  const texts = Array.from({ length: n }, (_, r) => joinTexts(input, r));
  const warnings: string[] = [];

  const hasText = texts.map((t) => t !== '');
  if (!hasText.some(Boolean)) return { ok: false, code: 'NO_TEXT', reason: 'The text column is empty in every row.' };
  const counts = new Map<string, number>();
  let emptyTextLabelled = 0;
  for (let r = 0; r < n; r++) {
    const l = labels[r];
    if (l === null) continue;
    if (!hasText[r]) {
      emptyTextLabelled++;
      continue;
    }
    counts.set(l, (counts.get(l) ?? 0) + 1);
  }
  if (counts.size === 0) return { ok: false, code: 'EMPTY_TARGET', reason: 'The target column has no values on rows with text: nothing to learn from.' };
  if (counts.size === 1) {
    return { ok: false, code: 'ONE_CLASS', reason: `The target column has one value ("${[...counts.keys()][0]}"): a classifier needs at least two.` };
  }
  if (counts.size > MAX_CLASSES) {
    return { ok: false, code: 'TOO_MANY_CLASSES', reason: `The target column has ${counts.size} values; classifiers are trained for ${MIN_CLASSES}–${MAX_CLASSES}.` };
  }
  const singletons = [...counts].filter(([, c]) => c < 2).map(([l]) => l);
  if (singletons.length > 0) {
    warnings.push(`${singletons.length} value(s) occur on one row only and were left out: ${singletons.slice(0, 5).map((s) => JSON.stringify(s)).join(', ')}${singletons.length > 5 ? '…' : ''}`);
  }
  const classes = [...counts].filter(([, c]) => c >= 2).map(([l]) => l).sort();
  if (classes.length < MIN_CLASSES) {
    return { ok: false, code: 'ONE_CLASS', reason: 'Only one value of the target occurs on more than one row: a classifier needs at least two.' };
  }
  if (emptyTextLabelled > 0) warnings.push(`${emptyTextLabelled} labelled row(s) have no text and were left out.`);
  const classIndex = new Map(classes.map((c, i) => [c, i]));

  let rows: number[] = [];
  for (let r = 0; r < n; r++) if (hasText[r] && labels[r] !== null && classIndex.has(labels[r]!)) rows.push(r);
  if (options.maxTrainRows !== undefined && rows.length > options.maxTrainRows) {
    // Sample the same share of every class (at least 2 each) so small classes survive.
    const share = options.maxTrainRows / rows.length;
    const byClass = new Map<string, number[]>();
    for (const r of rows) {
      const l = labels[r]!;
      if (!byClass.has(l)) byClass.set(l, []);
      byClass.get(l)!.push(r);
    }
    const rand = mulberry32(seed ^ 0x9e3779b9);
    rows = classes.flatMap((c) => shuffleInPlace(byClass.get(c)!, rand).slice(0, Math.max(2, Math.round(byClass.get(c)!.length * share))));
    rows.sort((a, b) => a - b);
    warnings.push(`Trained and evaluated on a seeded sample of ${rows.length} of the labelled rows; suspects are looked for in that sample only.`);
  }
  const y = Int32Array.from(rows, (r) => classIndex.get(labels[r]!)!);
  const perClass = new Array<number>(classes.length).fill(0);
  for (const c of y) perClass[c]++;
  const minPerClass = Math.min(...perClass);
  const k = Math.max(2, Math.min(options.k ?? 5, minPerClass));
  let reliability: 'ok' | 'low' = 'ok';
  if (rows.length < RELIABLE_ROWS || minPerClass < RELIABLE_PER_CLASS) {
    reliability = 'low';
    warnings.push(`Small sample (${rows.length} labelled rows, smallest class ${minPerClass}): the out-of-fold figures are rough estimates.`);
  }

  const featurizer: FeaturizerSettings = { ...DEFAULT_FEATURIZER, ...options.featurizer };
  const given: ClassifierSettings = { ...DEFAULT_CLASSIFIER, ...options.classifier, numClasses: classes.length, buckets: featurizer.buckets };
  const classifier = options.adaptToSample === false ? given : fitScheduleToSample(given, rows.length);
  if (classifier.epochs !== given.epochs || classifier.lr !== given.lr) {
    warnings.push(`Small sample: trained for ${classifier.epochs} epochs at learning rate ${classifier.lr} (instead of ${given.epochs} at ${given.lr}) so the model does not underfit.`);
  }
  options.onProgress?.({ phase: 'featurize', rows: n });
  const all: FeatureBatch = featurizeBatch(texts, featurizer);
  if (all.truncatedRows.length > 0) warnings.push(`${all.truncatedRows.length} text(s) longer than ${featurizer.maxChars} characters were cut to that length.`);
  throwIfAborted(options.signal);
  const train = selectRows(all, rows);

  let fold = 0;
  const { oof } = await crossValidate(train, y, classifier, {
    k,
    foldSeed: seed,
    signal: options.signal,
    onFold: (f) => (fold = f),
    onProgress: (epoch, loss) => options.onProgress?.({ phase: 'fold', fold: fold + 1, k, epoch, loss, epochs: classifier.epochs }),
  });
  const metrics = { ...computeMetrics(y, argmaxRows(oof, classes.length), classes.length), k };
  const issues = findLabelIssues(y, oof, classes.length, { minOdds: options.minOdds });
  const suspects = issues.suspects.map((s) => ({ row: rows[s.row], given: classes[s.given], suggested: classes[s.suggested], p: s.p }));

  const missing: number[] = [];
  for (let r = 0; r < n; r++) if (hasText[r] && labels[r] === null) missing.push(r);
  let model: FastTextModel | null = null;
  const predictionsForMissing: { row: number; label: string; p: number }[] = [];
  if ((options.finalModel ?? 'always') === 'always' || missing.length > 0) {
    model = await trainFastText(train, y, classifier, {
      signal: options.signal,
      onProgress: (epoch, loss) => options.onProgress?.({ phase: 'final', epoch, loss, epochs: classifier.epochs }),
    });
    for (const r of missing) {
      const p = predictProba(model, all.ids.subarray(all.offsets[r], all.offsets[r + 1]));
      let best = 0;
      for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
      predictionsForMissing.push({ row: r, label: classes[best], p: p[best] });
    }
  }
  return {
    ok: true,
    classes,
    metrics,
    rows,
    oof,
    suspects,
    predictionsForMissing,
    model,
    featurizer,
    classifier,
    reliability,
    warnings,
    dataFingerprint: await fingerprint(
      rows.map((r) => texts[r]),
      rows.map((r) => labels[r]!),
    ),
  };
}
