// ONNX graph builder for the fastText-style classifier, and the reader of its metadata. The exported
// file runs in onnxruntime-web (browser) and onnxruntime-node (CLI) and carries everything needed to
// use it elsewhere: labels, featurizer settings, metrics, creation time and a training-data fingerprint.
import onnxProto from 'onnx-proto';
import { StocktakeError } from '../src/core/errors.ts';
import type { FeatureBatch, FeaturizerSettings } from '../src/core/tagging/featurize.ts';
import type { FastTextModel } from '../src/core/tagging/fasttext-model.ts';
import { encodeFloat16Exact } from '../src/core/tagging/float16.ts';

const { onnx } = onnxProto;

/** Metadata written into (and read back from) `ModelProto.metadata_props`. */
export interface FastTextOnnxMetadata {
  /** Class names, index = output column. */
  labels: string[];
  featurizer: FeaturizerSettings;
  /** Out-of-fold metrics (free-form JSON, e.g. `{ accuracy, macroF1, folds }`). */
  metrics: Record<string, unknown>;
  /** ISO time the model was trained. */
  created: string;
  /** Fingerprint of the training rows (e.g. SHA-256 hex of texts and labels). */
  dataFingerprint: string;
}

/** Format tag in the metadata, so a reader can refuse files that are not ours. */
export const FASTTEXT_ONNX_FORMAT = 'stocktake-fasttext/1';
const OPSET = 13;
const META_KEYS = { format: 'stocktake.format', labels: 'stocktake.labels', featurizer: 'stocktake.featurizer', metrics: 'stocktake.metrics', created: 'stocktake.created', fingerprint: 'stocktake.data_fingerprint' } as const;

function floatTensor(name: string, dims: number[], data: Float32Array) {
  // raw_data is little-endian, as ONNX requires; every platform we run on is little-endian.
  return onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
}

function float16Tensor(name: string, dims: number[], bits: Uint16Array) {
  return onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT16, rawData: new Uint8Array(bits.buffer, bits.byteOffset, bits.byteLength) });
}

function int64Tensor(name: string, values: number[]) {
  const data = BigInt64Array.from(values, (v) => BigInt(v));
  return onnx.TensorProto.create({ name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, rawData: new Uint8Array(data.buffer) });
}

/** An int32 tensor; `dims` [] makes a scalar (Range wants scalars). */
function int32Tensor(name: string, dims: number[], values: Int32Array) {
  return onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.INT32, rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength) });
}

function valueInfo(name: string, elemType: number, dims: (string | number)[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  });
}

function node(opType: string, input: string[], output: string[], attrs: Record<string, number> = {}, tensorAttrs: Record<string, InstanceType<typeof onnx.TensorProto>> = {}) {
  return onnx.NodeProto.create({
    opType,
    input,
    output,
    name: output[0],
    attribute: [
      ...Object.entries(attrs).map(([name, i]) => onnx.AttributeProto.create({ name, i, type: onnx.AttributeProto.AttributeType.INT })),
      ...Object.entries(tensorAttrs).map(([name, t]) => onnx.AttributeProto.create({ name, t, type: onnx.AttributeProto.AttributeType.TENSOR })),
    ],
  });
}

/** How the embeddings are written: only the rows in use (default), or the whole bucket table in float32. */
export interface ExportOptions {
  storage?: 'compact' | 'dense';
}

/**
 * The embedding rows a compact file stores: the ids whose row is not all zero, in id order, and
 * those rows packed after one leading zero row (row 0 stands for every id not stored).
 */
function packRows(model: FastTextModel): { kept: Int32Array; packed: Float32Array } {
  const { buckets, dim: D, input } = model;
  const kept: number[] = [];
  for (let id = 0; id < buckets; id++) {
    for (let d = id * D; d < (id + 1) * D; d++) {
      if (input[d] !== 0) {
        kept.push(id);
        break;
      }
    }
  }
  // ScatterElements needs at least one index: an all-zero model keeps id 0's (zero) row.
  if (kept.length === 0) kept.push(0);
  const packed = new Float32Array((kept.length + 1) * D);
  kept.forEach((id, i) => packed.set(input.subarray(id * D, (id + 1) * D), (i + 1) * D));
  return { kept: Int32Array.from(kept), packed };
}

