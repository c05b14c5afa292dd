// A tagging job's settings and row text: the few knobs the Tagging view exposes (everything else
// comes from the core defaults) and the join of text columns shared by training and inference.

/** Plain JSON, stored with each model and part of the rows' fingerprint (other settings, other model). */
export interface TaggingSettings {
  /** Folds of the out-of-fold evaluation. */
  k: number;
  /** Seed of folds, sampling and initial weights. */
  seed: number;
  /** Labelled rows above this are sampled per class (seeded) to bound the cost. */
  maxTrainRows: number;
  /** Embedding width. */
  dim: number;
  epochs: number;
}

export const DEFAULT_TAGGING_SETTINGS: TaggingSettings = { k: 5, seed: 1, maxTrainRows: 20_000, dim: 32, epochs: 10 };

/**
 * The text a classifier sees for one row: the non-empty text columns joined by newlines, exactly as
 * `tagTable` joins them for training (so inference featurizes the same string).
 */
export function joinRowText(texts: readonly (readonly (string | null)[])[], row: number): string {
  return texts
    .map((col) => col[row] ?? '')
    .filter((t) => t.trim() !== '')
    .join('\n');
}
