/**
 * What a bench training run is made of, shared by the cells and the pre-training stage: the loader over a
 * training set with the preset's data handling, and the trainer's configuration from an epoch-based plan (batch
 * size, epochs, schedule) and the preset's optimizer, clipping and loss.
 * @module
 */
import type { TrainingSet } from "../data/dataset.ts";
import { type Loader, loaderFor, type LoaderState } from "../data/loader.ts";
import { heads } from "../models/mod.ts";
import type { FileStore } from "../train/checkpoint.ts";
import { type TrainConfig, Trainer } from "../train/trainer.ts";
import { augmentOf, type EpochSchedule, type Preset, toIterationSchedule } from "./presets.ts";

/**
 * The preset as a cell with `head` trains on it: a head whose registry entry names a sampler (triplet: "pk") gets
 * that sampler instead of the preset's `data.sampler`.
 */
export function withHeadSampler<P extends Pick<Preset, "data">>(preset: P, head: string): P {
  const needed = heads.get(head).sampler;
  return needed && needed !== preset.data.sampler ? { ...preset, data: { ...preset.data, sampler: needed } } : preset;
}

/** Batch size, length and schedule of one training run. */
export interface EpochPlan {
  /** images per batch */
  batchSize: number;
  /** passes over the training set */
  epochs: number;
  /** learning rate schedule in epochs */
  schedule: EpochSchedule;
}

/** A loader and the trainer configuration of one run. */
export interface TrainingRun {
  /** the batches (close it when done) */
  loader: Loader;
  /** total iterations */
  steps: number;
  /** iterations per epoch */
  stepsPerEpoch: number;
  /**
   * the trainer's configuration; evaluation and checkpoints every `every` epochs (and after the last step), the
   * checkpoint interval rounded to whole iterations
   */
  config(every: { evalEpochs: number; checkpointEpochs: number }): TrainConfig;
}

/** Where the newest checkpoint in `store` continues the data order (null without a store or a checkpoint). */
export async function savedStart(store: FileStore | undefined): Promise<LoaderState | null> {
  return store ? ((await Trainer.savedDataPosition(store)) as LoaderState | null) : null;
}

/**
 * The loader over `set` (in memory, or streamed from its raw cache file; seeded by `seed`, from `start` when
 * resuming) and the configuration of `plan`.
 */
export function trainingRun(
  preset: Pick<Preset, "data" | "train">,
  set: TrainingSet,
  plan: EpochPlan,
  seed: number,
  start?: LoaderState | null,
): TrainingRun {
  const loader = loaderFor(set, plan.batchSize, seed, {
    augment: augmentOf(preset.data.augment),
    sampler: preset.data.sampler,
    imagesPerIdentity: preset.data.imagesPerIdentity,
    ...(start ? { start } : {}),
  });
  const stepsPerEpoch = loader.batchesPerEpoch;
  const steps = plan.epochs * stepsPerEpoch;
  return {
    loader,
    steps,
    stepsPerEpoch,
    config: (every) => ({
      steps,
      schedule: toIterationSchedule(plan.schedule, stepsPerEpoch, plan.epochs),
      optimizer: preset.train.optimizer,
      clipGradNorm: preset.train.clipGradNorm,
      loss: preset.train.loss,
      evalEvery: every.evalEpochs * stepsPerEpoch,
      checkpointEvery: Math.max(1, Math.round(every.checkpointEpochs * stepsPerEpoch)),
    }),
  };
}
