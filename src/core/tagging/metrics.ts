// Classification metrics over predicted and true class indices: accuracy, macro-F1, confusion matrix.

/** Per-class precision/recall/F1 with support (true rows of that class). */
export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationMetrics {
  accuracy: number;
  /** Unweighted mean F1 over classes that occur in the truth or the predictions. */
  macroF1: number;
  /** confusion[true][predicted] = row count. */
  confusion: number[][];
  perClass: ClassMetrics[];
  rows: number;
}

/** Index of the largest probability of each row of flat `probs` (C per row); ties go to the lower class. */
export function argmaxRows(probs: Float32Array, numClasses: number): Int32Array {
  const rows = probs.length / numClasses;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (probs[r * numClasses + c] > probs[r * numClasses + best]) best = c;
    out[r] = best;
  }
  return out;
}

/** Accuracy, macro-F1 and confusion matrix of `predicted` against `truth` (class indices). */
export function computeMetrics(truth: ArrayLike<number>, predicted: ArrayLike<number>, numClasses: number): ClassificationMetrics {
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    confusion[truth[i]][predicted[i]]++;
    if (truth[i] === predicted[i]) correct++;
  }
  const perClass: ClassMetrics[] = [];
  let f1Sum = 0;
  let present = 0;
  for (let c = 0; c < numClasses; c++) {
    const tp = confusion[c][c];
    let support = 0;
    let predictedC = 0;
    for (let j = 0; j < numClasses; j++) {
      support += confusion[c][j];
      predictedC += confusion[j][c];
    }
    const precision = predictedC > 0 ? tp / predictedC : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass.push({ precision, recall, f1, support });
    if (support > 0 || predictedC > 0) {
      f1Sum += f1;
      present++;
    }
  }
  return {
    accuracy: truth.length > 0 ? correct / truth.length : 0,
    macroF1: present > 0 ? f1Sum / present : 0,
    confusion,
    perClass,
    rows: truth.length,
  };
}
