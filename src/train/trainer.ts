/**
 * The Trainer: one backbone + one head trained with SGD or AdamW on batches from a loader, with a per-iteration learning
 * rate schedule, optional gradient clipping, a divergence guard, periodic evaluation and atomic checkpoints that
 * resume bit-identically (model, head, optimizer, schedule position, RNG streams, loader position, curves).
 * The two newest verified checkpoints are kept, so a damaged newest one falls back to the one before; a resume
 * whose training config (schedule, optimizer, clipping, loss) differs from the checkpoint's is refused unless
 * allowed.
 * @module
 */
import { z } from "zod";
import type { Backend } from "../core/backend.ts";
import type { Rng } from "../core/rng.ts";
import { scopeAsync } from "../core/scope.ts";
import { backward } from "../ops/backward.ts";
import type { Tensor } from "../core/tensor.ts";
import { createLoss, type LossConfig, type LossFn, lossSchema } from "../losses/mod.ts";
import { add, tensor } from "../ops/mod.ts";
import type { Backbone } from "../models/backbones/backbone.ts";
import { type Head, headObjective } from "../models/heads/head.ts";
import {
  CheckpointError,
  type CheckpointState,
  type FileStore,
  loadCheckpoint,
  restoreTensors,
  saveCheckpoint,
} from "./checkpoint.ts";
import { assertFiniteLoss, assertFiniteParameters } from "./divergence.ts";
import { clipGradNorm } from "./grad_clip.ts";
import { canonicalJson, jsonDifferences } from "./json_compare.ts";
import { checkpointName, loadNewestCheckpoint, readLatest, writeLatest } from "./latest.ts";
import type { Optimizer, ParameterEntry } from "./optimizer.ts";
import { createOptimizer, type OptimizerOptions, optimizerSchema } from "./optimizer_config.ts";
import { learningRate, type Schedule, scheduleSchema } from "./schedule.ts";
import { hashTensors, readTensors } from "./weight_hash.ts";

/** A training batch: NHWC float32 images (normalised) and int32 labels. */
export interface TrainBatch {
  /** `[N, H, W, 3]` values */
  images: Float32Array;
  /** class of each image */
  labels: Int32Array;
  /** `[N, H, W, 3]` */
  shape: readonly [number, number, number, number];
}

/** Where the next batch comes from; its position (plain JSON data) is checkpointed as is. */
export interface BatchSource<P> {
  /** The next batch. */
  next(): Promise<TrainBatch>;
  /** Position of the next batch. */
  state(): P;
}

/** Training hyper-parameters, all in iterations. */
export interface TrainConfig {
  /** total iterations */
  steps: number;
  /** per-iteration learning rate */
  schedule: Schedule;
  /** optimizer settings (SGD or AdamW) */
  optimizer: OptimizerOptions;
  /** clip the global gradient norm to this value (null: no clipping) */
  clipGradNorm: number | null;
  /** the classification loss on the head's logits */
  loss: LossConfig;
  /** evaluate every this many iterations (and after the last) */
  evalEvery: number;
  /** checkpoint every this many iterations (and after the last) */
  checkpointEvery: number;
}

const pointSchema = z.object({ step: z.number().int(), value: z.number() }).strict();

/** One point of a curve: the value taken after iteration `step`. */
export type CurvePoint = z.infer<typeof pointSchema>;
const curvesSchema = z.object({ loss: z.array(pointSchema), eval: z.array(pointSchema) }).strict();

/** What an {@link AuxiliaryLoss} sees of one training step (all on the step's scope). */
export interface StepTensors {
  /** the batch's images `[N, H, W, 3]` */
  images: Tensor;
  /** the batch's labels i32 `[N]` */
  labels: Tensor;
  /** the backbone's embeddings `[N, D]` */
  embeddings: Tensor;
  /** the head's logits `[N, C]` (null: a head without logits, such as triplet) */
  logits: Tensor | null;
}

/**
 * A further scalar loss term of each step, added to the classification loss (e.g. distillation from a teacher). It
 * holds no state a checkpoint would need; its `settings` go into every checkpoint, and a resume must agree with them.
 */
export interface AuxiliaryLoss {
  /** what identifies the term (e.g. the distillation terms and the teacher's weight hash), as JSON */
  settings: CheckpointState["auxiliary"];
  /** the term for one step */
  term(step: StepTensors): Tensor;
}

/** What the trainer is given. */
export interface TrainerSetup<P> {
  /** backend of every tensor */
  backend: Backend;
  /** the model */
  backbone: Backbone;
  /** the classification head */
  head: Head;
  /** training batches */
  data: BatchSource<P>;
  /** hyper-parameters */
  config: TrainConfig;
  /** random streams used during training whose positions are checkpointed (e.g. dropout) */
  streams: readonly Rng[];
  /** checkpoint storage (none: no checkpoints) */
  store?: FileStore;
  /** a further loss term added every step (none: off) */
  auxiliaryLoss?: AuxiliaryLoss;
  /** verification accuracy of the current model, for the eval curve */
  evaluate?: () => Promise<number>;
  /** called after every iteration */
  onStep?: (step: number, loss: number) => void;
  /** resume even when the training config differs from the checkpoint's (the differences are logged) */
  allowConfigChange?: boolean;
  /** notices about resuming (a checkpoint fallback, an allowed config change); default `console.warn` */
  log?: (line: string) => void;
}

