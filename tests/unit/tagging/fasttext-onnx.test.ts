import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildOnnxFeeds, exportFastTextOnnx, parseModelMetadata } from '../../../models/fasttext-onnx.ts';
import { DEFAULT_FEATURIZER, featurizeBatch } from '../../../src/core/tagging/featurize.ts';
import { predictBatch, trainFastText } from '../../../src/core/tagging/fasttext-model.ts';
import { readCnReviews, sampleSeeded } from './shared-data.ts';

const featurizer = { ...DEFAULT_FEATURIZER, buckets: 1 << 16 };
const reviews = sampleSeeded(readCnReviews(), 600, 5);
const cats = [...new Set(reviews.map((r) => r.cat))].sort();

describe('exportFastTextOnnx', () => {
  it('gives the TypeScript model’s probabilities in onnxruntime-node to 1e-5, metadata included', async () => {
    // Real reviews plus the awkward cases: empty text, emoji only, HTML, a long one.
    const texts = [...reviews.map((r) => r.review), '', '😀😀', '<b>手机</b>&amp;电脑', '好'.repeat(3000)];
    const batch = featurizeBatch(texts.slice(0, reviews.length), featurizer);
    const y = Int32Array.from(reviews, (r) => cats.indexOf(r.cat));
    const model = await trainFastText(batch, y, { numClasses: cats.length, buckets: featurizer.buckets, dim: 16, epochs: 5, lr: 0.5, seed: 2 });
    const meta = { labels: cats, featurizer, metrics: { accuracy: 0.5, macroF1: 0.4 }, created: '2026-11-23T00:00:00.000Z', dataFingerprint: 'abc123' };
    const bytes = exportFastTextOnnx(model, meta);
    expect(parseModelMetadata(bytes)).toEqual(meta);

    const evalBatch = featurizeBatch(texts.slice(-104), featurizer);
    const expected = predictBatch(model, evalBatch);
    const session = await ort.InferenceSession.create(bytes);
    const feeds = buildOnnxFeeds(evalBatch);
    const out = await session.run({
      ids: new ort.Tensor('int64', feeds.ids, feeds.dims),
      mask: new ort.Tensor('float32', feeds.mask, feeds.dims),
    });
    const probs = out.probs.data as Float32Array;
    expect(out.probs.dims).toEqual([104, cats.length]);
    let maxDiff = 0;
    for (let i = 0; i < expected.length; i++) maxDiff = Math.max(maxDiff, Math.abs(probs[i] - expected[i]));
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('refuses corrupt or foreign bytes with MODEL_ERROR', () => {
    expect(() => parseModelMetadata(new Uint8Array([0xff, 0xff, 0xff, 0x01, 0x02]))).toThrow(expect.objectContaining({ code: 'MODEL_ERROR' }));
    expect(() => parseModelMetadata(new TextEncoder().encode('not a model at all, just text'))).toThrow(expect.objectContaining({ code: 'MODEL_ERROR' }));
    expect(() => parseModelMetadata(new Uint8Array(0))).toThrow(expect.objectContaining({ code: 'MODEL_ERROR' }));
  });
});
