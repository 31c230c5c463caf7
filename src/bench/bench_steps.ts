/**
 * The steps that throughput and profiling time: one training step of a backbone (forward, ArcFace head over 1,000
 * classes, softmax cross-entropy, backward, the preset's optimizer) and one eval-mode forward, on fixed seeded random input.
 * @module
 */
import type { Backend } from "../core/backend.ts";
import { Rng } from "../core/rng.ts";
import { scopeAsync } from "../core/scope.ts";
import { noGrad } from "../core/tape.ts";
import { backward } from "../ops/backward.ts";
import { headObjective } from "../models/heads/head.ts";
import { backbones, heads } from "../models/mod.ts";
import { reduceMean, softmaxCrossEntropy, tensor } from "../ops/mod.ts";
import { createOptimizer, type OptimizerOptions } from "../train/optimizer_config.ts";

/** Classes of the head used for training steps (the loss layer's cost is negligible at this size). */
export const BENCH_CLASSES = 1000;

/** The two timed steps of one backbone; `train` leaves the backbone in training mode, `infer` in eval mode. */
export interface BenchSteps {
  /** one optimizer step on the batch, device synced */
  train(): Promise<void>;
  /** one eval-mode forward of the batch, device synced */
  infer(): Promise<void>;
  /** frees the weights, optimizer state and batch */
  dispose(): void;
}

/** Builds backbone `name` (at its preset size, weights not initialised) and its ArcFace head on `backend`. */
export function benchSteps(
  backend: Backend,
  name: string,
  options: { seed: number; batchSize: number; optimizer: OptimizerOptions },
): BenchSteps {
  const ctx = { backend, rng: new Rng(options.seed, "init"), initialize: false };
  const backbone = backbones.get(name).create({}, ctx);
  const head = heads.get("arcface").create({ embeddingSize: backbone.embeddingSize, numClasses: BENCH_CLASSES }, ctx);
  const rng = new Rng(options.seed, "throughput-input");
  const [n, size] = [options.batchSize, backbone.inputSize];
  const x = tensor(backend, Float32Array.from({ length: n * size * size * 3 }, () => rng.uniform(-1, 1)), [
    n,
    size,
    size,
    3,
  ]);
  const labels = tensor(backend, Int32Array.from({ length: n }, () => rng.int(BENCH_CLASSES)), [n], "i32");
  const optimizer = createOptimizer([...backbone.parameters(), ...head.parameters()], options.optimizer);
  return {
    train: () =>
      scopeAsync(async () => {
        backbone.train(true);
        optimizer.zeroGrad();
        const out = head.forward(backbone.forward(x), labels);
        backward(headObjective(out, (logits) => reduceMean(softmaxCrossEntropy(logits, labels))));
        optimizer.step(0.01);
        await backend.sync();
      }),
    infer: () =>
      scopeAsync(async () => {
        backbone.train(false);
        noGrad(() => backbone.forward(x));
        await backend.sync();
      }),
    dispose: () => {
      optimizer.dispose();
      for (const m of [backbone, head, x, labels]) m.dispose();
    },
  };
}
