// Model monitoring: how far a stored text classifier's world moved between its training import and a
// newer export — drift of its predicted classes and of its input texts (Jensen–Shannon distances, less
// what chance alone gives), and its accuracy on the new export's labelled rows against the
// out-of-fold accuracy measured at training time — judged against one documented threshold object.
import { computeJensenShannon } from './drift.ts';
import { judge, type Level, type Verdict } from './thresholds.ts';

/** Every threshold of model monitoring. Levels compare `value >= threshold` like the rest of monitor. */
export interface ModelDriftThresholds {
  /**
   * Jensen–Shannon distance (log base 2, 0..1) between the training labels' class shares and the
   * predicted class shares on the new export, after removing the chance part at these sample sizes.
   * Same bands as categorical column drift: 0.1 a visible shift of the mix, 0.2 a large one.
   */
  predictedClass: Level;
  /**
   * Jensen–Shannon distance between hashed character-bigram histograms of the training texts and the
   * new texts (each text weighs 1, spread over its bigrams), less chance (see `computeInputDrift`).
   * Most of the vocabulary is shared whatever the topic, so distances are small: on cn-reviews
   * samples of 1,500, two samples of one mix give 0, boosting two of ten categories 6× gives ≈ 0.04,
   * 20× ≈ 0.06. The vocabulary moves with the product mix, so this warns before labels arrive.
   */
  inputFeatures: Level;
  /**
   * Drop of accuracy, absolute: out-of-fold accuracy at training time minus accuracy on the new
   * export's labelled rows. 0.05 is noticeable, 0.10 means the model is clearly worse than reported.
   */
  accuracyDrop: Level;
  /** Fewest labelled new rows for an accuracy verdict: below it, the accuracy's standard error (~0.05 at 100) is as large as the warn level. */
  minLabelledRows: number;
  /** Fewest texts (or predictions) on each side for a distribution verdict. */
  minRows: number;
  /** Hash buckets of the input-feature histogram. */
  featureBuckets: number;
}

/** The defaults, documented field by field on `ModelDriftThresholds`. */
export const DEFAULT_MODEL_DRIFT_THRESHOLDS: ModelDriftThresholds = {
  predictedClass: { warn: 0.1, error: 0.2 },
  inputFeatures: { warn: 0.04, error: 0.08 },
  accuracyDrop: { warn: 0.05, error: 0.1 },
  minLabelledRows: 100,
  minRows: 100,
  featureBuckets: 256,
};

/** Verdict metric names of model monitoring. */
export const MODEL_METRICS = {
  predictedClass: 'predicted_class_js',
  inputFeatures: 'input_features_js',
  accuracyDrop: 'accuracy_drop',
} as const;

/**
 * Removes the part of a Jensen–Shannon distance that two finite samples of one distribution show by
 * chance: their divergence is ≈ c·χ²(k − 1) bits over k buckets, c = (1/n₀ + 1/n₁) / (8 ln 2); the
 * mean plus two standard deviations of that is subtracted from the squared distance (as in
 * `compareCategories`), so a verdict does not flip on sampling noise.
 */
export function removeChanceDistance(distance: number, n0: number, n1: number, k: number): number {
  const c = (1 / Math.max(1, n0) + 1 / Math.max(1, n1)) / (8 * Math.LN2);
  const bias = c * (Math.max(0, k - 1) + 2 * Math.sqrt(2 * Math.max(0, k - 1)));
  return Math.sqrt(Math.max(0, distance * distance - bias));
}

/** Counts of each of `classes` among `labels` (labels not in `classes`, nulls and blanks ignored). */
export function countClasses(labels: readonly (string | null)[], classes: readonly string[]): number[] {
  const index = new Map(classes.map((c, i) => [c, i]));
  const counts = new Array<number>(classes.length).fill(0);
  for (const l of labels) {
    const i = l === null ? undefined : index.get(l.trim());
    if (i !== undefined) counts[i]++;
  }
  return counts;
}

function toShares(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
}

