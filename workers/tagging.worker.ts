// Tagging worker: trains a text classifier on one job's rows (k-fold out-of-fold metrics, suspects,
// predictions for missing labels), exports it to ONNX, and runs stored ONNX models with
// onnxruntime-web (WebGPU when the browser has an adapter, WASM otherwise). Cancel = terminate.
import { expose, transfer } from 'comlink';
import { StocktakeError } from '../src/core/errors.ts';
import { featurizeBatch } from '../src/core/tagging/featurize.ts';
import { tagTable, type TagProgress, type TagTableOptions } from '../src/core/tagging/tag-table.ts';
import { createOnnxSession, type OnnxDevice, type OnnxSession } from '../src/engine/onnx-web.ts';
import { joinRowText, type TaggingSettings } from '../models/tagging-job.ts';
import { buildOnnxFeeds, exportFastTextOnnx, parseModelMetadata, type FastTextOnnxMetadata } from '../models/fasttext-onnx.ts';
import { buildBrandLexicon, extractAttributes, type AttributeTag } from '../src/core/tagging/attributes.ts';
import { findNearDuplicates, type NearDuplicateCluster } from '../src/core/tagging/near-duplicates.ts';
import { BRAND_ENTITY, trainBrandTagger, type BrandTaggerMetrics, type BrandTaggerProgress } from '../src/core/tagging/brand-tagger.ts';
import { aggregateSentiment, combineSentiment, mapSentimentColumn, type SentimentAggregate, type SentimentScale } from '../src/core/tagging/sentiment.ts';
import { keepErrorCodes } from '../src/lib/worker-errors.ts';

export type { TaggingSettings };

/** One job's rows, as the data worker reads them (`rows[i]` is the file's 0-based data row). */
export interface TaggingRows {
  rows: number[];
  texts: (string | null)[][];
  labels: (string | null)[];
}

/** A row shown in the UI: file row, a snippet of its text, labels by name. */
export interface SuspectRow {
  row: number;
  text: string;
  given: string;
  suggested: string;
  p: number;
}

export interface TrainedModel {
  ok: true;
  classes: string[];
  metrics: { accuracy: number; macroF1: number; k: number; rows: number; confusion: number[][]; perClass: { precision: number; recall: number; f1: number; support: number }[] };
  suspects: SuspectRow[];
  /** Predictions of the TypeScript model for rows without a label (the UI re-runs them in ONNX). */
  predictionsForMissing: { row: number; text: string; label: string; p: number }[];
  reliability: 'ok' | 'low';
  warnings: string[];
  dataFingerprint: string;
  settings: TaggingSettings;
  /** The exported `.onnx` file (transferred, not copied). */
  onnx: Uint8Array;
  createdAt: number;
  durationMs: number;
}

export type TrainOutcome = TrainedModel | { ok: false; code: string; reason: string };

export interface Prediction {
  labels: string[];
  /** Flat probabilities, `labels.length` per text. */
  probs: Float32Array;
  device: OnnxDevice;
  reason: string;
  ms: number;
}

/** Rows for `sentimentSummary`: one entry per review in every array. */
export interface SentimentInput {
  products: (string | null)[];
  categories?: (string | null)[];
  scores: (string | null)[];
  /** P(positive) from a trained sentiment model, per row (optional). */
  pPositive?: number[];
}

export type SentimentOutcome =
  | ({
      ok: true;
      scale: SentimentScale;
      neutral: number;
      unreadable: number;
      source: 'labels' | 'model';
      /** Reviews with a given sentiment (from the score column) and with a predicted one (model). */
      given: number;
      predicted: number;
    } & SentimentAggregate)
  | { ok: false; reason: 'not-sentiment' };

/** A trained brand tagger's out-of-fold figures and its tags (lexicon + tagger) for every title. */
export type BrandTaggerOutcome =
  | {
      ok: true;
      metrics: BrandTaggerMetrics;
      titles: number;
      labelled: number;
      warnings: string[];
      tags: AttributeTag[][];
      /** Brand tags the tagger found (not the lexicon), and how many of those name a brand the lexicon lacks. */
      taggerBrands: number;
      novelBrands: number;
      durationMs: number;
    }
  | { ok: false; code: string; reason: string };

