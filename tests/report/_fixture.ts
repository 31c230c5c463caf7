/**
 * A synthetic, schema-valid report for the report tests: 2 backbones × 3 heads (one cell failed), throughput on
 * two backends, loss and eval curves.
 * @module
 */
import type { Cell, Report } from "../../src/report/schema.ts";

const hash = (i: number) => i.toString(16).padStart(2, "0").repeat(32);

/** A cell with deterministic made-up metrics; `accuracy` null makes it a failed cell. */
export function syntheticCell(index: number, backbone: string, head: string, accuracy: number | null): Cell {
  return {
    index,
    backbone,
    head,
    backend: "wasm",
    threads: 2,
    steps: 200,
    wallSeconds: 31.5 + index,
    imagesPerSecond: 410.25 - index,
    metrics: accuracy === null ? null : {
      accuracyMean: accuracy,
      accuracyStd: 0.012,
      threshold: 1.234,
      auc: 0.95,
      tarAtFar: [{ far: 0.001, tar: 0.5 }, { far: 0.01, tar: 0.7 }],
      rank1: 0.8,
    },
    lossCurve: Array.from({ length: 5 }, (_, s) => ({ step: 40 * s, loss: 9 - s - index / 10 })),
    evalCurve: accuracy === null ? [] : [{ step: 100, accuracy: accuracy - 0.1 }, { step: 200, accuracy }],
    weightHash: accuracy === null ? null : hash(index),
    error: accuracy === null ? "Error: loss became NaN at step 17 <script>" : null,
  };
}

/** The synthetic report. */
export function syntheticReport(): Report {
  const cells: Cell[] = [];
  const accuracies = [0.91, 0.88, 0.85, 0.83, null, 0.8];
  for (const backbone of ["ir_se_50_tiny", "mobilefacenet_tiny"]) {
    for (const head of ["arcface", "cosface", "softmax"]) {
      cells.push(syntheticCell(cells.length, backbone, head, accuracies[cells.length]));
    }
  }
  return {
    version: 1,
    run: {
      id: "2026-11-29T04-00-00Z-quick",
      preset: "quick",
      seed: 1337,
      createdAt: "2026-11-29T04:00:00Z",
      command: "deno task bench",
      shards: [],
    },
    environment: {
      deno: "2.9.6",
      v8: "14.0",
      typescript: "5.9",
      os: "linux",
      arch: "x86_64",
      cpu: { model: "Test CPU", cores: 2 },
      gitCommit: "a2304f0",
      gitDirty: false,
      backends: [{ name: "wasm", threads: 2, details: { simd: true } }],
      dataset: { id: "synthface-ci", hash: "ab".repeat(32), trainImages: 2000, trainIdentities: 100, evalPairs: 600 },
    },
    cells,
    throughput: [
      {
        backend: "wasm",
        threads: 2,
        backbone: "ir_50",
        batchSize: 8,
        trainImagesPerSecond: 3.5,
        inferenceImagesPerSecond: 11.25,
        peakBytes: 734003200,
        error: null,
      },
      {
        backend: "webgpu",
        threads: 1,
        backbone: "ir_50",
        batchSize: 8,
        trainImagesPerSecond: null,
        inferenceImagesPerSecond: null,
        peakBytes: null,
        error: "no WebGPU adapter",
      },
    ],
  };
}
