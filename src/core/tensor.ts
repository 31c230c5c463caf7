/**
 * `Tensor`: an n-dimensional array living on one backend, with autograd bookkeeping.
 *
 * Layout: activations are NHWC, conv weights HWIO, row-major storage. dtypes: f32 for values, i32 for labels
 * and indices. A tensor owns its storage; `dispose()` frees it (scopes do this for intermediates).
 * @module
 */
import type { Backend, HostData } from "./backend.ts";
import type { DType, TensorView } from "./kernels.ts";
import { formatShape, sizeOf } from "./shape.ts";
import { trackTensor } from "./scope.ts";

/** How a tensor was produced, for backpropagation. Set only when an input required a gradient. */
export interface GradNode {
  /** Op name, for error messages and debugging. */
  readonly op: string;
  /** Input tensors of the op. */
  readonly inputs: readonly Tensor[];
  /** Output tensors of the op (this tensor is one of them). */
  readonly outputs: readonly Tensor[];
  /** Computes input gradients from output gradients (null = that output received no gradient). */
  readonly backward: (outputGrads: readonly (Tensor | null)[]) => readonly (Tensor | null)[];
}

let nextId = 1;
let live = 0;

/** Number of tensors created and not yet disposed (memory-leak checks). */
export function liveTensorCount(): number {
  return live;
}

/** An n-dimensional array on a backend. */
export class Tensor implements TensorView {
  /** Unique, increasing id (creation order). */
  readonly id: number = nextId++;
  /** Dimensions, outermost first. */
  readonly shape: readonly number[];
  /** Element type. */
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  /** Backend that owns the storage. */
  readonly backend: Backend;
  /** Gradient accumulated by `backward()` (leaves that require grad only). */
  grad: Tensor | null = null;
  /** Whether gradients flow to or through this tensor. */
  requiresGrad: boolean;
  /** The op that produced this tensor, when recorded on the tape. */
  node: GradNode | null = null;
  /** Kept tensors (parameters, optimizer state, gradients) are never freed by a scope. */
  kept = false;
  #storage: unknown;
  #disposed = false;
  #version = 0;

  /** Wraps an allocated storage; prefer the creation functions in `src/ops/create.ts`. */
  constructor(backend: Backend, storage: unknown, shape: readonly number[], dtype: DType, requiresGrad = false) {
    this.backend = backend;
    this.#storage = storage;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = sizeOf(shape);
    this.requiresGrad = requiresGrad;
    live++;
    trackTensor(this);
  }

  /** The backend storage handle; throws if the tensor was disposed. */
  get storage(): unknown {
    if (this.#disposed) throw new Error(`Tensor #${this.id} ${formatShape(this.shape)} was used after dispose()`);
    return this.#storage;
  }

  /** True once `dispose()` ran. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /**
   * Write count (PyTorch's `_version`): 0 at creation, increased by every in-place write of the values, so a cache
   * of something computed from this tensor can tell whether it is still current.
   */
  get version(): number {
    return this.#version;
  }

  /**
   * Records an in-place write of the values (increments {@link Tensor.version}). Every path that overwrites an
   * existing tensor calls it: `runOpInto` for its outputs, `runOp` for the inputs an op updates in place, and
   * {@link Tensor.write}.
   */
  markWritten(): void {
    this.#version++;
  }

  /** Overwrites the values with host data of the same element count (restoring saved weights) and records the write. */
  write(data: HostData): void {
    this.markWritten();
    this.backend.upload(this.storage, this.dtype, data);
  }

  /** Rank (number of dimensions). */
  get rank(): number {
    return this.shape.length;
  }

  /** Reads the values back to the host (waits for queued kernels). */
  read(): Promise<HostData> {
    return this.backend.read(this as TensorView);
  }

  /** Reads the values as a plain number array. */
  async toArray(): Promise<number[]> {
    return Array.from(await this.read());
  }

  /** Reads a one-element tensor as a number. */
  async item(): Promise<number> {
    if (this.size !== 1) throw new Error(`item() needs a one-element tensor, got shape ${formatShape(this.shape)}`);
    return (await this.read())[0];
  }

  /** Frees the storage and the gradient (idempotent). The tensor must not be used afterwards. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    live--;
    this.backend.dispose(this.#storage);
    this.#storage = undefined;
    this.node = null;
    this.grad?.dispose();
    this.grad = null;
  }

  /** Short description for errors and logs. */
  toString(): string {
    return `Tensor#${this.id}(${this.dtype} ${formatShape(this.shape)} on ${this.backend.name})`;
  }
}
