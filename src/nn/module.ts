/**
 * `Module`: a named tree of parameters, buffers and child modules, with train/eval mode and `state()` / `load()`
 * by dotted path (PyTorch `state_dict` naming: `body.0.conv1.weight`).
 *
 * Parameters are kept tensors (never freed by a scope). Trainable ones require a gradient; a frozen one (e.g.
 * arcface_torch's fixed BN gamma) is part of the state but not of `parameters()`. Buffers (BatchNorm running
 * statistics) are in the state and never receive gradients.
 * @module
 */
import type { Backend } from "../core/backend.ts";
import type { Rng } from "../core/rng.ts";
import { keep } from "../core/scope.ts";
import { formatShape, sameShape } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { copyInto } from "../ops/copy.ts";

/** One trainable parameter as the optimizer sees it. */
export interface ParameterEntry {
  /** dotted path, unique within the model, e.g. "body.0.res.1.weight" */
  path: string;
  /** the parameter tensor (f32, kept, requiresGrad) */
  tensor: Tensor;
  /** whether weight decay applies (false for BatchNorm, PReLU and bias parameters) */
  decay: boolean;
}

/** One buffer (non-trainable state such as BatchNorm running statistics). */
export interface BufferEntry {
  /** dotted path */
  path: string;
  /** the buffer tensor (kept) */
  tensor: Tensor;
}

/** How a module is built: the backend its tensors live on and the seeded random streams. */
export interface ModuleContext {
  /** backend that owns every parameter and buffer */
  backend: Backend;
  /** the "init" stream: parameter initialisation draws from it, in construction order */
  rng: Rng;
  /** the "dropout" stream shared by every Dropout layer (default: stream "dropout" of `rng.seed`) */
  dropoutRng?: Rng;
  /**
   * false = structure only: parameters are zero-filled instead of drawn (parameter and FLOP counting of large
   * presets without spending time on random numbers). Default true.
   */
  initialize?: boolean;
}

/** A parameter slot: its tensor, whether it decays and whether it trains. */
interface ParameterSlot {
  tensor: Tensor;
  decay: boolean;
  trainable: boolean;
}

/** Options of {@link Module.addParameter}. */
export interface ParameterOptions {
  /** weight decay applies (default true) */
  decay?: boolean;
  /** receives gradients and appears in `parameters()` (default true) */
  trainable?: boolean;
}

/** Options of {@link Module.load}. */
export interface LoadOptions {
  /** throw on missing or unexpected paths (default true) */
  strict?: boolean;
}

/** Base class of every layer, backbone and head. */
export abstract class Module {
  readonly #params = new Map<string, ParameterSlot>();
  readonly #buffers = new Map<string, Tensor>();
  readonly #children = new Map<string, Module>();
  #training = true;

  /** Registers a parameter under `name`; marks it kept and (if trainable) requiring a gradient. */
  protected addParameter(name: string, tensor: Tensor, options: ParameterOptions = {}): Tensor {
    this.#claim(name);
    const trainable = options.trainable ?? true;
    keep(tensor).requiresGrad = trainable;
    this.#params.set(name, { tensor, decay: options.decay ?? true, trainable });
    return tensor;
  }

  /** Registers a buffer under `name` (kept, no gradient). */
  protected addBuffer(name: string, tensor: Tensor): Tensor {
    this.#claim(name);
    this.#buffers.set(name, keep(tensor));
    return tensor;
  }

  /** Registers a child module under `name`; its paths are prefixed with `name.`. */
  protected addChild<M extends Module>(name: string, module: M): M {
    this.#claim(name);
    this.#children.set(name, module);
    module.train(this.#training);
    return module;
  }

  #claim(name: string): void {
    if (name === "" || name.includes(".")) throw new Error(`Module: invalid name "${name}" (non-empty, no dots)`);
    if (this.#params.has(name) || this.#buffers.has(name) || this.#children.has(name)) {
      throw new Error(`Module: name "${name}" is already registered in ${this.constructor.name}`);
    }
  }