/**
 * Initializers and nodes that turn `ids` into the `embeddings`/`embedding_rows` pair Gather reads.
 * Dense: the bucket table itself. Compact: a bucket → row remap built inside the graph from the
 * stored ids (ConstantOfShape + Range + ScatterElements, all constant, so onnxruntime folds them
 * once at load), then the packed rows, float16 when every value is exactly a float16 (cast once).
 */
function embeddingLookup(model: FastTextModel, storage: 'compact' | 'dense') {
  const { buckets, dim: D } = model;
  if (storage === 'dense') {
    return { initializer: [floatTensor('embeddings', [buckets, D], model.input)], nodes: [], rowIds: 'ids' };
  }
  const { kept, packed } = packRows(model);
  const half = encodeFloat16Exact(packed);
  const rows = kept.length + 1;
  const initializer = [
    int32Tensor('stored_ids', [kept.length], kept),
    int64Tensor('bucket_count', [buckets]),
    int32Tensor('range_start', [], Int32Array.of(1)),
    int32Tensor('range_limit', [], Int32Array.of(rows)),
    int32Tensor('range_step', [], Int32Array.of(1)),
    half ? float16Tensor('packed_embeddings', [rows, D], half) : floatTensor('embeddings', [rows, D], packed),
  ];
  const zero = int32Tensor('', [1], Int32Array.of(0));
  const nodes = [
    node('ConstantOfShape', ['bucket_count'], ['remap_zeros'], {}, { value: zero }),
    node('Range', ['range_start', 'range_limit', 'range_step'], ['row_numbers']),
    node('ScatterElements', ['remap_zeros', 'stored_ids', 'row_numbers'], ['remap'], { axis: 0 }),
    node('Gather', ['remap', 'ids'], ['rows'], { axis: 0 }),
    ...(half ? [node('Cast', ['packed_embeddings'], ['embeddings'], { to: onnx.TensorProto.DataType.FLOAT })] : []),
  ];
  return { initializer, nodes, rowIds: 'rows' };
}

/**
 * Builds the `.onnx` file of a trained model. Inputs: `ids` int64 [batch, length] (hashed feature
 * ids in [0, buckets), padded with any valid id) and `mask` float [batch, length] (1 for real ids,
 * 0 for padding). Output: `probs` float [batch, classes]. The graph is exactly the TypeScript
 * model's mean pooling: (remap →) Gather → ×mask → ReduceSum / max(ΣMask, 1) → MatMul → Add → Softmax.
 * By default only the embedding rows in use are stored (see `embeddingLookup`): the file is a few MB
 * instead of buckets × dim × 4 bytes, and its inputs and outputs are the same.
 */
