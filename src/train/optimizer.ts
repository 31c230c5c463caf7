/**
 * The optimizer contract the trainer works against, and SGD with momentum (PyTorch semantics: weight decay added to the gradient, `v = m·v + g`, step `v` or, with
 * Nesterov, `g + m·v`) through the fused in-place `sgd_update` op. Weight decay applies only to parameters whose
 * `decay` flag is set (the Module API clears it for BatchNorm, PReLU and bias parameters). Velocity buffers live
 * on the backend as kept tensors; `state()` / `loadState()` move them to and from the host for checkpoints.
 * @module
 */
import { z } from "zod";
import { keep } from "../core/scope.ts";
import { formatShape } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { sgdUpdate, tensor, zerosLike } from "../ops/mod.ts";

/** One trainable parameter, as `Module.parameters()` returns it. */
export interface ParameterEntry {
  /** dotted path, unique within the model, e.g. "body.0.conv1.weight" */
  path: string;
  /** the parameter tensor (f32, requiresGrad) */
  tensor: Tensor;
  /** whether weight decay applies */
  decay: boolean;
}

/** Throws unless every parameter path is unique and every tensor is f32 (`owner` names the optimizer). */
export function checkParameters(owner: string, params: readonly ParameterEntry[]): void {
  const seen = new Set<string>();
  for (const p of params) {
    if (seen.has(p.path)) throw new Error(`${owner}: duplicate parameter path "${p.path}"`);
    if (p.tensor.dtype !== "f32") {
      throw new Error(`${owner}: parameter "${p.path}" has dtype ${p.tensor.dtype}, expected f32`);
    }
    seen.add(p.path);
  }
}

/** Frees every parameter gradient (call before the next backward pass; gradients accumulate otherwise). */
export function zeroGradients(params: readonly ParameterEntry[]): void {
  for (const p of params) {
    p.tensor.grad?.dispose();
    p.tensor.grad = null;
  }
}

/** SGD hyper-parameters (face.evoLVe defaults: momentum 0.9, weight decay 5e-4). */
export const sgdOptionsSchema = z.object({
  /** optional, so that existing configs (which never named it) parse and serialise unchanged */
  kind: z.literal("sgd").optional(),
  momentum: z.number().min(0).lt(1).default(0.9),
  nesterov: z.boolean().default(false),
  weightDecay: z.number().nonnegative().default(5e-4),
}).strict();

/** Validated SGD hyper-parameters. */
export type SgdOptions = z.infer<typeof sgdOptionsSchema>;

/** What the trainer and the benchmarks need of an optimizer. */
export interface Optimizer {
  /** The parameters this optimizer updates. */
  readonly parameters: readonly ParameterEntry[];
  /** One update at learning rate `lr`; parameters without a gradient are skipped (as in PyTorch). */
  step(lr: number): void;
  /** Frees every parameter gradient. */
  zeroGrad(): void;
  /** The state tensors a checkpoint saves and restores, by checkpoint name. */
  stateTensors(): { path: string; tensor: Tensor }[];
  /** Host-side state a checkpoint keeps as JSON in its `extra` record (empty: none). */
  hostState(): Record<string, JsonValue>;
  /** Restores {@link Optimizer.hostState} from a checkpoint's `extra` record. */
  loadHostState(extra: Readonly<Record<string, JsonValue>>): void;
  /** Frees the state tensors. */
  dispose(): void;
}

/** A JSON value, as checkpoints store it. */
export type JsonValue = z.infer<ReturnType<typeof z.json>>;

/** Host copy of the optimizer state: hyper-parameters and one velocity buffer per parameter path. */
export interface SgdState {
  /** hyper-parameters the state was produced with */
  options: SgdOptions;
  /** velocity buffer of each parameter, by path */
  velocities: Map<string, Float32Array>;
}

/** Stochastic gradient descent over a fixed parameter list. */
export class Sgd implements Optimizer {
  /** hyper-parameters */
  readonly options: SgdOptions;
  readonly #params: readonly ParameterEntry[];
  readonly #velocities: Tensor[];

  /** Creates zeroed velocity buffers (kept) for every parameter; paths must be unique. */
  constructor(params: readonly ParameterEntry[], options: Partial<SgdOptions> = {}) {
    this.options = sgdOptionsSchema.parse(options);
    checkParameters("Sgd", params);
    this.#params = params;
    this.#velocities = params.map((p) => keep(zerosLike(p.tensor)));
  }

  /** The parameters this optimizer updates. */
  get parameters(): readonly ParameterEntry[] {
    return this.#params;
  }

  /** One update at learning rate `lr`; parameters without a gradient are skipped (as in PyTorch). */
  step(lr: number): void {
    const { momentum, nesterov, weightDecay } = this.options;
    this.#params.forEach((p, i) => {
      const grad = p.tensor.grad;
      if (!grad) return;
      sgdUpdate(p.tensor, grad, this.#velocities[i], {
        lr,
        momentum,
        nesterov,
        weightDecay: p.decay ? weightDecay : 0,
      });
    });
  }

  /** Frees every parameter gradient (call before the next backward pass; gradients accumulate otherwise). */
  zeroGrad(): void {
    zeroGradients(this.#params);
  }

  /** Velocity tensors with checkpoint names `optimizer.velocity.<path>`. */
  stateTensors(): { path: string; tensor: Tensor }[] {
    return this.#params.map((p, i) => ({ path: `optimizer.velocity.${p.path}`, tensor: this.#velocities[i] }));
  }

  /** SGD keeps no host-side state: its velocities are all it needs. */
  hostState(): Record<string, JsonValue> {
    return {};
  }

  /** Nothing to restore (see {@link Sgd.hostState}). */
  loadHostState(): void {}

  /** Reads the state back to the host. */
  async state(): Promise<SgdState> {
    const velocities = new Map<string, Float32Array>();
    for (const [i, p] of this.#params.entries()) {
      velocities.set(p.path, Float32Array.from(await this.#velocities[i].read()));
    }
    return { options: { ...this.options }, velocities };
  }

  /** Restores velocities saved by {@link state}; every parameter path must be present with the right size. */
  loadState(state: SgdState): void {
    for (const [i, p] of this.#params.entries()) {
      const v = state.velocities.get(p.path);
      if (!v) throw new Error(`Sgd.loadState: no velocity for parameter "${p.path}"`);
      if (v.length !== p.tensor.size) {
        throw new Error(
          `Sgd.loadState: velocity of "${p.path}" has ${v.length} values, parameter ${formatShape(p.tensor.shape)} ` +
            `needs ${p.tensor.size}`,
        );
      }
      const old = this.#velocities[i];
      this.#velocities[i] = keep(tensor(old.backend, v, old.shape));
      old.dispose();
    }
  }

  /** Frees the velocity buffers. */
  dispose(): void {
    for (const v of this.#velocities) v.dispose();
  }
}