keepErrorCodes();

const SNIPPET = 160;
/** Rows per ONNX run: bounds the padded [batch, length] inputs. */
const PREDICT_BATCH = 256;

function snippet(text: string): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length > SNIPPET ? chars.slice(0, SNIPPET).join('') + '…' : chars.join('');
}

async function sha256Hex(value: unknown): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(value)));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

interface LoadedModel {
  session: OnnxSession;
  meta: FastTextOnnxMetadata;
}

/** One lazy session per model key; a failed load is evicted so a retry (or a retrained model) can succeed. */
const sessions = new Map<string, Promise<LoadedModel>>();

function loadModel(key: string, bytes: Uint8Array, prefer: OnnxDevice): Promise<LoadedModel> {
  let loading = sessions.get(key);
  if (!loading) {
    loading = (async () => {
      const meta = parseModelMetadata(bytes); // throws MODEL_ERROR on a corrupt file, before ort sees it
      try {
        return { meta, session: await createOnnxSession(bytes, prefer) };
      } catch (e) {
        throw new StocktakeError('MODEL_ERROR', `The stored model could not be loaded by onnxruntime: ${(e as Error).message}`);
      }
    })();
    sessions.set(key, loading);
    loading.catch(() => sessions.delete(key));
  }
  return loading;
}

