// Confident learning (Northcutt et al.): finds rows whose given label is probably wrong from
// out-of-fold probabilities, with per-class thresholds and the confident joint.

/** A row whose given label is doubted: the class indices given and suggested, and p(suggested). */
export interface LabelSuspect {
  row: number;
  given: number;
  suggested: number;
  /** Out-of-fold probability of the suggested class. */
  p: number;
  /** Out-of-fold probability of the given class (self-confidence). */
  selfConfidence: number;
}

export interface LabelIssues {
  /** Per-class threshold: mean probability of class j over rows labelled j. */
  thresholds: number[];
  /** confidentJoint[given][likely true] = rows counted confidently in that cell. */
  confidentJoint: number[][];
  /** Suspects, most doubtful first. */
  suspects: LabelSuspect[];
}

export interface FindLabelIssuesOptions {
  /**
   * 'self-confidence': lowest p(given) first; 'margin': largest p(suggested) − p(given) first.
   * Both rank the same set; they differ only in order.
   */
  rankBy?: 'self-confidence' | 'margin';
  /**
   * Keep only rows where p(suggested) / p(given) reaches this (default DEFAULT_MIN_ODDS). The
   * confident joint alone also flags genuinely ambiguous rows (a tablet review that reads like a
   * computer review); a planted wrong label shows as a far larger ratio. 1 keeps the whole joint.
   */
  minOdds?: number;
}

/** Chosen on cn-reviews with 5% planted flips: near the point where precision meets recall. */
export const DEFAULT_MIN_ODDS = 30;

/**
 * Finds label issues. A row is counted in cell (given i, true j) where j is the most probable class
 * among those whose probability reaches their class threshold; rows off the diagonal are suspects.
 * Rows reaching no threshold are not counted (not confident either way).
 */
export function findLabelIssues(
  labels: ArrayLike<number>,
  probs: Float32Array,
  numClasses: number,
  options: FindLabelIssuesOptions = {},
): LabelIssues {
  const C = numClasses;
  const n = labels.length;
  const sums = new Float64Array(C);
  const counts = new Float64Array(C);
  for (let i = 0; i < n; i++) {
    sums[labels[i]] += probs[i * C + labels[i]];
    counts[labels[i]]++;
  }
  // A class with no rows gets threshold 1: nothing can be confidently assigned to an unseen class
  // unless the model is certain.
  const thresholds = Array.from(sums, (s, c) => (counts[c] > 0 ? s / counts[c] : 1));
  const confidentJoint = Array.from({ length: C }, () => new Array<number>(C).fill(0));
  const suspects: LabelSuspect[] = [];
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestP = -1;
    for (let c = 0; c < C; c++) {
      const p = probs[i * C + c];
      // Tiny epsilon: a class whose probability equals its threshold is confidently in it.
      if (p >= thresholds[c] - 1e-12 && p > bestP) {
        best = c;
        bestP = p;
      }
    }
    if (best < 0) continue;
    const given = labels[i];
    confidentJoint[given][best]++;
    const odds = bestP / Math.max(probs[i * C + given], 1e-12);
    if (best !== given && odds >= (options.minOdds ?? DEFAULT_MIN_ODDS)) suspects.push({ row: i, given, suggested: best, p: bestP, selfConfidence: probs[i * C + given] });
  }
  if ((options.rankBy ?? 'self-confidence') === 'margin') {
    suspects.sort((a, b) => b.p - b.selfConfidence - (a.p - a.selfConfidence) || a.row - b.row);
  } else {
    suspects.sort((a, b) => a.selfConfidence - b.selfConfidence || a.row - b.row);
  }
  return { thresholds, confidentJoint, suspects };
}
