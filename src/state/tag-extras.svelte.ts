// State of the Tagging view's extra panels: attributes of a title column (stored as tags with
// provenance, exportable as CSV), near-duplicate clusters (a merge goes to the quality recipe), and
// sentiment per product and category from a score or label column.
import { getAnalysis, getModel, listModelSummaries, saveAnalysis, saveTrainedModel } from '../db/repository.ts';
import type { ModelRecord } from '../db/schema.ts';
import { readTagRows } from '../lib/inventory-client.ts';
import {
  DEFAULT_TAGGING_SETTINGS,
  extractAttributesFor,
  findDuplicates,
  fingerprintRows,
  predictTexts,
  sentimentSummary,
  startBrandTagger,
  startTraining,
  type BrandTaggerJob,
  type TaggingRows,
  type TrainJob,
} from '../lib/tagging-client.ts';
import type { AttributeTag } from '../core/tagging/attributes.ts';
import type { BrandTaggerMetrics, BrandTaggerProgress } from '../core/tagging/brand-tagger.ts';
import { mapSentimentColumn, type SentimentAggregate, type SentimentScale } from '../core/tagging/sentiment.ts';
import { isAbortError } from '../core/errors.ts';
import { appErrors } from './errors.svelte.ts';
import { trainingFraction } from './tagging-plan.ts';
import {
  DUPLICATE_MERGES_KIND,
  TAGS_KIND,
  buildDuplicateMerge,
  buildSentimentTags,
  buildStoredTags,
  exportTagsCsv,
  exportTagsParquet,
  mergeDuplicateMerges,
  mergeStoredTags,
  type DuplicateMerge,
  type StoredTag,
} from './tag-extras-model.ts';
import { offerDownload } from '../lib/download.ts';

export type PanelStatus = 'idle' | 'running' | 'done' | 'failed';

export interface AttributeRow {
  row: number;
  title: string;
  tags: AttributeTag[];
}

export interface AttributesResult {
  table: string;
  column: string;
  rows: AttributeRow[];
  /** Titles with at least one tag, and tags by kind. */
  tagged: number;
  byKind: Record<string, number>;
  tagCount: number;
}

/** The brand tagger behind the attributes shown (out of fold, against lexicon labels of held-out titles). */
export interface BrandTaggerView {
  table: string;
  column: string;
  metrics: BrandTaggerMetrics;
  titles: number;
  labelled: number;
  taggerBrands: number;
  novelBrands: number;
  warnings: string[];
  durationMs: number;
}

export interface DuplicateClusterView {
  similarity: number;
  members: { row: number; title: string }[];
}

export interface DuplicatesResult {
  table: string;
  column: string;
  threshold: number;
  titles: number;
  clusters: DuplicateClusterView[];
  merge: DuplicateMerge;
}

/** The sentiment classifier behind a summary: trained on the scored reviews, or reused from the catalog. */
export interface SentimentModelInfo {
  modelId: number;
  version: number;
  reused: boolean;
  /** Out-of-fold, on the scored reviews. */
  accuracy: number;
  macroF1: number;
  rows: number;
  reliability: 'ok' | 'low';
  device: string;
  reason: string;
}

export interface SentimentResult extends SentimentAggregate {
  scale: SentimentScale;
  neutral: number;
  unreadable: number;
  /** Reviews whose sentiment comes from the score column, and from the model. */
  given: number;
  predicted: number;
  model: SentimentModelInfo | null;
  /** Why there is no model (one class only, no text…): the summary then uses the scores alone. */
  noModel: string | null;
}

/** Details stored with a sentiment model (what `reuse` compares, what the Models page shows). */
interface SentimentModelDetails {
  kind: 'sentiment';
  inputFingerprint: string;
  scoreColumn: string;
  reliability: 'ok' | 'low';
  warnings: string[];
  durationMs: number;
  importName?: string;
}

/** The stored target name of a sentiment model: not the score column itself, so monitoring never mistakes it for a classifier of that column. */
export function sentimentTarget(scoreColumn: string): string {
  return `${scoreColumn} → sentiment`;
}


