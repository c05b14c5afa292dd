// Reads the real datasets under ../shared/data for tagging tests and the benchmark; fails loudly when missing.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { mulberry32, shuffleInPlace } from '../../../src/core/util/random.ts';

export const SHARED_DATA = resolve(process.cwd(), '../shared/data');

/** RFC 4180 CSV: quoted fields with "" escapes and embedded newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function readShared(rel: string): string {
  const p = resolve(SHARED_DATA, rel);
  if (!existsSync(p)) throw new Error(`Shared data missing: ${p} (tests read ../shared/data in place)`);
  return readFileSync(p, 'utf8').replace(/^\uFEFF/, '');
}

export interface Review {
  cat: string;
  label: string;
  review: string;
}

/** cn-reviews-10cats rows with a non-empty review, in file order. */
export function readCnReviews(): Review[] {
  const rows = parseCsv(readShared('cn-reviews-10cats/online_shopping_10_cats.csv'));
  return rows
    .slice(1)
    .filter((r) => r.length >= 3 && r[2].trim() !== '')
    .map((r) => ({ cat: r[0], label: r[1], review: r[2] }));
}

/** Flipkart products: name and top-level category (first element of the category tree). */
export function readFlipkartTitles(): { name: string; top: string }[] {
  const rows = parseCsv(readShared('flipkart/flipkart_ids_names_categories_noheader.csv'));
  return rows
    .filter((r) => r.length >= 3 && r[1].trim() !== '')
    .map((r) => ({ name: r[1], top: r[2].replace(/^\["/, '').split('>>')[0].trim() }));
}

/** A seeded sample of `n` items (all of them, shuffled, when there are fewer). */
export function sampleSeeded<T>(items: readonly T[], n: number, seed: number): T[] {
  return shuffleInPlace([...items], mulberry32(seed)).slice(0, n);
}
