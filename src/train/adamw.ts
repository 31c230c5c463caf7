/**
 * AdamW (Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019) with PyTorch
 * `torch.optim.AdamW` semantics, through the fused in-place `adamw_update` op: p ← p·(1 − lr·wd), then the Adam
 * step with bias correction. As in FaceX-Zoo's Swin recipe (`training_mode/swin_training/`, parameters of one
 * dimension and biases in a group without decay), weight decay applies only to parameters whose `decay` flag is set
 * and that have more than one dimension, so biases, BatchNorm / LayerNorm scales and shifts and PReLU slopes are
 * never decayed. Each parameter counts its own updates (a step without a gradient does not count, as in PyTorch);
 * the counts go into checkpoints as JSON, the two moment buffers as tensors.
 * @module
 */
import { z } from "zod";
import { keep } from "../core/scope.ts";
import type { Tensor } from "../core/tensor.ts";
import { adamwUpdate, zerosLike } from "../ops/mod.ts";
import { checkParameters, type JsonValue, type Optimizer, type ParameterEntry, zeroGradients } from "./optimizer.ts";

/**
 * AdamW hyper-parameters. Defaults: β1 0.9, β2 0.999, eps 1e-8 (PyTorch's and timm's, which FaceX-Zoo's Swin recipe
 * keeps) and weight decay 0.05 (that recipe's; its base learning rate 5e-4 belongs to the schedule).
 */
export const adamwOptionsSchema = z.object({
  kind: z.literal("adamw"),
  beta1: z.number().min(0).lt(1).default(0.9),
  beta2: z.number().min(0).lt(1).default(0.999),
  eps: z.number().positive().default(1e-8),
  weightDecay: z.number().nonnegative().default(0.05),
}).strict();

/** Validated AdamW hyper-parameters. */
export type AdamwOptions = z.infer<typeof adamwOptionsSchema>;

/** The key of the per-parameter update counts in a checkpoint's `extra` record. */
const STEPS_KEY = "adamwSteps";

const stepsSchema = z.record(z.string(), z.number().int().nonnegative());

/** Whether AdamW decays a parameter: flagged for decay and not one-dimensional. */
export function adamwDecays(p: ParameterEntry): boolean {
  return p.decay && p.tensor.rank > 1;
}

/** AdamW over a fixed parameter list. */
export class Adamw implements Optimizer {
  /** hyper-parameters */
  readonly options: AdamwOptions;
  readonly #params: readonly ParameterEntry[];
  readonly #expAvg: Tensor[];
  readonly #expAvgSq: Tensor[];
  readonly #steps: number[];

  /** Creates zeroed moment buffers (kept) for every parameter; paths must be unique. */
  constructor(params: readonly ParameterEntry[], options: z.input<typeof adamwOptionsSchema>) {
    this.options = adamwOptionsSchema.parse(options);
    checkParameters("Adamw", params);
    this.#params = params;
    this.#expAvg = params.map((p) => keep(zerosLike(p.tensor)));
    this.#expAvgSq = params.map((p) => keep(zerosLike(p.tensor)));
    this.#steps = params.map(() => 0);
  }

  /** The parameters this optimizer updates. */
  get parameters(): readonly ParameterEntry[] {
    return this.#params;
  }

  /** One update at learning rate `lr`; parameters without a gradient are skipped and keep their count. */
  step(lr: number): void {
    const { beta1, beta2, eps, weightDecay } = this.options;
    this.#params.forEach((p, i) => {
      const grad = p.tensor.grad;
      if (!grad) return;
      this.#steps[i]++;
      adamwUpdate(p.tensor, grad, this.#expAvg[i], this.#expAvgSq[i], {
        lr,
        beta1,
        beta2,
        eps,
        weightDecay: adamwDecays(p) ? weightDecay : 0,
        step: this.#steps[i],
      });
    });
  }

  /** Frees every parameter gradient. */
  zeroGrad(): void {
    zeroGradients(this.#params);
  }

  /** Moment tensors with checkpoint names `optimizer.exp_avg.<path>` and `optimizer.exp_avg_sq.<path>`. */
  stateTensors(): { path: string; tensor: Tensor }[] {
    return this.#params.flatMap((p, i) => [
      { path: `optimizer.exp_avg.${p.path}`, tensor: this.#expAvg[i] },
      { path: `optimizer.exp_avg_sq.${p.path}`, tensor: this.#expAvgSq[i] },
    ]);
  }

  /** The update count of every parameter, by path. */
  hostState(): Record<string, JsonValue> {
    return { [STEPS_KEY]: Object.fromEntries(this.#params.map((p, i) => [p.path, this.#steps[i]])) };
  }

  /** Restores the update counts; every parameter path must be present. */
  loadHostState(extra: Readonly<Record<string, JsonValue>>): void {
    const parsed = stepsSchema.safeParse(extra[STEPS_KEY]);
    if (!parsed.success) throw new Error(`Adamw.loadHostState: "${STEPS_KEY}" is missing or not a record of counts`);
    this.#params.forEach((p, i) => {
      const count = parsed.data[p.path];
      if (count === undefined) throw new Error(`Adamw.loadHostState: no update count for parameter "${p.path}"`);
      this.#steps[i] = count;
    });
  }

  /** Frees the moment buffers. */
  dispose(): void {
    for (const t of [...this.#expAvg, ...this.#expAvgSq]) t.dispose();
  }
}
