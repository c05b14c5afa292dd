// Weakly supervised brand tagger for a product table: titles are labelled by whole-word matches of
// the brand column's lexicon, the character-level sequence tagger is trained on the labelled titles
// with k-fold out-of-fold entity F1 (against those labels on held-out titles), then on all of them.
import { mulberry32, shuffleInPlace } from '../util/random.ts';
import { buildBrandLexicon, type BrandLexicon } from './attributes.ts';
import { labelWeakly, scoreEntities, tagSequence, trainSequenceTagger, type SequenceTaggerModel, type TaggedSequence } from './sequence-tagger.ts';

/** Entity type of brands in the trained tagger. */
export const BRAND_ENTITY = 'BRAND';

export interface BrandTaggerOptions {
  /** Folds of the out-of-fold estimate (default 3). */
  k?: number;
  /** Perceptron passes (default 8). */
  epochs?: number;
  seed?: number;
  /** Hashed feature space (default 2^18: 3 tags × 2^18 weights ≈ 3 MB). */
  buckets?: number;
  /** Labelled titles above this are sampled (seeded) to bound the cost (default 4,000). */
  maxTitles?: number;
  onProgress?: (event: BrandTaggerProgress) => void;
}

export type BrandTaggerProgress =
  | { phase: 'label'; titles: number; labelled: number }
  | { phase: 'fold'; fold: number; k: number; epoch: number; epochs: number }
  | { phase: 'final'; epoch: number; epochs: number };

export interface BrandTaggerMetrics {
  /** Exact-span entity scores over held-out titles, against their lexicon labels. */
  f1: number;
  precision: number;
  recall: number;
  k: number;
  /** Labelled titles trained and evaluated on. */
  titles: number;
}

export type BrandTaggerResult =
  | {
      ok: true;
      model: SequenceTaggerModel;
      lexicon: BrandLexicon;
      metrics: BrandTaggerMetrics;
      /** Titles with text, and those the lexicon labelled (the training set before any sampling). */
      titles: number;
      labelled: number;
      warnings: string[];
    }
  | { ok: false; code: 'NO_BRANDS' | 'NO_MATCHES'; reason: string };

/** Fewer labelled titles than this and the tagger is not trained: too little to learn from or to score. */
export const MIN_LABELLED_TITLES = 20;

/**
 * Trains the brand tagger of a title column from its brand column (`brands[i]` is title i's brand).
 * Refuses, with the reason, when the brand column has no usable value or fewer than
 * `MIN_LABELLED_TITLES` titles contain a known brand.
 */
export function trainBrandTagger(titles: readonly (string | null)[], brands: readonly (string | null)[], options: BrandTaggerOptions = {}): BrandTaggerResult {
  const k = options.k ?? 3;
  const epochs = options.epochs ?? 8;
  const seed = options.seed ?? 7;
  const tagger = { epochs, seed, buckets: options.buckets ?? 1 << 18 };
  const lexicon = buildBrandLexicon(brands);
  if (lexicon.aliases.size === 0) return { ok: false, code: 'NO_BRANDS', reason: 'The brand column has no usable brand names.' };
  const sequences = titles.filter((t): t is string => typeof t === 'string' && t.trim() !== '').map((t) => ({ chars: Array.from(t) }));
  let labelled: TaggedSequence[] = labelWeakly(sequences, new Set(lexicon.aliases.keys()), BRAND_ENTITY, { wholeWords: true });
  options.onProgress?.({ phase: 'label', titles: sequences.length, labelled: labelled.length });
  if (labelled.length < MIN_LABELLED_TITLES) {
    return { ok: false, code: 'NO_MATCHES', reason: `Only ${labelled.length} title(s) contain a brand of the brand column; the tagger needs at least ${MIN_LABELLED_TITLES}.` };
  }
  const warnings: string[] = [];
  const total = labelled.length;
  const maxTitles = options.maxTitles ?? 4000;
  if (labelled.length > maxTitles) {
    labelled = shuffleInPlace([...labelled], mulberry32(seed ^ 0x5bd1e995)).slice(0, maxTitles);
    warnings.push(`Trained and evaluated on a seeded sample of ${maxTitles} of the ${total} titles the lexicon labelled.`);
  }
  // Folds dealt round-robin over a seeded shuffle: sizes differ by at most one.
  const order = shuffleInPlace(labelled.map((_, i) => i), mulberry32(seed));
  const fold = new Int32Array(labelled.length);
  order.forEach((row, i) => (fold[row] = i % k));
  const gold: string[][] = [];
  const predicted: string[][] = [];
  for (let f = 0; f < k; f++) {
    const train = labelled.filter((_, i) => fold[i] !== f);
    const test = labelled.filter((_, i) => fold[i] === f);
    const model = trainSequenceTagger(train, { ...tagger, seed: seed + f }, (epoch) => options.onProgress?.({ phase: 'fold', fold: f + 1, k, epoch: epoch + 1, epochs }));
    for (const s of test) {
      gold.push(s.tags);
      predicted.push(tagSequence(model, s.chars));
    }
  }
  const score = scoreEntities(gold, predicted, BRAND_ENTITY);
  const model = trainSequenceTagger(labelled, tagger, (epoch) => options.onProgress?.({ phase: 'final', epoch: epoch + 1, epochs }));
  return {
    ok: true,
    model,
    lexicon,
    metrics: { f1: score.f1, precision: score.precision, recall: score.recall, k, titles: labelled.length },
    titles: sequences.length,
    labelled: total,
    warnings,
  };
}