class TagExtrasState {
  attributesStatus: PanelStatus = $state('idle');
  attributes: AttributesResult | null = $state.raw(null);
  duplicatesStatus: PanelStatus = $state('idle');
  duplicates: DuplicatesResult | null = $state.raw(null);
  mergeSent = $state(false);
  sentimentStatus: PanelStatus = $state('idle');
  sentiment: SentimentResult | null = $state.raw(null);
  /** The score column could not be read as sentiment (not stars, 0/1 or words). */
  sentimentRefused = $state(false);
  taggerStatus: PanelStatus | 'cancelled' = $state('idle');
  taggerProgress: BrandTaggerProgress | null = $state(null);
  tagger: BrandTaggerView | null = $state.raw(null);
  /** Why no tagger could be trained (no brands, too few matches), in words. */
  taggerRefusal: string | null = $state(null);
  #taggerJob: BrandTaggerJob | null = null;
  /** Training (or predicting) progress of the sentiment model, while it runs. */
  sentimentProgress: { phase: 'training' | 'predicting'; fraction: number } | null = $state(null);
  /** Stored tags of the import (after a run or `exportTags`). */
  storedTags = $state(0);
  #sentimentJob: TrainJob | null = null;

  /** Extracts attributes of `column` (brand lexicon from `brandColumn`) and stores them as tags. */
  async runAttributes(importId: string, table: string, column: string, brandColumn: string): Promise<void> {
    if (this.attributesStatus === 'running' || this.taggerStatus === 'running') return;
    this.attributesStatus = 'running';
    try {
      const input = await readTagRows(importId, { table, text: [column], target: brandColumn || column });
      const titles = input.texts[0];
      const tags = await extractAttributesFor(titles, brandColumn ? input.labels : undefined);
      await this.#storeAttributes(importId, table, column, input.rows, titles, tags);
      if (this.tagger?.table === table && this.tagger.column === column) this.tagger = null;
      this.attributesStatus = 'done';
    } catch (e) {
      this.attributesStatus = 'failed';
      appErrors.report(e);
    }
  }

  /**
   * Trains the character-level brand tagger on `column`, weakly labelled by the brand column's
   * lexicon (progress per fold and epoch, cancellable), then stores lexicon and tagger attributes of
   * every title as tags; tagger tags carry the tagger's name and its out-of-fold F1 in the view.
   */
  async trainBrandTagger(importId: string, table: string, column: string, brandColumn: string): Promise<void> {
    if (this.attributesStatus === 'running' || this.taggerStatus === 'running' || !brandColumn) return;
    this.taggerStatus = 'running';
    this.taggerProgress = null;
    this.taggerRefusal = null;
    try {
      const input = await readTagRows(importId, { table, text: [column], target: brandColumn });
      const titles = input.texts[0];
      this.#taggerJob = startBrandTagger(titles, input.labels, (e) => (this.taggerProgress = e));
      const outcome = await this.#taggerJob.result;
      if (!outcome.ok) {
        this.taggerRefusal = outcome.reason;
        this.taggerStatus = 'done';
        return;
      }
      const f1 = outcome.metrics.f1.toFixed(3);
      await this.#storeAttributes(importId, table, column, input.rows, titles, outcome.tags, { model: `brand-tagger (char BIO perceptron, out-of-fold F1 ${f1})`, version: 1 });
      const { metrics, labelled, taggerBrands, novelBrands, warnings, durationMs } = outcome;
      this.tagger = { table, column, metrics, titles: outcome.titles, labelled, taggerBrands, novelBrands, warnings, durationMs };
      this.taggerStatus = 'done';
    } catch (e) {
      if (isAbortError(e)) this.taggerStatus = 'cancelled';
      else {
        this.taggerStatus = 'failed';
        appErrors.report(e);
      }
    } finally {
      this.#taggerJob = null;
      this.taggerProgress = null;
    }
  }

  /** Cancels the running brand-tagger training (the tagging worker is restarted). */
  cancelBrandTagger(): void {
    this.#taggerJob?.cancel();
  }

