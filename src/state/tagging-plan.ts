// Pure helpers of the Tagging view: which columns to offer and suggest as text and target, how far a
// training run is and when it ends, and how accepted label fixes are recorded. Tested in Node.
import type { TagProgress } from '../core/tagging/tag-table.ts';
import { MAX_CLASSES, MIN_CLASSES } from '../core/tagging/tag-table.ts';
import type { ColumnProfile } from '../core/types.ts';

export interface ColumnChoices {
  /** Columns that can hold text, suggested ones first. */
  texts: ColumnProfile[];
  /** Columns with 2–200 values, suggested ones first. */
  targets: ColumnProfile[];
  /** The suggested pair, or null when the table has no text or no target column. */
  suggested: { text: string; target: string } | null;
}

const TEXT_TYPES = new Set(['title', 'text']);
const STRING_TYPE = /^(VARCHAR|TEXT|STRING|CHAR)/i;

function textRank(c: ColumnProfile): number {
  if (c.semanticType === 'text') return 0;
  if (c.semanticType === 'title') return 1;
  return 2;
}

/** A column where a classifier could learn something: 2–200 values, not an id or a number measure. */
function isTargetCandidate(c: ColumnProfile): boolean {
  return c.distinct >= MIN_CLASSES && c.distinct <= MAX_CLASSES && !c.isUnique && c.semanticType !== 'id';
}

/**
 * Offers a table's columns as text inputs (string columns; `text` and `title` semantic types first)
 * and as targets (2–200 distinct values; `category` first, then by more values: a product category
 * says more than a yes/no flag), and suggests the
 * first text column with the first target that is not the same column.
 */
export function chooseTagColumns(columns: readonly ColumnProfile[]): ColumnChoices {
  const byIndex = [...columns].sort((a, b) => a.index - b.index);
  const texts = byIndex
    .filter((c) => TEXT_TYPES.has(c.semanticType) || (STRING_TYPE.test(c.engineType) && c.semanticType !== 'id' && (c.length?.mean ?? 0) >= 8))
    .sort((a, b) => textRank(a) - textRank(b) || a.index - b.index);
  const targets = byIndex
    .filter(isTargetCandidate)
    .sort((a, b) => Number(b.semanticType === 'category') - Number(a.semanticType === 'category') || b.distinct - a.distinct || a.index - b.index);
  const text = texts.find((c) => TEXT_TYPES.has(c.semanticType)) ?? texts[0];
  const target = text ? targets.find((c) => c.name !== text.name && c.semanticType === 'category') ?? targets.find((c) => c.name !== text.name) : undefined;
  return { texts, targets, suggested: text && target ? { text: text.name, target: target.name } : null };
}

/**
 * Share of a training run done after `event`: k folds of `epochs` epochs, then the final model's
 * `epochs` (featurizing counts as nothing, it is quick next to training).
 */
export function trainingFraction(event: TagProgress, settingsEpochs: number, k: number): number {
  // Small samples train for more epochs than the settings say; the event knows how many.
  const epochs = event.phase === 'featurize' ? settingsEpochs : (event.epochs ?? settingsEpochs);
  const total = (k + 1) * epochs;
  if (event.phase === 'featurize') return 0;
  if (event.phase === 'fold') return Math.min(1, ((event.fold - 1) * epochs + event.epoch) / total);
  return Math.min(1, (k * epochs + event.epoch) / total);
}

/** Seconds left at a constant rate, or null before there is anything to extrapolate from. */
export function trainingEta(fraction: number, elapsedMs: number): number | null {
  if (fraction <= 0 || elapsedMs <= 0) return null;
  if (fraction >= 1) return 0;
  return ((elapsedMs / fraction) * (1 - fraction)) / 1000;
}

/** A label fix the user accepted: becomes a step of the quality recipe. */
export interface AcceptedFix {
  table: string;
  column: string;
  /** 0-based data row of the file. */
  row: number;
  from: string;
  to: string;
  p: number;
  modelId: number;
  modelVersion: number;
  acceptedAt: number;
}

/** Adds `fix` to `fixes`, replacing an earlier fix of the same cell (the latest decision wins). */
export function mergeAcceptedFix(fixes: readonly AcceptedFix[], fix: AcceptedFix): AcceptedFix[] {
  return [...fixes.filter((f) => !(f.table === fix.table && f.column === fix.column && f.row === fix.row)), fix];
}

/** Key of a fix's cell, for lookups in the view. */
export function fixKey(table: string, column: string, row: number): string {
  return `${table}\u0000${column}\u0000${row}`;
}
