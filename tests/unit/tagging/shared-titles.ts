// Reads the title datasets under ../shared/data for attribute, brand-tagger and near-duplicate tests
// and benchmarks; fails loudly when missing.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCharBio, type TaggedSequence } from '../../../src/core/tagging/sequence-tagger.ts';
import { SHARED_DATA, parseCsv } from './shared-data.ts';

function readShared(rel: string): string {
  const p = resolve(SHARED_DATA, rel);
  if (!existsSync(p)) throw new Error(`Shared data missing: ${p} (tests read ../shared/data in place)`);
  return readFileSync(p, 'utf8').replace(/^\uFEFF/, '');
}

/** Taobao titles, one character per element with its BIO tag (HPPX brand, HCCX type, XH model, MISC). */
export function readTaobaoNer(split: 'train' | 'dev' | 'test'): TaggedSequence[] {
  return parseCharBio(readShared(`taobao-ner-titles/${split}.txt`));
}

export interface FlipkartProduct {
  id: string;
  name: string;
  brand: string;
}

/** Flipkart products with id, name and brand: the original sample or the third party's perturbed copy. */
export function readFlipkartProducts(which: 'original' | 'perturbed'): FlipkartProduct[] {
  const file = which === 'original' ? 'flipkart/flipkart_com-ecommerce_sample.csv' : 'flipkart/perturbed_copy_of_flipkart_sample.csv';
  const rows = parseCsv(readShared(file));
  const header = rows[0];
  const at = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${file}: no column ${name}`);
    return i;
  };
  const [id, name, brand] = [at('uniq_id'), at('product_name'), at('brand')];
  return rows.slice(1).filter((r) => r.length === header.length).map((r) => ({ id: r[id], name: r[name], brand: r[brand] }));
}

/** Olist review scores (1–5) with their order id. */
export function readOlistReviewScores(): { orderId: string; score: string }[] {
  const rows = parseCsv(readShared('olist/olist_order_reviews_dataset.csv'));
  const header = rows[0];
  const order = header.indexOf('order_id');
  const score = header.indexOf('review_score');
  return rows.slice(1).filter((r) => r.length === header.length).map((r) => ({ orderId: r[order], score: r[score] }));
}
