/**
 * A small WebGPU figure that a page can measure in about a minute even on a software adapter (Chromium's
 * SwiftShader): the eval-mode embeddings of one backbone with the same seeded weights (BatchNorm statistics
 * perturbed, `perturbState`) and inputs on WebGPU and on WASM, compared by max |Δ| and max per-image
 * ‖Δ‖ / ‖WASM‖ (`embeddingDifference`, as `compare-backends` compares embeddings), and that backbone's throughput
 * row on WebGPU (`measureThroughputRow`, the command line's measurement) for a few steps of a small batch.
 * @module
 */
import { type BackendOptions, createBackend } from "../backends/registry.ts";
import { Rng } from "../core/rng.ts";
import { noGrad } from "../core/tape.ts";
import { embeddingDifference } from "../bench/backend_comparison.ts";
import { measureThroughputRow } from "../bench/run_throughput.ts";
import { backbones } from "../models/mod.ts";
import { perturbState } from "../models/onnx/parity.ts";
import { tensor } from "../ops/mod.ts";
import type { Throughput } from "../report/schema.ts";
import type { WebGpuCheckChoice } from "./messages.ts";
import { throughputPreset } from "./page_run.ts";

/** The outcome of {@link checkWebGpu}. */
export interface WebGpuCheck {
  /** the backbone's throughput row on WebGPU */
  throughput: Throughput;
  /** WebGPU against WASM on the same weights and images */
  parity: {
    backbone: string;
    images: number;
    /** embedding size */
    dim: number;
    /** max |webgpu − wasm| over all values */
    maxAbs: number;
    /** max over images of ‖webgpu − wasm‖ / ‖wasm‖ */
    maxRelative: number;
    /** max |wasm| (the scale `maxAbs` is read against) */
    maxMagnitude: number;
  };
}

/** Seed of the parity step's weights (streams "init" and "perturb") and images (stream "parity-input"). */
const PARITY_SEED = 1337;

/** Eval-mode embeddings of `choice.parityImages` seeded random images by the seeded `choice.backbone` on `backendName`. */
async function embeddings(backendName: string, choice: WebGpuCheckChoice, options: BackendOptions) {
  const backend = await createBackend(backendName, options);
  try {
    const model = backbones.get(choice.backbone).create({}, { backend, rng: new Rng(PARITY_SEED, "init") });
    // fresh BatchNorm statistics shrink eval-mode outputs towards 0 (MobileFaceNet-tiny: max |value| 3e-5), where
    // any two backends agree; perturbed ones keep them of order 0.1–1, as the ONNX export's parity does
    await perturbState(model, new Rng(PARITY_SEED, "perturb"));
    const rng = new Rng(PARITY_SEED, "parity-input");
    const [n, size] = [choice.parityImages, model.inputSize];
    const x = tensor(backend, Float32Array.from({ length: n * size * size * 3 }, () => rng.uniform(-1, 1)), [
      n,
      size,
      size,
      3,
    ]);
    model.train(false);
    const values = Float32Array.from(await noGrad(() => model.forward(x)).read());
    return { values, dim: model.embeddingSize };
  } finally {
    backend.destroy();
  }
}

/** Compares the WebGPU embeddings of `choice.backbone` with the WASM ones, then measures its WebGPU throughput. */
export async function checkWebGpu(
  choice: WebGpuCheckChoice,
  wasmOptions: BackendOptions,
  log: (line: string) => void,
): Promise<WebGpuCheck> {
  const start = performance.now();
  const seconds = () => ((performance.now() - start) / 1000).toFixed(1);
  const wasm = await embeddings("wasm", choice, wasmOptions);
  const webgpu = await embeddings("webgpu", choice, {});
  const { maxAbs, maxRelative } = embeddingDifference(webgpu.values, wasm.values, wasm.dim);
  const maxMagnitude = wasm.values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const parity = {
    backbone: choice.backbone,
    images: choice.parityImages,
    dim: wasm.dim,
    maxAbs,
    maxRelative,
    maxMagnitude,
  };
  log(
    `WebGPU vs WASM, ${choice.backbone} embeddings of ${choice.parityImages} images: max |Δ| ${
      maxAbs.toExponential(2)
    } ` +
      `(max |value| ${maxMagnitude.toFixed(3)}), max ‖Δ‖/‖WASM‖ ${maxRelative.toExponential(2)} (${seconds()} s)`,
  );
  const preset = await throughputPreset({ ...choice, backbones: [choice.backbone] }, "webgpu");
  const throughput = await measureThroughputRow("webgpu", choice.backbone, preset, {});
  log(
    throughput.error
      ? `WebGPU throughput ${choice.backbone}: FAILED ${throughput.error}`
      : `WebGPU throughput ${choice.backbone} batch ${throughput.batchSize}: train ` +
        `${throughput.trainImagesPerSecond!.toFixed(2)} img/s, inference ${
          throughput.inferenceImagesPerSecond!.toFixed(2)
        } img/s (${seconds()} s in all)`,
  );
  return { throughput, parity };
}
