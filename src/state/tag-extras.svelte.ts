// State of the Tagging view's extra panels: attributes of a title column (stored as tags with
// provenance, exportable as CSV), near-duplicate clusters (a merge goes to the quality recipe), and
// sentiment per product and category from a score or label column.
import { getAnalysis, saveAnalysis } from '../db/repository.ts';
import { readTagRows } from '../lib/inventory-client.ts';
import { extractAttributesFor, findDuplicates, sentimentSummary } from '../lib/tagging-client.ts';
import type { AttributeTag } from '../core/tagging/attributes.ts';
import type { SentimentAggregate, SentimentScale } from '../core/tagging/sentiment.ts';
import { appErrors } from './errors.svelte.ts';
import {
  DUPLICATE_MERGES_KIND,
  TAGS_KIND,
  buildDuplicateMerge,
  buildStoredTags,
  exportTagsCsv,
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

export interface SentimentResult extends SentimentAggregate {
  scale: SentimentScale;
  neutral: number;
  unreadable: number;
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
  /** Stored tags of the import (after a run or `exportTags`). */
  storedTags = $state(0);

  /** Extracts attributes of `column` (brand lexicon from `brandColumn`) and stores them as tags. */
  async runAttributes(importId: string, table: string, column: string, brandColumn: string): Promise<void> {
    if (this.attributesStatus === 'running') return;
    this.attributesStatus = 'running';
    try {
      const input = await readTagRows(importId, { table, text: [column], target: brandColumn || column });
      const titles = input.texts[0];
      const tags = await extractAttributesFor(titles, brandColumn ? input.labels : undefined);
      const createdAt = Date.now();
      const stored = buildStoredTags(table, column, input.rows, tags, createdAt);
      const previous = (await getAnalysis<StoredTag[]>(importId, TAGS_KIND))?.value ?? [];
      const all = mergeStoredTags(previous, stored);
      await saveAnalysis(importId, TAGS_KIND, all);
      const byKind: Record<string, number> = {};
      for (const t of stored) byKind[t.kind] = (byKind[t.kind] ?? 0) + 1;
      const rows = input.rows.map((row, i) => ({ row, title: titles[i] ?? '', tags: tags[i] }));
      this.attributes = { table, column, rows, tagged: rows.filter((r) => r.tags.length > 0).length, byKind, tagCount: stored.length };
      this.storedTags = all.length;
      this.attributesStatus = 'done';
    } catch (e) {
      this.attributesStatus = 'failed';
      appErrors.report(e);
    }
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

  /** Sentiment per product (and category, when picked) from `scoreColumn`. */
  async runSentiment(importId: string, table: string, productColumn: string, categoryColumn: string, scoreColumn: string): Promise<void> {
    if (this.sentimentStatus === 'running') return;
    this.sentimentStatus = 'running';
    this.sentimentRefused = false;
    this.sentiment = null;
    try {
      const text = categoryColumn ? [productColumn, categoryColumn] : [productColumn];
      const input = await readTagRows(importId, { table, text, target: scoreColumn });
      const out = await sentimentSummary({ products: input.texts[0], categories: categoryColumn ? input.texts[1] : undefined, scores: input.labels });
      if (out.ok) this.sentiment = { scale: out.scale, neutral: out.neutral, unreadable: out.unreadable, byProduct: out.byProduct, byCategory: out.byCategory };
      else this.sentimentRefused = true;
      this.sentimentStatus = 'done';
    } catch (e) {
      this.sentimentStatus = 'failed';
      appErrors.report(e);
    }
  }

  /** Offers every stored tag of the import as a CSV download. */
  async exportTags(importId: string, importName: string): Promise<void> {
    try {
      const tags = (await getAnalysis<StoredTag[]>(importId, TAGS_KIND))?.value ?? [];
      this.storedTags = tags.length;
      offerDownload(exportTagsCsv(tags), `${importName || importId}.tags.csv`, 'text/csv;charset=utf-8');
    } catch (e) {
      appErrors.report(e);
    }
  }
}

export const tagExtras = new TagExtrasState();
