/**
 * Trains one backbone × head to the end, as a scratch cell of that model and seed would start (the same
 * initialisation, data order and dropout streams), for the stages that train a model before the cells use it: the
 * pre-training stage and a teacher trained in the same run. The caller reads what it keeps from the trained modules
 * in `keep`; they are disposed afterwards. With a checkpoint store, training checkpoints there every
 * `checkpointEpochs` and first resumes from the newest checkpoint the store holds (bit-identical to an uninterrupted
 * run; a store that holds the last step's checkpoint trains nothing).
 * @module
 */
import type { Backend } from "../core/backend.ts";
import { Rng } from "../core/rng.ts";
import type { TrainingSet } from "../data/dataset.ts";
import type { Backbone } from "../models/backbones/backbone.ts";
import type { Head } from "../models/heads/head.ts";
import { backbones, heads } from "../models/mod.ts";
import type { FileStore } from "../train/checkpoint.ts";
import { Trainer, type TrainResult } from "../train/trainer.ts";
import { backboneOptionsOf, headOptionsOf } from "./model_options.ts";
import type { Preset } from "./presets.ts";
import { type EpochPlan, savedStart, trainingRun, withHeadSampler } from "./training_plan.ts";

/** One model to train: names, data, plan and seed. */
export interface TrainOnceSpec {
  /** the preset (data options, optimizer, loss, backbone and head options) */
  preset: Preset;
  /** the backend */
  backend: Backend;
  /** registered backbone name */
  backbone: string;
  /** registered head name (the head's required sampler, e.g. triplet's P×K, is used) */
  head: string;
  /** the training set */
  train: TrainingSet;
  /** batch size, epochs and schedule */
  plan: EpochPlan;
  /** the seed of initialisation, data order and dropout */
  seed: number;
  /** progress: called after every iteration */
  onStep?: (step: number, steps: number, loss: number) => void;
  /** where to checkpoint and resume from (none: train from the start, keep nothing) */
  store?: FileStore;
  /** checkpoint interval in epochs, rounded to whole iterations (default: only after the last iteration) */
  checkpointEpochs?: number;
}

/** What `keep` sees: the trained modules, the trainer's result, and the iterations and seconds of this process. */
export interface TrainedOnce {
  /** the trained backbone */
  backbone: Backbone;
  /** the trained head */
  head: Head;
  /** the trainer's result (all iterations, those before a resume included) */
  result: TrainResult;
  /** iterations a resume started from (0 without one) */
  resumedAt: number;
  /** seconds this process trained */
  seconds: number;
}

/** Trains `spec`'s model; `keep` reads what the caller needs from the trained modules before they are disposed. */
export async function trainOnce<T>(
  spec: TrainOnceSpec,
  keep: (trained: TrainedOnce) => Promise<T>,
): Promise<T> {
  const { preset, backend, train, plan, seed, store } = spec;
  const dropout = new Rng(seed, "dropout");
  const moduleContext = { backend, rng: new Rng(seed, "init"), dropoutRng: dropout };
  const backbone = backbones.get(spec.backbone).create(backboneOptionsOf(preset, spec.backbone), moduleContext);
  const head = heads.get(spec.head).create(
    headOptionsOf(preset, spec.head, { embeddingSize: backbone.embeddingSize, numClasses: train.numClasses }),
    moduleContext,
  );
  const start = await savedStart(store);
  const { loader, steps, config } = trainingRun(withHeadSampler(preset, spec.head), train, plan, seed, start);
  const trainer = new Trainer({
    backend,
    backbone,
    head,
    data: loader,
    streams: [dropout],
    store,
    config: config({ evalEpochs: plan.epochs, checkpointEpochs: spec.checkpointEpochs ?? plan.epochs }),
    onStep: (step, loss) => spec.onStep?.(step, steps, loss),
  });
  try {
    await trainer.resume();
    const resumedAt = trainer.step;
    const started = performance.now();
    const result = await trainer.run();
    return await keep({ backbone, head, result, resumedAt, seconds: (performance.now() - started) / 1000 });
  } finally {
    loader.close();
    trainer.dispose();
    backbone.dispose();
    head.dispose();
  }
}
