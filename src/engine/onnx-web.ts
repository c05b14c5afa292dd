// onnxruntime-web behind one small door: the only module that imports it. Sessions prefer WebGPU when
// the browser gives an adapter and fall back to WASM, and say which they use and why.
import * as ort from 'onnxruntime-web/webgpu';

export type OnnxDevice = 'webgpu' | 'wasm';

export interface OnnxSession {
  device: OnnxDevice;
  /** Why this device: e.g. "WebGPU adapter: swiftshader" or "no WebGPU adapter". */
  reason: string;
  /** Runs the graph on int64/float32 inputs and returns named float32 outputs. */
  run(feeds: Record<string, { type: 'int64' | 'float32'; data: BigInt64Array | Float32Array; dims: number[] }>): Promise<Record<string, Float32Array>>;
  release(): Promise<void>;
}

/** Reports whether WebGPU can be used here, and why not when it cannot. */
export async function probeWebGpu(): Promise<{ ok: boolean; reason: string }> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return { ok: false, reason: 'this browser has no WebGPU (navigator.gpu is missing)' };
  try {
    const adapter = (await gpu.requestAdapter()) as { info?: { vendor?: string; architecture?: string; description?: string } } | null;
    if (!adapter) return { ok: false, reason: 'navigator.gpu.requestAdapter() gave no adapter' };
    const info = adapter.info;
    const name = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'unnamed';
    return { ok: true, reason: `WebGPU adapter: ${name}` };
  } catch (e) {
    return { ok: false, reason: `WebGPU adapter request failed: ${(e as Error).message}` };
  }
}

/** Creates a session for `model`, on WebGPU when available (unless `prefer` is 'wasm'), else WASM. */
export async function createOnnxSession(model: Uint8Array, prefer: OnnxDevice = 'webgpu'): Promise<OnnxSession> {
  ort.env.wasm.numThreads = globalThis.crossOriginIsolated ? Math.min(2, navigator.hardwareConcurrency || 1) : 1;
  let device: OnnxDevice = 'wasm';
  let reason = 'WASM requested';
  let session: ort.InferenceSession | null = null;
  if (prefer === 'webgpu') {
    const probe = await probeWebGpu();
    reason = probe.reason;
    if (probe.ok) {
      try {
        session = await ort.InferenceSession.create(model, { executionProviders: ['webgpu'] });
        device = 'webgpu';
      } catch (e) {
        reason = `WebGPU session failed (${(e as Error).message.split('\n')[0]}); using WASM`;
      }
    }
  }
  if (!session) session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
  const s = session;
  return {
    device,
    reason,
    async run(feeds) {
      const inputs: Record<string, ort.Tensor> = {};
      for (const [name, f] of Object.entries(feeds)) inputs[name] = new ort.Tensor(f.type, f.data, f.dims);
      const out = await s.run(inputs);
      const result: Record<string, Float32Array> = {};
      for (const [name, t] of Object.entries(out)) result[name] = (await t.getData()) as Float32Array;
      return result;
    },
    release: () => s.release(),
  };
}
