// The local copy of a table: sliced and gzipped, it must read back as exactly the CSV one COPY writes.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipTableCsv } from '../../../src/core/persist/table-copy.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';

const olistDir = resolve(process.cwd(), '../shared/data/olist');
let engine: DuckDbNodeEngine;
beforeAll(async () => {
  engine = await DuckDbNodeEngine.create();
  // Reviews hold quoted newlines, commas, Portuguese text and empty fields.
  await engine.registerBuffer('reviews.csv', new Uint8Array(readFileSync(join(olistDir, 'olist_order_reviews_dataset.csv'))));
  await engine.query(`CREATE TABLE reviews AS SELECT * FROM read_csv('reviews.csv')`);
  await engine.query(`CREATE TABLE empty AS SELECT * FROM reviews LIMIT 0`);
});
afterAll(() => engine.close());

describe('gzipTableCsv', () => {
  it('gives the bytes of one whole-table COPY, header once, rows in table order, across many slices', async () => {
    const whole = new TextDecoder().decode(await engine.copyCsv('SELECT * FROM reviews', true));
    const sliced = gunzipSync(await gzipTableCsv(engine, 'reviews', 1_000)).toString('utf8');
    expect(sliced).toBe(whole);
    expect(sliced.split('\n', 1)[0]).toBe('review_id,order_id,review_score,review_comment_title,review_comment_message,review_creation_date,review_answer_timestamp');
  });

  it('reads back into the same table', async () => {
    await engine.registerBuffer('copy.csv.gz', await gzipTableCsv(engine, 'reviews', 3_000));
    const [diff] = await engine.query<{ n: number; rows: number; missing: number }>(
      `SELECT (SELECT count(*) FROM read_csv('copy.csv.gz', header=true, sample_size=-1)) AS n, (SELECT count(*) FROM reviews) AS rows,
              (SELECT count(*) FROM (SELECT * FROM reviews EXCEPT ALL SELECT * FROM read_csv('copy.csv.gz', header=true, sample_size=-1))) AS missing`,
    );
    expect(diff.rows).toBe(8_225);
    expect(diff).toEqual({ n: diff.rows, rows: diff.rows, missing: 0 });
  });

  it('writes the header of an empty table', async () => {
    const text = gunzipSync(await gzipTableCsv(engine, 'empty')).toString('utf8');
    expect(text.trim().split('\n')).toHaveLength(1);
  });
});
