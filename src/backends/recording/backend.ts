/**
 * The "recording" backend: a wrapper that runs every kernel on an inner backend and, while {@link
 * RecordingBackend.record} runs, also writes down each kernel call (op name, attributes, input and output views).
 * The views a kernel receives are the op layer's `Tensor` objects, so a recorded call links tensors by identity:
 * that is the computation graph of the recorded code, which the ONNX exporter (`models/onnx/`) turns into nodes.
 * Storage, reads and memory are the inner backend's, so a model built on the wrapper computes exactly what it would
 * compute on the inner backend. Like `shape`, it is not in the registry of compute backends.
 * @module
 */
import type { Backend, BackendInfo, HostData, MemoryInfo } from "../../core/backend.ts";
import {
  type DType,
  type KernelAttrs,
  type KernelTable,
  OP_NAMES,
  type OpName,
  type TensorView,
} from "../../core/kernels.ts";

/** One kernel call as recorded. */
export interface KernelCall<K extends OpName = OpName> {
  /** the op (= kernel) name */
  readonly op: K;
  /** the input views, in call order (the op layer's tensors) */
  readonly inputs: readonly TensorView[];
  /** the output views */
  readonly outputs: readonly TensorView[];
  /** the kernel attributes */
  readonly attrs: KernelAttrs[K];
}

/** Wraps `inner`, recording kernel calls made inside {@link record} (storage type `S` as in {@link Backend}). */
// deno-lint-ignore no-explicit-any
export class RecordingBackend<S = any> implements Backend<S> {
  /** Backend name: the inner backend's, so reports and errors read as usual. */
  readonly name: string;
  /** The inner backend's kernels, each also appending to the current recording. */
  readonly kernels: KernelTable<S>;
  readonly #inner: Backend<S>;
  #calls: KernelCall[] | null = null;

  /** Wraps `inner` (which stays owned by the caller). */
  constructor(inner: Backend<S>) {
    this.#inner = inner;
    this.name = inner.name;
    const table = { ...inner.kernels } as Record<string, unknown>;
    for (const op of OP_NAMES) {
      const kernel = inner.kernels[op] as (
        i: readonly TensorView<S>[],
        o: readonly TensorView<S>[],
        a: unknown,
      ) => void;
      table[op] = (inputs: readonly TensorView<S>[], outputs: readonly TensorView<S>[], attrs: unknown) => {
        kernel(inputs, outputs, attrs);
        this.#calls?.push({ op, inputs, outputs, attrs } as KernelCall);
      };
    }
    this.kernels = table as KernelTable<S>;
  }

  /** Runs `fn` and returns its result with the kernel calls it made, in call order (recordings do not nest). */
  record<T>(fn: () => T): { result: T; calls: KernelCall[] } {
    if (this.#calls) throw new Error("RecordingBackend.record: already recording");
    const calls: KernelCall[] = [];
    this.#calls = calls;
    try {
      return { result: fn(), calls };
    } finally {
      this.#calls = null;
    }
  }

  /** Allocates on the inner backend. */
  allocate(dtype: DType, size: number): S {
    return this.#inner.allocate(dtype, size);
  }

  /** Uploads on the inner backend. */
  upload(storage: S, dtype: DType, data: HostData): void {
    this.#inner.upload(storage, dtype, data);
  }

  /** Reads from the inner backend. */
  read(view: TensorView<S>): Promise<HostData> {
    return this.#inner.read(view);
  }

  /** Frees on the inner backend. */
  dispose(storage: S): void {
    this.#inner.dispose(storage);
  }

  /** Waits for the inner backend. */
  sync(): Promise<void> {
    return this.#inner.sync();
  }

  /** The inner backend's description. */
  info(): BackendInfo {
    return this.#inner.info();
  }

  /** The inner backend's memory. */
  memory(): MemoryInfo {
    return this.#inner.memory();
  }

  /** Trims the inner backend. */
  trim(): Promise<void> {
    return this.#inner.trim();
  }

  /** Does nothing: the inner backend belongs to the caller. */
  destroy(): void {}
}