  /** True in training mode (batch statistics, dropout active). */
  get training(): boolean {
    return this.#training;
  }

  /** Sets training (true) or evaluation (false) mode on this module and every descendant. */
  train(mode = true): this {
    this.#training = mode;
    for (const child of this.#children.values()) child.train(mode);
    return this;
  }

  /** Switches to evaluation mode. */
  eval(): this {
    return this.train(false);
  }

  #walk(prefix: string, visit: (path: string, module: Module) => void): void {
    visit(prefix, this);
    for (const [name, child] of this.#children) child.#walk(`${prefix}${name}.`, visit);
  }

  #slots(): [string, ParameterSlot][] {
    const out: [string, ParameterSlot][] = [];
    this.#walk("", (prefix, m) => {
      for (const [name, slot] of m.#params) out.push([prefix + name, slot]);
    });
    return out;
  }

  /** Trainable parameters in registration order (depth first), with their weight-decay flags. */
  parameters(): ParameterEntry[] {
    return this.#slots().filter(([, s]) => s.trainable).map(([path, s]) => ({
      path,
      tensor: s.tensor,
      decay: s.decay,
    }));
  }

  /** Buffers in registration order (depth first). */
  buffers(): BufferEntry[] {
    const out: BufferEntry[] = [];
    this.#walk("", (prefix, m) => {
      for (const [name, tensor] of m.#buffers) out.push({ path: prefix + name, tensor });
    });
    return out;
  }

  /** Number of parameter elements, frozen ones included, buffers excluded (PyTorch `sum(p.numel())`). */
  parameterCount(): number {
    return this.#slots().reduce((n, [, s]) => n + s.tensor.size, 0);
  }

  /** Every parameter (frozen included) and buffer by path: what a checkpoint stores. */
  state(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    for (const [path, slot] of this.#slots()) out.set(path, slot.tensor);
    for (const b of this.buffers()) out.set(b.path, b.tensor);
    return out;
  }

  /**
   * Copies values from `state` into this module's tensors, by path (the tensors keep their identity, so an
   * optimizer holding them stays valid). Source tensors must live on the same backend and have the same shape.
   */
  load(state: ReadonlyMap<string, Tensor>, options: LoadOptions = {}): void {
    const own = this.state();
    if (options.strict ?? true) {
      const missing = [...own.keys()].filter((p) => !state.has(p));
      const unexpected = [...state.keys()].filter((p) => !own.has(p));
      if (missing.length > 0 || unexpected.length > 0) {
        throw new Error(
          `Module.load: missing paths [${missing.join(", ")}], unexpected paths [${unexpected.join(", ")}]`,
        );
      }
    }
    for (const [path, target] of own) {
      const source = state.get(path);
      if (!source) continue;
      if (!sameShape(source.shape, target.shape) || source.dtype !== target.dtype) {
        throw new Error(
          `Module.load: "${path}" expected ${target.dtype} ${formatShape(target.shape)}, got ${source.dtype} ${
            formatShape(source.shape)
          }`,
        );
      }
      if (source.backend !== target.backend) {
        throw new Error(
          `Module.load: "${path}" lives on backend "${source.backend.name}", expected "${target.backend.name}"`,
        );
      }
      copyInto(target, source);
    }
  }

  /**
   * Frees every parameter, gradient and buffer of the tree, and what each module holds besides (a module that owns
   * more overrides this and calls `super.dispose()`; children are freed through their own `dispose()`).
   */
  dispose(): void {
    for (const slot of this.#params.values()) {
      slot.tensor.grad?.dispose();
      slot.tensor.dispose();
    }
    for (const t of this.#buffers.values()) t.dispose();
    for (const child of this.#children.values()) child.dispose();
  }
}

/** A module with one input and one output: what {@link Sequential} chains. */
export abstract class Layer extends Module {
  /** Computes the output. */
  abstract forward(x: Tensor): Tensor;
}
