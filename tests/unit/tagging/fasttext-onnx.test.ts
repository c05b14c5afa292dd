import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildOnnxFeeds, exportFastTextOnnx, parseModelMetadata } from '../../../models/fasttext-onnx.ts';
import { DEFAULT_FEATURIZER, featurizeBatch } from '../../../src/core/tagging/featurize.ts';
import { countStoredRows, predictBatch, trainFastText, type FastTextModel } from '../../../src/core/tagging/fasttext-model.ts';
import type { FeatureBatch } from '../../../src/core/tagging/featurize.ts';
import { readCnReviews, sampleSeeded } from './shared-data.ts';

const featurizer = { ...DEFAULT_FEATURIZER, buckets: 1 << 16 };
const reviews = sampleSeeded(readCnReviews(), 600, 5);
const cats = [...new Set(reviews.map((r) => r.cat))].sort();

const texts = [...reviews.map((r) => r.review), '', '😀😀', '<b>手机</b>&amp;电脑', '好'.repeat(3000)];
const y = Int32Array.from(reviews, (r) => cats.indexOf(r.cat));
const meta = { labels: cats, featurizer, metrics: { accuracy: 0.5, macroF1: 0.4 }, created: '2026-11-23T00:00:00.000Z', dataFingerprint: 'abc123' };
// Real reviews plus the awkward cases: empty text, emoji only, HTML, a long one.
const evalBatch = featurizeBatch(texts.slice(-104), featurizer);

/** Largest difference between the TypeScript model's and onnxruntime-node's probabilities on `batch`. */
async function maxDifference(model: FastTextModel, bytes: Uint8Array, batch: FeatureBatch): Promise<number> {
  const expected = predictBatch(model, batch);
  const session = await ort.InferenceSession.create(bytes);
  const feeds = buildOnnxFeeds(batch);
  const out = await session.run({
    ids: new ort.Tensor('int64', feeds.ids, feeds.dims),
    mask: new ort.Tensor('float32', feeds.mask, feeds.dims),
  });
  const probs = out.probs.data as Float32Array;
  expect(out.probs.dims).toEqual([batch.offsets.length - 1, cats.length]);
  let maxDiff = 0;
  for (let i = 0; i < expected.length; i++) maxDiff = Math.max(maxDiff, Math.abs(probs[i] - expected[i]));
  await session.release();
  return maxDiff;
}

describe('exportFastTextOnnx', () => {
  it('gives the TypeScript model’s probabilities in onnxruntime-node to 1e-5, metadata included (dense float32 table)', async () => {
    const batch = featurizeBatch(texts.slice(0, reviews.length), featurizer);
    const model = await trainFastText(batch, y, { numClasses: cats.length, buckets: featurizer.buckets, dim: 16, epochs: 5, lr: 0.5, seed: 2 });
    const bytes = exportFastTextOnnx(model, meta, { storage: 'dense' });
    expect(parseModelMetadata(bytes)).toEqual(meta);
    expect(bytes.byteLength).toBeGreaterThan(featurizer.buckets * 16 * 4);
    expect(await maxDifference(model, bytes, evalBatch)).toBeLessThan(1e-5);
  });

  it('stores only the rows in use, as float16, and still matches to 1e-5', async () => {
    const batch = featurizeBatch(texts.slice(0, reviews.length), featurizer);
    const model = await trainFastText(batch, y, { numClasses: cats.length, buckets: featurizer.buckets, dim: 16, epochs: 5, lr: 0.5, seed: 2, minCount: 2, float16: true });
    const stored = countStoredRows(model);
    expect(stored).toBeGreaterThan(100);
    // Ids found in one review only are dropped: fewer rows than distinct ids seen.
    expect(stored).toBeLessThan(new Set(batch.ids).size * 0.6);
    const bytes = exportFastTextOnnx(model, meta);
    expect(parseModelMetadata(bytes)).toEqual(meta);
    // Per stored row: 16 float16 values and its 4-byte id; plus the output layer and the metadata.
    expect(bytes.byteLength).toBeLessThan(stored * (16 * 2 + 4) + 20_000);
    expect(await maxDifference(model, bytes, evalBatch)).toBeLessThan(1e-5);
    // Ids the model never stored (every id of these texts is unknown) give the bias-only answer, as in TypeScript.
    expect(await maxDifference(model, bytes, featurizeBatch(['zqxj vbnm', 'ƛƛƛ'], featurizer))).toBeLessThan(1e-5);
  });

  it('falls back to float32 rows when the weights are not float16 values', async () => {
    const batch = featurizeBatch(texts.slice(0, 200), featurizer);
    const model = await trainFastText(batch, y.subarray(0, 200), { numClasses: cats.length, buckets: featurizer.buckets, dim: 8, epochs: 3, lr: 0.5, seed: 4 });
    const bytes = exportFastTextOnnx(model, meta);
    expect(bytes.byteLength).toBeGreaterThan(countStoredRows(model) * 8 * 4);
    expect(await maxDifference(model, bytes, evalBatch)).toBeLessThan(1e-5);
  });

  it('refuses corrupt or foreign bytes with MODEL_ERROR', () => {
    expect(() => parseModelMetadata(new Uint8Array([0xff, 0xff, 0xff, 0x01, 0x02]))).toThrow(expect.objectContaining({ code: 'MODEL_ERROR' }));
    expect(() => parseModelMetadata(new TextEncoder().encode('not a model at all, just text'))).toThrow(expect.objectContaining({ code: 'MODEL_ERROR' }));
    expect(() => parseModelMetadata(new Uint8Array(0))).toThrow(expect.objectContaining({ code: 'MODEL_ERROR' }));
  });
});