/** The final state of a run. */
export interface TrainResult {
  /** iterations done */
  steps: number;
  /** loss after each iteration */
  lossCurve: CurvePoint[];
  /** evaluation accuracy at each evaluation */
  evalCurve: CurvePoint[];
  /** SHA-256 of every model tensor (parameters and buffers of backbone and head) */
  weightHash: string;
}

/**
 * The part of a training setup a checkpoint must agree with to resume it, in checkpoint (validated) form: the
 * training config and the auxiliary loss's settings (null: none).
 */
function resumedConfig(
  config: Pick<CheckpointState, "schedule" | "optimizer" | "clipGradNorm" | "loss" | "auxiliary">,
) {
  return {
    schedule: scheduleSchema.parse(config.schedule),
    optimizer: optimizerSchema.parse(config.optimizer),
    clipGradNorm: config.clipGradNorm ?? null,
    loss: config.loss && lossSchema.parse(config.loss),
    auxiliary: config.auxiliary ?? null,
  };
}

/** Trains a backbone and head; see the module documentation. */
export class Trainer<P> {
  readonly #setup: TrainerSetup<P>;
  readonly #optimizer: Optimizer;
  readonly #loss: LossFn;
  #step = 0;
  #finiteCheckedAt = -1;
  #lossCurve: CurvePoint[] = [];
  #evalCurve: CurvePoint[] = [];
  /** names in the store's `latest` pointer (null: not read yet) */
  #listed: string[] | null = null;
  /** the newest checkpoint known to be complete and valid (resumed from or written and verified) */
  #verified: string | null = null;

  /** Prepares the optimizer over the parameters of backbone and head. */
  constructor(setup: TrainerSetup<P>) {
    this.#setup = setup;
    this.#optimizer = createOptimizer(this.parameters(), setup.config.optimizer);
    this.#loss = createLoss(setup.config.loss);
  }

  /** Iterations completed. */
  get step(): number {
    return this.#step;
  }

  /** Trainable parameters of backbone and head, with paths prefixed "backbone." and "head.". */
  parameters(): ParameterEntry[] {
    const { backbone, head } = this.#setup;
    return [
      ...backbone.parameters().map((p) => ({ ...p, path: `backbone.${p.path}` })),
      ...head.parameters().map((p) => ({ ...p, path: `head.${p.path}` })),
    ];
  }

  /** Every tensor of the model state (parameters, frozen parameters and buffers), by prefixed path. */
  modelTensors(): { path: string; tensor: Tensor }[] {
    const { backbone, head } = this.#setup;
    const prefixed = (prefix: string, state: Map<string, Tensor>) =>
      [...state].map(([path, tensor]) => ({ path: `${prefix}.${path}`, tensor }));
    return [...prefixed("backbone", backbone.state()), ...prefixed("head", head.state())];
  }