  async #storeAttributes(importId: string, table: string, column: string, rows: number[], titles: (string | null)[], tags: AttributeTag[][], tagger?: { model: string; version: number }): Promise<void> {
    const createdAt = Date.now();
    const stored = buildStoredTags(table, column, rows, tags, createdAt, tagger);
    const previous = (await getAnalysis<StoredTag[]>(importId, TAGS_KIND))?.value ?? [];
    const all = mergeStoredTags(previous, stored);
    await saveAnalysis(importId, TAGS_KIND, all);
    const byKind: Record<string, number> = {};
    for (const t of stored) byKind[t.kind] = (byKind[t.kind] ?? 0) + 1;
    const view = rows.map((row, i) => ({ row, title: titles[i] ?? '', tags: tags[i] }));
    this.attributes = { table, column, rows: view, tagged: view.filter((r) => r.tags.length > 0).length, byKind, tagCount: stored.length };
    this.storedTags = all.length;
  }

  /** Near-duplicate clusters of `column` at `threshold` (Jaccard of character shingles). */
  async runDuplicates(importId: string, table: string, column: string, threshold: number): Promise<void> {
    if (this.duplicatesStatus === 'running') return;
    this.duplicatesStatus = 'running';
    this.mergeSent = false;
    try {
      const input = await readTagRows(importId, { table, text: [column], target: column });
      const titles = input.texts[0];
      const clusters = await findDuplicates(titles, threshold);
      this.duplicates = {
        table,
        column,
        threshold,
        titles: titles.length,
        clusters: clusters.map((c) => ({ similarity: c.similarity, members: c.members.map((i) => ({ row: input.rows[i], title: titles[i] ?? '' })) })),
        merge: buildDuplicateMerge(table, column, threshold, input.rows, clusters, Date.now()),
      };
      this.duplicatesStatus = 'done';
    } catch (e) {
      this.duplicatesStatus = 'failed';
      appErrors.report(e);
    }
  }

  /** Stores the clusters as a merge for the quality recipe (replacing one for the same column). */
  async sendMerge(importId: string): Promise<void> {
    const d = this.duplicates;
    if (!d) return;
    try {
      const previous = (await getAnalysis<DuplicateMerge[]>(importId, DUPLICATE_MERGES_KIND))?.value ?? [];
      await saveAnalysis(importId, DUPLICATE_MERGES_KIND, mergeDuplicateMerges(previous, d.merge));
      this.mergeSent = true;
    } catch (e) {
      appErrors.report(e);
    }
  }

  /**
   * Review sentiment per product and category. A classifier is trained on the reviews the score
   * column rates (1–2 stars negative, 4–5 positive, 0/1, words), or reused when a stored one was
   * trained on the same rows; it predicts every review, and reviews without a usable score take its
   * prediction. Without a model (e.g. one class only) the scores alone are aggregated.
   */
  async runSentiment(importId: string, table: string, textColumn: string, productColumn: string, categoryColumn: string, scoreColumn: string, importName?: string): Promise<void> {
    if (this.sentimentStatus === 'running') return;
    this.sentimentStatus = 'running';
    this.sentimentRefused = false;
    this.sentiment = null;
    this.sentimentProgress = null;
    try {
      const text = [textColumn, productColumn, ...(categoryColumn ? [categoryColumn] : [])];
      const input = await readTagRows(importId, { table, text, target: scoreColumn });
      const [reviews, products] = input.texts;
      const categories = categoryColumn ? input.texts[2] : undefined;
      const mapping = mapSentimentColumn(input.labels);
      if (!mapping) {
        this.sentimentRefused = true;
        this.sentimentStatus = 'done';
        return;
      }
      const rows: TaggingRows = { rows: input.rows, texts: [reviews], labels: mapping.labels };
      const trained = await this.#sentimentModel(importId, table, textColumn, scoreColumn, rows, importName);
      let pPositive: number[] | undefined;
      let model: SentimentModelInfo | null = null;
      if (trained.record) {
        this.sentimentProgress = { phase: 'predicting', fraction: 1 };
        const out = await predictTexts(String(trained.record.id), trained.record.onnx, reviews.map((r) => r ?? ''));
        const C = out.labels.length;
        const pos = out.labels.indexOf('positive');
        // A review without text has no evidence: it keeps its score or stays without a sentiment.
        pPositive = reviews.map((r, i) => (r && r.trim() !== '' && pos >= 0 ? out.probs[i * C + pos] : NaN));
        const m = trained.record;
        const d = m.details as unknown as SentimentModelDetails;
        model = { modelId: m.id!, version: m.version, reused: trained.reused, accuracy: m.metrics.accuracy, macroF1: m.metrics.macroF1, rows: Number(m.metrics.rows ?? 0), reliability: d.reliability ?? 'ok', device: out.device, reason: out.reason };
      }
      if (pPositive && model) {
        // Each review's predicted sentiment becomes a tag with the model's id, version and P(class).
        const tags = buildSentimentTags(table, textColumn, input.rows, pPositive, model, Date.now());
        const previous = (await getAnalysis<StoredTag[]>(importId, TAGS_KIND))?.value ?? [];
        const all = mergeStoredTags(previous, tags);
        await saveAnalysis(importId, TAGS_KIND, all);
        this.storedTags = all.length;
      }
      const out = await sentimentSummary({ products, categories, scores: input.labels, pPositive });
      if (out.ok) {
        this.sentiment = { scale: out.scale, neutral: out.neutral, unreadable: out.unreadable, given: out.given, predicted: out.predicted, byProduct: out.byProduct, byCategory: out.byCategory, model, noModel: trained.noModel };
      } else this.sentimentRefused = true;
      this.sentimentStatus = 'done';
    } catch (e) {
      this.sentimentStatus = 'failed';
      if (!isAbortError(e)) appErrors.report(e);
    } finally {
      this.sentimentProgress = null;
      this.#sentimentJob = null;
    }
  }

  /** Cancels a running sentiment training (the tagging worker is restarted). */
  cancelSentiment(): void {
    this.#sentimentJob?.cancel();
  }

  /** The stored sentiment model for these rows, or a newly trained and stored one, or why there is none. */
  async #sentimentModel(importId: string, table: string, textColumn: string, scoreColumn: string, rows: TaggingRows, importName: string | undefined): Promise<{ record: ModelRecord | null; reused: boolean; noModel: string | null }> {
    const settings = DEFAULT_TAGGING_SETTINGS;
    const target = sentimentTarget(scoreColumn);
    const inputFingerprint = await fingerprintRows(rows, settings);
    const stored = (await listModelSummaries(importId)).filter(
      (m) => m.table === table && m.target === target && m.textColumns.length === 1 && m.textColumns[0] === textColumn && (m.details as { inputFingerprint?: string }).inputFingerprint === inputFingerprint,
    );
    const latest = stored.sort((a, b) => b.version - a.version)[0];
    const reusable = latest ? await getModel(latest.id!) : undefined;
    if (reusable) return { record: reusable, reused: true, noModel: null };
    this.sentimentProgress = { phase: 'training', fraction: 0 };
    let k = settings.k;
    this.#sentimentJob = startTraining(rows, settings, (e) => {
      if (e.phase === 'fold') k = e.k;
      this.sentimentProgress = { phase: 'training', fraction: trainingFraction(e, settings.epochs, k) };
    });
    const outcome = await this.#sentimentJob.result;
    if (!outcome.ok) return { record: null, reused: false, noModel: outcome.reason };
    const details: SentimentModelDetails = { kind: 'sentiment', inputFingerprint, scoreColumn, reliability: outcome.reliability, warnings: outcome.warnings, durationMs: outcome.durationMs, importName };
    const record = await saveTrainedModel({ importId, table, textColumns: [textColumn], target }, outcome, details);
    return { record, reused: false, noModel: null };
  }

  /** Offers every stored tag of the import (with provenance) as a CSV or Parquet download. */
  async exportTags(importId: string, importName: string, format: 'csv' | 'parquet' = 'csv'): Promise<void> {
    try {
      const tags = (await getAnalysis<StoredTag[]>(importId, TAGS_KIND))?.value ?? [];
      this.storedTags = tags.length;
      const base = `${importName || importId}.tags`;
      if (format === 'parquet') offerDownload(exportTagsParquet(tags), `${base}.parquet`, 'application/vnd.apache.parquet');
      else offerDownload(exportTagsCsv(tags), `${base}.csv`, 'text/csv;charset=utf-8');
    } catch (e) {
      appErrors.report(e);
    }
  }
}

export const tagExtras = new TagExtrasState();
