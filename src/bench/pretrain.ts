/**
 * The pre-training stage of a preset: each backbone, per seed, built from the same initialisation as its scratch
 * cells and trained on the `pretrain` dataset with the pre-training head (which is then discarded). The result is
 * kept on the host and shared by every cell of that backbone and seed (the `pretrained` and `finetuned` stages).
 * With a checkpoint store per backbone and seed, pre-training checkpoints every quarter epoch and resumes from the
 * newest checkpoint, so an interrupted run loses at most a quarter epoch of it.
 * @module
 */
import type { Backend } from "../core/backend.ts";
import { type FaceDataset, trainingSetOf } from "../data/dataset.ts";
import type { FileStore } from "../train/checkpoint.ts";
import type { NamedArray } from "../train/safetensors.ts";
import { readTensors, weightHash } from "../train/weight_hash.ts";
import { backboneEntries } from "./model_options.ts";
import type { Preset } from "./presets.ts";
import { trainOnce } from "./train_once.ts";

/** A pre-trained backbone: its tensors by path and how the pre-training went. */
export interface PretrainedBackbone {
  /** backbone tensors (parameters and buffers) by module path */
  tensors: Map<string, NamedArray>;
  /** SHA-256 of the backbone tensors (the weight hash of a `pretrained` row) */
  weightHash: string;
  /** pre-training iterations */
  steps: number;
  /** training loss after each iteration */
  lossCurve: { step: number; loss: number }[];
  /** pre-training speed (of the iterations this process ran; 0 when it resumed after the last one) */
  imagesPerSecond: number;
}

/** Checkpoint interval of pre-training, in epochs. */
export const PRETRAIN_CHECKPOINT_EPOCHS = 0.25;

/** What pre-training needs. */
export interface PretrainContext {
  /** the preset (its `pretrain` block must be set) */
  preset: Preset;
  /** the pre-training dataset */
  dataset: FaceDataset;
  /** the backend */
  backend: Backend;
  /** progress: called after every iteration */
  onStep?: (backbone: string, seed: number, step: number, steps: number, loss: number) => void;
  /** the checkpoint store of a backbone and seed (none: no checkpoints, no resume) */
  storeFor?: (backbone: string, seed: number) => FileStore;
}

/** The preset as pre-training sees it: the `pretrain` block's own augmentation, if it names one, replaces `data.augment`. */
export function pretrainingPreset(preset: Preset): Preset {
  const augment = preset.pretrain?.augment;
  return augment ? { ...preset, data: { ...preset.data, augment } } : preset;
}

/** Pre-trains backbone `name` with `seed` (initialisation, data order and dropout streams as its cells use). */
export function pretrainBackbone(ctx: PretrainContext, name: string, seed: number): Promise<PretrainedBackbone> {
  const { preset, dataset, backend } = ctx;
  const stage = preset.pretrain;
  if (!stage) throw new Error("pretrainBackbone: the preset has no pretrain block");
  const spec = {
    preset: pretrainingPreset(preset),
    backend,
    backbone: name,
    head: stage.head,
    train: trainingSetOf(dataset.train),
    plan: stage,
    seed,
    onStep: (step: number, steps: number, loss: number) => ctx.onStep?.(name, seed, step, steps, loss),
    store: ctx.storeFor?.(name, seed),
    checkpointEpochs: PRETRAIN_CHECKPOINT_EPOCHS,
  };
  return trainOnce(spec, async ({ backbone, result, resumedAt, seconds }) => {
    const arrays = await readTensors(backboneEntries(backbone));
    return {
      tensors: new Map(arrays.map((a) => [a.name, a])),
      weightHash: await weightHash(arrays),
      steps: result.steps,
      lossCurve: result.lossCurve.map((p) => ({ step: p.step, loss: p.value })),
      imagesPerSecond: ((result.steps - resumedAt) * stage.batchSize) / Math.max(seconds, 1e-9),
    };
  });
}

/** A memo of {@link pretrainBackbone}: each backbone and seed is pre-trained once per run. */
export function pretrainedBackbones(ctx: PretrainContext): (name: string, seed: number) => Promise<PretrainedBackbone> {
  const done = new Map<string, Promise<PretrainedBackbone>>();
  return (name, seed) => {
    const key = `${name}/${seed}`;
    if (!done.has(key)) done.set(key, pretrainBackbone(ctx, name, seed));
    return done.get(key)!;
  };
}