export function exportFastTextOnnx(model: FastTextModel, meta: FastTextOnnxMetadata, options: ExportOptions = {}): Uint8Array {
  const { dim: D, numClasses: C } = model;
  if (meta.labels.length !== C) throw new StocktakeError('BAD_ARGUMENT', `Model has ${C} classes but ${meta.labels.length} labels were given`);
  // MatMul wants [D, C]; the model stores output as [C, D].
  const weightT = new Float32Array(D * C);
  for (let c = 0; c < C; c++) for (let d = 0; d < D; d++) weightT[d * C + c] = model.output[c * D + d];
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const lookup = embeddingLookup(model, options.storage ?? 'compact');
  const graph = onnx.GraphProto.create({
    name: 'stocktake_fasttext',
    initializer: [
      ...lookup.initializer,
      floatTensor('weight', [D, C], weightT),
      floatTensor('bias', [C], model.bias),
      floatTensor('one', [1], new Float32Array([1])),
      int64Tensor('axis1', [1]),
      int64Tensor('axis2', [2]),
    ],
    input: [valueInfo('ids', onnx.TensorProto.DataType.INT64, ['batch', 'length']), valueInfo('mask', FLOAT, ['batch', 'length'])],
    output: [valueInfo('probs', FLOAT, ['batch', C])],
    node: [
      ...lookup.nodes,
      node('Gather', ['embeddings', lookup.rowIds], ['vectors'], { axis: 0 }),
      node('Unsqueeze', ['mask', 'axis2'], ['mask3']),
      node('Mul', ['vectors', 'mask3'], ['masked']),
      node('ReduceSum', ['masked', 'axis1'], ['summed'], { keepdims: 0 }),
      node('ReduceSum', ['mask', 'axis1'], ['count'], { keepdims: 1 }),
      // An empty text has count 0: divide by 1 instead, giving a zero vector as the TS model does.
      node('Max', ['count', 'one'], ['denominator']),
      node('Div', ['summed', 'denominator'], ['hidden']),
      node('MatMul', ['hidden', 'weight'], ['projected']),
      node('Add', ['projected', 'bias'], ['logits']),
      node('Softmax', ['logits'], ['probs'], { axis: -1 }),
    ],
  });
  const props: Record<string, string> = {
    [META_KEYS.format]: FASTTEXT_ONNX_FORMAT,
    [META_KEYS.labels]: JSON.stringify(meta.labels),
    [META_KEYS.featurizer]: JSON.stringify(meta.featurizer),
    [META_KEYS.metrics]: JSON.stringify(meta.metrics),
    [META_KEYS.created]: meta.created,
    [META_KEYS.fingerprint]: meta.dataFingerprint,
  };
  const proto = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'stocktake',
    producerVersion: '0.1.0',
    domain: 'stocktake',
    modelVersion: 1,
    docString: 'fastText-style text classifier: hashed n-gram embedding bag, mean, linear, softmax',
    opsetImport: [{ domain: '', version: OPSET }],
    graph,
    metadataProps: Object.entries(props).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(proto).finish();
}

/**
 * Reads the metadata of an exported model. Throws StocktakeError 'MODEL_ERROR' when the bytes are
 * not an ONNX model, or not one written by `exportFastTextOnnx`.
 */
export function parseModelMetadata(bytes: Uint8Array): FastTextOnnxMetadata {
  let proto: InstanceType<typeof onnx.ModelProto>;
  try {
    proto = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new StocktakeError('MODEL_ERROR', `The stored model is corrupt (not a readable ONNX file: ${(e as Error).message})`);
  }
  const props = new Map((proto.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? '']));
  if (props.get(META_KEYS.format) !== FASTTEXT_ONNX_FORMAT) {
    throw new StocktakeError('MODEL_ERROR', 'The stored model is not a Stocktake text classifier (format tag missing)');
  }
  try {
    const labels = JSON.parse(props.get(META_KEYS.labels) ?? '') as unknown;
    const featurizer = JSON.parse(props.get(META_KEYS.featurizer) ?? '') as FeaturizerSettings;
    if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string')) throw new Error('labels are not a list of strings');
    if (featurizer?.kind !== 'stocktake-hashed-ngrams') throw new Error('unknown featurizer');
    return {
      labels: labels as string[],
      featurizer,
      metrics: JSON.parse(props.get(META_KEYS.metrics) ?? '{}') as Record<string, unknown>,
      created: props.get(META_KEYS.created) ?? '',
      dataFingerprint: props.get(META_KEYS.fingerprint) ?? '',
    };
  } catch (e) {
    throw new StocktakeError('MODEL_ERROR', `The stored model's metadata is corrupt: ${(e as Error).message}`);
  }
}

/** Inputs for the exported graph from a feature batch: ids padded with 0 under a 0 mask. */
export function buildOnnxFeeds(batch: FeatureBatch): { ids: BigInt64Array; mask: Float32Array; dims: [number, number] } {
  const rows = batch.offsets.length - 1;
  let length = 1; // ONNX shapes cannot be 0 wide everywhere; one padded column keeps empty rows valid.
  for (let r = 0; r < rows; r++) length = Math.max(length, batch.offsets[r + 1] - batch.offsets[r]);
  const ids = new BigInt64Array(rows * length);
  const mask = new Float32Array(rows * length);
  for (let r = 0; r < rows; r++) {
    for (let j = batch.offsets[r], k = 0; j < batch.offsets[r + 1]; j++, k++) {
      ids[r * length + k] = BigInt(batch.ids[j]);
      mask[r * length + k] = 1;
    }
  }
  return { ids, mask, dims: [rows, length] };
}
