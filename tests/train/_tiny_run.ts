/**
 * A tiny, fast training run for resume tests: MobileFaceNet-tiny + ArcFace (or another head) on 16 random 32×32 faces
 * with the real loader (no worker; the P×K sampler with K = 2 for a head that needs it), 10 iterations, checkpoints
 * every 2, resumed from the store's checkpoint when there is one.
 */
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import type { Backend } from "../../src/core/backend.ts";
import { Rng } from "../../src/core/rng.ts";
import { loaderFor, type LoaderState } from "../../src/data/loader.ts";
import { backbones, heads } from "../../src/models/mod.ts";
import type { FileStore } from "../../src/train/checkpoint.ts";
import { type TrainConfig, Trainer, type TrainerSetup } from "../../src/train/trainer.ts";

/** The run's default config. */
export const TINY_CONFIG: TrainConfig = {
  steps: 10,
  schedule: { kind: "multistep", lr: 0.05, warmupSteps: 2, milestones: [6], gamma: 0.1 },
  optimizer: { momentum: 0.9, nesterov: false, weightDecay: 5e-4 },
  clipGradNorm: null,
  loss: { kind: "cross_entropy", smoothing: 0.1 },
  evalEvery: 1000,
  checkpointEvery: 2,
};

/** What a run reports: the step it resumed at (null: fresh start) and the final weight hash. */
export interface TinyRunResult {
  resumedAt: number | null;
  weightHash: string;
}

/**
 * Overrides of a tiny run: config fields, trainer options, where the loader starts (default: the saved one), the
 * head (default ArcFace) and the backend (default: a new reference backend).
 */
export type TinyRunSetup =
  & {
    config?: Partial<TrainConfig>;
    start?: LoaderState;
    head?: { name: string; options?: Record<string, unknown> };
    backend?: Backend;
  }
  & Pick<TrainerSetup<unknown>, "onStep" | "log" | "allowConfigChange" | "auxiliaryLoss">;

/** Runs the tiny training against `store` (resuming from it); `setup` overrides config and trainer options. */
export async function tinyRun(store: FileStore, setup: TinyRunSetup = {}): Promise<TinyRunResult> {
  const {
    config,
    start = (await Trainer.savedDataPosition(store)) as LoaderState | null,
    head: headSpec = { name: "arcface" },
    backend = new ReferenceBackend(),
    ...options
  } = setup;
  const seed = 11;
  const data = new Rng(seed, "faces");
  const set = {
    images: Uint8Array.from({ length: 16 * 32 * 32 * 3 }, () => data.int(256)),
    labels: Int32Array.from({ length: 16 }, (_, i) => i % 4),
    count: 16,
    height: 32,
    width: 32,
    numClasses: 4,
  };
  const dropout = new Rng(seed, "dropout");
  const ctx = { backend, rng: new Rng(seed, "init"), dropoutRng: dropout };
  const backbone = backbones.get("mobilefacenet_tiny").create({ inputSize: 32, embeddingSize: 32 }, ctx);
  const headEntry = heads.get(headSpec.name);
  const head = headEntry.create({ embeddingSize: 32, numClasses: 4, ...headSpec.options }, ctx);
  const sampler = headEntry.sampler ? { sampler: headEntry.sampler, imagesPerIdentity: 2 } : {};
  const loader = loaderFor(set, 4, seed, { prefetch: "none", ...sampler, ...(start ? { start } : {}) });
  const trainer = new Trainer({
    backend,
    backbone,
    head,
    data: loader,
    streams: [dropout],
    store,
    config: { ...TINY_CONFIG, ...config },
    ...options,
  });
  try {
    const resumedAt = (await trainer.resume()) ? trainer.step : null;
    return { resumedAt, weightHash: (await trainer.run()).weightHash };
  } finally {
    loader.close();
    trainer.dispose();
  }
}