/** Chance-corrected Jensen–Shannon distance between two count vectors over the same buckets. */
export function computeCountsDistance(oldCounts: readonly number[], newCounts: readonly number[], n0?: number, n1?: number): number {
  const p = toShares(oldCounts);
  const q = toShares(newCounts);
  const k = p.filter((x, i) => x > 0 || q[i] > 0).length;
  const sum = (c: readonly number[]) => c.reduce((a, b) => a + b, 0);
  return removeChanceDistance(computeJensenShannon(p, q), n0 ?? sum(oldCounts), n1 ?? sum(newCounts), k);
}

/** FNV-1a over two UTF-16 code units: cheap, stable across runs and platforms. */
function hashPair(a: number, b: number): number {
  let h = 0x811c9dc5;
  h = Math.imul(h ^ a, 0x01000193);
  h = Math.imul(h ^ b, 0x01000193);
  return h >>> 0;
}

/**
 * Histogram of hashed character bigrams (characters, not words: Chinese has no spaces) over
 * `buckets`, each text contributing weight 1 spread evenly over its bigrams, so one long review does
 * not outweigh a hundred short ones and the effective sample size is the number of texts. Texts with
 * fewer than two non-space characters count once in bucket of their single character, or not at all.
 */
export function hashTextFeatures(texts: readonly (string | null)[], buckets: number): { histogram: number[]; texts: number } {
  const histogram = new Array<number>(buckets).fill(0);
  let n = 0;
  for (const raw of texts) {
    if (raw === null) continue;
    const s = raw.replace(/\s+/g, ' ').trim().toLowerCase();
    if (s === '') continue;
    n++;
    if (s.length === 1) {
      histogram[hashPair(s.charCodeAt(0), 0) % buckets] += 1;
      continue;
    }
    const w = 1 / (s.length - 1);
    for (let i = 0; i + 1 < s.length; i++) histogram[hashPair(s.charCodeAt(i), s.charCodeAt(i + 1)) % buckets] += w;
  }
  return { histogram, texts: n };
}

/** Squared-distance allowance over the split-half noise estimate (the estimate is itself noisy). */
const NOISE_ALLOWANCE = 1.5;

/**
 * Input drift: Jensen–Shannon distance between the bigram histograms of `oldTexts` and `newTexts`,
 * less chance. Texts spread their weight over many buckets, so the multinomial chance formula of
 * `removeChanceDistance` overstates the noise several times; instead the noise is measured on the old
 * texts themselves — even rows against odd rows (file order may be sorted by class: interleaving keeps
 * both halves alike) — rescaled from two halves to these sample sizes (∝ 1/n₀ + 1/n₁), and 1.5× of it
 * is removed from the squared distance.
 */
export function computeInputDrift(oldTexts: readonly (string | null)[], newTexts: readonly (string | null)[], buckets: number): { distance: number; oldTexts: number; newTexts: number } {
  const shares = (h: number[]) => toShares(h);
  const a = hashTextFeatures(oldTexts, buckets);
  const b = hashTextFeatures(newTexts, buckets);
  const even = hashTextFeatures(oldTexts.filter((_, i) => i % 2 === 0), buckets);
  const odd = hashTextFeatures(oldTexts.filter((_, i) => i % 2 === 1), buckets);
  const raw = computeJensenShannon(shares(a.histogram), shares(b.histogram));
  let noise = 0;
  if (even.texts > 0 && odd.texts > 0 && a.texts > 0 && b.texts > 0) {
    const split = computeJensenShannon(shares(even.histogram), shares(odd.histogram));
    noise = split * split * ((1 / a.texts + 1 / b.texts) / (1 / even.texts + 1 / odd.texts));
  }
  return { distance: Math.sqrt(Math.max(0, raw * raw - NOISE_ALLOWANCE * noise)), oldTexts: a.texts, newTexts: b.texts };
}

/** Accuracy of `predicted` against `given` over rows whose given label is non-blank. */
export function computeLabelledAccuracy(predicted: readonly string[], given: readonly (string | null)[]): { accuracy: number; labelled: number } {
  let labelled = 0;
  let correct = 0;
  for (let i = 0; i < given.length; i++) {
    const g = given[i]?.trim();
    if (!g) continue;
    labelled++;
    if (predicted[i] === g) correct++;
  }
  return { accuracy: labelled > 0 ? correct / labelled : NaN, labelled };
}