  /**
   * Loads the newest valid checkpoint if the store has one (falling back past damaged ones, logged); returns
   * whether it did. Throws when the `latest` pointer is damaged, no listed checkpoint is valid, the training config
   * differs (unless `allowConfigChange`), or the loader does not start at the checkpoint's position.
   */
  async resume(): Promise<boolean> {
    const { store, config, data, allowConfigChange, auxiliaryLoss, log = console.warn } = this.#setup;
    const found = store && (await loadNewestCheckpoint(store, log));
    if (!found) return false;
    const { name, checkpoint: { state, tensors } } = found;
    const changed = jsonDifferences(
      resumedConfig(state),
      resumedConfig({ ...config, auxiliary: auxiliaryLoss?.settings }),
    );
    if (changed.length > 0 && !allowConfigChange) {
      throw new CheckpointError(
        `${name}.json`,
        `training config differs from the checkpoint's (${changed.join("; ")}); ` +
          "resume with allowConfigChange to continue anyway, or use a new checkpoint directory",
      );
    }
    if (changed.length > 0) log(`resuming ${name} with a changed training config: ${changed.join("; ")}`);
    if (canonicalJson(data.state()) !== canonicalJson(state.sampler)) {
      throw new CheckpointError(
        `${name}.json`,
        `the loader starts at ${canonicalJson(data.state())}, the checkpoint continues at ${
          canonicalJson(state.sampler)
        }; start the loader at Trainer.savedDataPosition(store)`,
      );
    }
    restoreTensors([...this.modelTensors(), ...this.#optimizer.stateTensors()], tensors, name);
    this.#optimizer.loadHostState(state.extra);
    this.#step = state.step;
    for (const stream of this.#setup.streams) {
      const saved = state.rng.find((r) => r.stream === stream.stream && r.seed === stream.seed);
      if (!saved) throw new Error(`checkpoint ${name}: no saved position for random stream "${stream.stream}"`);
      stream.setState(saved);
    }
    const curves = curvesSchema.parse(state.extra.curves);
    this.#lossCurve = curves.loss;
    this.#evalCurve = curves.eval;
    this.#listed = found.listed;
    this.#verified = name;
    return true;
  }

  /**
   * The loader position to resume from: that of the checkpoint {@link Trainer.resume} will load (fully verified;
   * fallbacks are logged by `resume`), or null when there is none.
   */
  static async savedDataPosition(store: FileStore): Promise<unknown> {
    return (await loadNewestCheckpoint(store, () => {}))?.checkpoint.state.sampler ?? null;
  }

  /** One iteration: forward, loss, backward, (clip,) optimizer step. Returns the loss. */
  async trainStep(): Promise<number> {
    const { backend, backbone, head, data, config } = this.#setup;
    const batch = await data.next();
    const iteration = this.#step;
    const loss = await scopeAsync(async () => {
      backbone.train(true);
      head.train(true);
      head.step(iteration);
      const x = tensor(backend, batch.images, batch.shape);
      const labels = tensor(backend, batch.labels, [batch.labels.length], "i32");
      const embeddings = backbone.forward(x);
      const out = head.forward(embeddings, labels);
      const withHead = headObjective(out, (logits) => this.#loss(logits, labels));
      const auxiliary = this.#setup.auxiliaryLoss?.term({ images: x, labels, embeddings, logits: out.logits });
      const total = auxiliary ? add(withHead, auxiliary) : withHead;
      this.#optimizer.zeroGrad();
      backward(total);
      if (config.clipGradNorm !== null) clipGradNorm(this.#optimizer.parameters, config.clipGradNorm);
      this.#optimizer.step(learningRate(config.schedule, iteration));
      return await total.item();
    });
    assertFiniteLoss(loss, iteration);
    this.#step++;
    this.#lossCurve.push({ step: this.#step, value: loss });
    return loss;
  }

  /** Trains until `config.steps`, evaluating and checkpointing on schedule. */
  async run(): Promise<TrainResult> {
    const { config, evaluate, onStep } = this.#setup;
    while (this.#step < config.steps) {
      const loss = await this.trainStep();
      onStep?.(this.#step, loss);
      const last = this.#step === config.steps;
      if (evaluate && (this.#step % config.evalEvery === 0 || last)) {
        await this.#assertFinite();
        this.#evalCurve.push({ step: this.#step, value: await evaluate() });
      }
      if (this.#setup.store && (this.#step % config.checkpointEvery === 0 || last)) await this.checkpoint();
    }
    return {
      steps: this.#step,
      lossCurve: [...this.#lossCurve],
      evalCurve: [...this.#evalCurve],
      weightHash: await hashTensors(this.modelTensors()),
    };
  }

  /**
   * Writes a checkpoint of the current step, reads it back and verifies it, then switches the `latest` pointer to
   * it and the previous verified one, and deletes the older ones: a crash at any point leaves a complete checkpoint,
   * and a newest checkpoint damaged later still has the previous one behind it.
   */
  async checkpoint(): Promise<void> {
    const { store, config, data, streams, auxiliaryLoss } = this.#setup;
    if (!store) throw new Error("Trainer.checkpoint: no checkpoint store was given");
    await this.#assertFinite();
    const state: CheckpointState = {
      step: this.#step,
      schedule: config.schedule,
      optimizer: config.optimizer,
      clipGradNorm: config.clipGradNorm,
      loss: config.loss,
      auxiliary: auxiliaryLoss?.settings ?? null,
      rng: streams.map((s) => s.state()),
      sampler: data.state() as CheckpointState["sampler"],
      extra: { curves: { loss: this.#lossCurve, eval: this.#evalCurve }, ...this.#optimizer.hostState() },
    };
    const tensors = await readTensors([...this.modelTensors(), ...this.#optimizer.stateTensors()]);
    const listed = this.#listed ?? (await readLatest(store));
    const name = checkpointName(this.#step);
    await saveCheckpoint(store, name, state, tensors);
    await loadCheckpoint(store, name);
    const kept = this.#verified && this.#verified !== name ? [name, this.#verified] : [name];
    await writeLatest(store, kept);
    for (const old of listed.filter((n) => !kept.includes(n))) {
      await store.remove(`${old}.safetensors`);
      await store.remove(`${old}.json`);
    }
    this.#listed = kept;
    this.#verified = name;
  }

  /** The divergence guard on the weights, read back at most once per step (evaluation and checkpoint share it). */
  async #assertFinite(): Promise<void> {
    if (this.#finiteCheckedAt === this.#step) return;
    await assertFiniteParameters(this.#optimizer.parameters, this.#step);
    this.#finiteCheckedAt = this.#step;
  }

  /** Frees the optimizer state. */
  dispose(): void {
    this.#optimizer.dispose();
  }
}