const api = {
  /**
   * Hash of a job's rows and settings: the same rows with the same settings train the same model
   * (training is seeded), so a stored model with this fingerprint can be reused as is.
   */
  fingerprintRows(input: TaggingRows, settings: TaggingSettings): Promise<string> {
    return sha256Hex(['stocktake-tagging/1', input.rows, input.texts, input.labels, settings]);
  },

  /** Trains, evaluates (k-fold, out of fold), finds suspects and exports the final model to ONNX. */
  async train(input: TaggingRows, settings: TaggingSettings, onProgress: (e: TagProgress) => void): Promise<TrainOutcome> {
    const started = performance.now();
    const options: TagTableOptions = {
      k: settings.k,
      seed: settings.seed,
      maxTrainRows: settings.maxTrainRows,
      classifier: { dim: settings.dim, epochs: settings.epochs, seed: settings.seed },
      finalModel: 'always',
      onProgress: (e) => void onProgress(e),
    };
    const result = await tagTable({ texts: input.texts, labels: input.labels }, options);
    if (!result.ok) return { ok: false, code: result.code, reason: result.reason };
    const createdAt = Date.now();
    const { confusion, perClass, accuracy, macroF1, k, rows } = result.metrics;
    const metrics = { accuracy, macroF1, k, rows, confusion, perClass };
    const onnx = exportFastTextOnnx(result.model!, {
      labels: result.classes,
      featurizer: result.featurizer,
      // The classifier settings say how it was trained (small-sample schedule, pruning, float16 rows).
      metrics: { accuracy, macroF1, folds: k, rows, reliability: result.reliability, classifier: result.classifier },
      created: new Date(createdAt).toISOString(),
      dataFingerprint: result.dataFingerprint,
    });
    const out: TrainedModel = {
      ok: true,
      classes: result.classes,
      metrics,
      suspects: result.suspects.map((s) => ({ row: input.rows[s.row], text: snippet(joinRowText(input.texts, s.row)), given: s.given, suggested: s.suggested, p: s.p })),
      predictionsForMissing: result.predictionsForMissing.map((p) => ({ row: input.rows[p.row], text: snippet(joinRowText(input.texts, p.row)), label: p.label, p: p.p })),
      reliability: result.reliability,
      warnings: result.warnings,
      dataFingerprint: result.dataFingerprint,
      settings,
      onnx,
      createdAt,
      durationMs: performance.now() - started,
    };
    return transfer(out, [onnx.buffer as ArrayBuffer]);
  },

  /**
   * Class probabilities of `texts` from a stored `.onnx` file, featurized with the settings in its
   * metadata. `key` names the model (e.g. its catalog id) so its session is created once per worker.
   */
  async predict(key: string, bytes: Uint8Array, texts: string[], prefer: OnnxDevice = 'webgpu'): Promise<Prediction> {
    const { session, meta } = await loadModel(key, bytes, prefer);
    const C = meta.labels.length;
    const probs = new Float32Array(texts.length * C);
    const started = performance.now();
    for (let start = 0; start < texts.length; start += PREDICT_BATCH) {
      const batch = featurizeBatch(texts.slice(start, start + PREDICT_BATCH), meta.featurizer);
      const feeds = buildOnnxFeeds(batch);
      const out = await session.run({
        ids: { type: 'int64', data: feeds.ids, dims: feeds.dims },
        mask: { type: 'float32', data: feeds.mask, dims: feeds.dims },
      });
      probs.set(out.probs, start * C);
    }
    const result: Prediction = { labels: meta.labels, probs, device: session.device, reason: session.reason, ms: performance.now() - started };
    return transfer(result, [probs.buffer]);
  },

  /**
   * Attributes of each title (brand from a lexicon built of `brandValues`, colour, size/capacity/
   * weight/volume, material, model number), each with its UTF-16 span in the title.
   */
  extractAttributesFor(titles: (string | null)[], brandValues?: (string | null)[]): AttributeTag[][] {
    const lexicons = brandValues ? { brands: buildBrandLexicon(brandValues) } : {};
    return titles.map((title) => (title ? extractAttributes(title, lexicons) : []));
  },

  /**
   * Trains the character-level brand tagger on `titles`, weakly labelled by the lexicon of
   * `brandValues` (out-of-fold entity F1 with progress), then tags every title with lexicon and
   * tagger together. Synchronous inside: cancelling terminates the worker.
   */
  trainBrandTaggerFor(titles: (string | null)[], brandValues: (string | null)[], onProgress: (e: BrandTaggerProgress) => void): BrandTaggerOutcome {
    const started = performance.now();
    const result = trainBrandTagger(titles, brandValues, { onProgress: (e) => void onProgress(e) });
    if (!result.ok) return result;
    const lexicons = { brands: result.lexicon, brandTagger: { model: result.model, type: BRAND_ENTITY } };
    let taggerBrands = 0;
    let novelBrands = 0;
    const tags = titles.map((title) => {
      const found = title ? extractAttributes(title, lexicons) : [];
      for (const t of found) {
        if (t.kind !== 'brand' || t.source !== 'tagger') continue;
        taggerBrands++;
        if (!result.lexicon.aliases.has(t.normalized)) novelBrands++;
      }
      return found;
    });
    return { ok: true, metrics: result.metrics, titles: result.titles, labelled: result.labelled, warnings: result.warnings, tags, taggerBrands, novelBrands, durationMs: performance.now() - started };
  },

  /** Clusters of near-duplicate titles (MinHash/LSH, exact Jaccard ≥ `threshold`), by row index. */
  findDuplicates(titles: (string | null)[], threshold: number): NearDuplicateCluster[] {
    return findNearDuplicates(titles, { threshold });
  },

  /**
   * Sentiment per product and per category from a score or label column (1–2 stars negative, 4–5
   * positive, 0/1, or words). `pPositive`, when given (a trained sentiment model's predictions for
   * every review), decides the rows the column leaves without a sentiment and is averaged into
   * `meanPositive`.
   */
  sentimentSummary(rows: SentimentInput): SentimentOutcome {
    const mapping = mapSentimentColumn(rows.scores);
    if (!mapping) return { ok: false, reason: 'not-sentiment' };
    const combined = combineSentiment(mapping.labels, rows.pPositive, rows.products, rows.categories);
    const predicted = combined.filter((r) => r.predicted).length;
    const given = mapping.labels.filter((l) => l !== null).length;
    const aggregate = aggregateSentiment(combined);
    return { ok: true, scale: mapping.scale, neutral: mapping.neutral, unreadable: mapping.unreadable, source: rows.pPositive ? 'model' : 'labels', given, predicted, ...aggregate };
  },

  /** Drops a model's session (after the model is deleted). */
  async forget(key: string): Promise<void> {
    const loading = sessions.get(key);
    sessions.delete(key);
    if (loading) await loading.then((m) => m.session.release(), () => undefined);
  },
};

export type TaggingApi = typeof api;
expose(api);