/** What the monitor knows of one stored model and its re-run on the new export. */
export interface ModelDriftInput {
  /** The model's classes, in its output order. */
  classes: readonly string[];
  /** Rows per class among the training labels (the model's per-class support), aligned with `classes`. */
  trainingCounts: readonly number[];
  /** Out-of-fold accuracy measured at training time. */
  trainingAccuracy: number;
  /** Texts the model was trained on (the training import's rows), for input drift. */
  trainingTexts: readonly (string | null)[];
  /** The new export's texts, each row's text columns joined. */
  newTexts: readonly (string | null)[];
  /** The model's predicted class for each of `newTexts`. */
  predicted: readonly string[];
  /** The new export's target value for each of `newTexts` (null or blank: unlabelled). */
  given: readonly (string | null)[];
}

export interface ModelDriftReport {
  classes: string[];
  /** Class shares of the training labels and of the predictions on the new export. */
  trainingShares: number[];
  predictedShares: number[];
  trainingAccuracy: number;
  /** Accuracy on the new export's labelled rows; NaN when none is labelled. */
  newAccuracy: number;
  labelledRows: number;
  predictedRows: number;
  /** One verdict per measure that had enough rows (predicted class, input features, accuracy drop). */
  verdicts: Verdict[];
  /** True when the accuracy drop crossed its warn level, or the predicted-class drift its error level. */
  retrainRecommended: boolean;
}

/** Judges a stored model on a new export: predicted-class drift, input drift and accuracy drop. */
export function assessModelDrift(input: ModelDriftInput, thresholds: ModelDriftThresholds = DEFAULT_MODEL_DRIFT_THRESHOLDS): ModelDriftReport {
  const classes = [...input.classes];
  const predictedCounts = countClasses(input.predicted, classes);
  const verdicts: Verdict[] = [];
  const trainN = input.trainingCounts.reduce((a, b) => a + b, 0);
  const predN = predictedCounts.reduce((a, b) => a + b, 0);
  if (trainN >= thresholds.minRows && predN >= thresholds.minRows) {
    verdicts.push(judge(MODEL_METRICS.predictedClass, computeCountsDistance(input.trainingCounts, predictedCounts), thresholds.predictedClass));
  }
  const inputDrift = computeInputDrift(input.trainingTexts, input.newTexts, thresholds.featureBuckets);
  if (inputDrift.oldTexts >= thresholds.minRows && inputDrift.newTexts >= thresholds.minRows) {
    verdicts.push(judge(MODEL_METRICS.inputFeatures, inputDrift.distance, thresholds.inputFeatures));
  }
  const { accuracy, labelled } = computeLabelledAccuracy(input.predicted, input.given);
  let accuracyVerdict: Verdict | null = null;
  if (labelled >= thresholds.minLabelledRows) {
    accuracyVerdict = judge(MODEL_METRICS.accuracyDrop, input.trainingAccuracy - accuracy, thresholds.accuracyDrop);
    verdicts.push(accuracyVerdict);
  }
  const classVerdict = verdicts.find((v) => v.metric === MODEL_METRICS.predictedClass);
  return {
    classes,
    trainingShares: toShares(input.trainingCounts),
    predictedShares: toShares(predictedCounts),
    trainingAccuracy: input.trainingAccuracy,
    newAccuracy: accuracy,
    labelledRows: labelled,
    predictedRows: input.predicted.length,
    verdicts,
    retrainRecommended: (accuracyVerdict !== null && accuracyVerdict.verdict !== 'ok') || classVerdict?.verdict === 'error',
  };
}

/**
 * Training class counts of a stored model: its metrics' per-class support when present, else the row
 * sums of its out-of-fold confusion matrix (rows are the given class), else null.
 */
export function readTrainingCounts(metrics: Record<string, unknown>, classes: readonly string[]): number[] | null {
  const perClass = metrics.perClass;
  if (Array.isArray(perClass) && perClass.length === classes.length && perClass.every((p) => typeof p?.support === 'number')) {
    return perClass.map((p: { support: number }) => p.support);
  }
  const confusion = metrics.confusion;
  if (Array.isArray(confusion) && confusion.length === classes.length && confusion.every(Array.isArray)) {
    return (confusion as number[][]).map((row) => row.reduce((a, b) => a + b, 0));
  }
  return null;
}
