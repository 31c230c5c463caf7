/**
 * Parity of an exported ONNX model with the engine: the same inputs through onnxruntime-web (WASM execution
 * provider) and through the model's own eval-mode forward, compared by the largest absolute difference relative to
 * the largest output magnitude. Shared by the export test (tiny presets) and `benchmarks/onnx_parity.ts` (full
 * presets).
 * @module
 */
import type { Rng } from "../../core/rng.ts";
import { scope } from "../../core/scope.ts";
import { noGrad } from "../../core/tape.ts";
import { copyInto, tensor } from "../../ops/mod.ts";
import type { Backbone } from "../backbones/backbone.ts";
import { openOnnxModel, runOnnxBatch } from "./runtime.ts";

/** The agreement asked of an export: max |onnx − engine| ≤ this × max |engine output|. */
export const ONNX_PARITY_TOLERANCE = 1e-4;

/** Outcome of one parity run. */
export interface OnnxParity {
  /** images in the batch */
  batch: number;
  /** shape onnxruntime-web returned */
  onnxShape: readonly number[];
  /** largest |onnx − engine| over the batch's outputs */
  maxAbsDiff: number;
  /** largest |engine output| (the output scale) */
  maxAbs: number;
  /** maxAbsDiff / maxAbs */
  relative: number;
}

/**
 * Gives every BatchNorm non-trivial running statistics (mean in [−0.1, 0.1], variance in [0.5, 1.5]) and every other
 * per-channel vector (BatchNorm affine, PReLU slopes, biases) a spread of ±0.1 around its value, drawn from `rng`,
 * so that parity exercises them and not only their identity defaults.
 */
export async function perturbState(model: Backbone, rng: Rng): Promise<void> {
  for (const [path, target] of model.state()) {
    if (target.dtype !== "f32" || target.shape.length !== 1) continue;
    const current = await target.read();
    const host = path.endsWith("running_var")
      ? current.map(() => rng.uniform(0.5, 1.5))
      : path.endsWith("running_mean")
      ? current.map(() => rng.uniform(-0.1, 0.1))
      : current.map((v) => v + rng.uniform(-0.1, 0.1));
    scope(() => copyInto(target, tensor(target.backend, host, target.shape)));
  }
}

/** NHWC [N, S, S, 3] host values → NCHW. */
export function nhwcToNchw(data: Float32Array, [n, h, w, c]: readonly number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let k = 0; k < c; k++) out[((b * c + k) * h + y) * w + x] = data[((b * h + y) * w + x) * c + k];
      }
    }
  }
  return out;
}

/** Runs an exported model once in onnxruntime-web (WASM EP) on NCHW `input`; returns the output and its dims. */
export async function runOnnx(
  model: Uint8Array,
  input: Float32Array,
  dims: readonly number[],
): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const opened = await openOnnxModel(model, "exported model");
  try {
    const { data, dims: outputDims } = await runOnnxBatch(opened, input, dims);
    return { data, dims: outputDims };
  } finally {
    await opened.session.release();
  }
}

/**
 * Runs `batch` images drawn from `rng` (uniform in [−1, 1], the engine's normalised input range) through the
 * exported `onnx` model and through `model`'s eval-mode forward, and compares the outputs.
 */
export async function onnxParity(onnx: Uint8Array, model: Backbone, batch: number, rng: Rng): Promise<OnnxParity> {
  const size = model.inputSize;
  const shape = [batch, size, size, 3];
  const host = Float32Array.from({ length: batch * size * size * 3 }, () => rng.uniform(-1, 1));
  model.eval();
  const backend = model.state().values().next().value!.backend;
  const output = noGrad(() => scope(() => model.forward(tensor(backend, host, shape))));
  const expected = Float32Array.from(await output.read());
  output.dispose();
  const { data, dims } = await runOnnx(onnx, nhwcToNchw(host, shape), [batch, 3, size, size]);
  if (data.length !== expected.length) {
    throw new Error(`ONNX output has ${data.length} values (dims [${dims}]), the engine gives ${expected.length}`);
  }
  let maxAbsDiff = 0, maxAbs = 0;
  for (let i = 0; i < data.length; i++) {
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs(data[i] - expected[i]));
    maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
  }
  return { batch, onnxShape: dims, maxAbsDiff, maxAbs, relative: maxAbsDiff / maxAbs };
}
