/**
 * The reference backend: plain TypeScript, simple and obviously correct — the oracle for every other backend.
 *
 * Storage is float32 (float64 in `precision: "f64"` mode, used by gradient checks so that finite differences
 * are exact to ~1e-8); sums accumulate in float64.
 * @module
 */
import type { Backend, BackendInfo, HostData, MemoryInfo } from "../../core/backend.ts";
import type { DType, TensorView } from "../../core/kernels.ts";
import { referenceKernels } from "./kernels.ts";
import type { RefStorage } from "./storage.ts";

/** Options of {@link ReferenceBackend}. */
export interface ReferenceOptions {
  /** storage precision of f32 tensors: "f32" (default, like every other backend) or "f64" (gradient checks) */
  precision?: "f32" | "f64";
}

/** Plain-TypeScript backend. */
export class ReferenceBackend implements Backend<RefStorage> {
  /** Backend name. */
  readonly name = "reference";
  /** Kernel table. */
  readonly kernels = referenceKernels;
  /** Storage precision of f32 tensors. */
  readonly precision: "f32" | "f64";
  #live = 0;
  #peak = 0;

  /** Creates a reference backend. */
  constructor(options: ReferenceOptions = {}) {
    this.precision = options.precision ?? "f32";
  }

  /** Allocates a zeroed typed array. */
  allocate(dtype: DType, size: number): RefStorage {
    const data = dtype === "i32"
      ? new Int32Array(size)
      : this.precision === "f64"
      ? new Float64Array(size)
      : new Float32Array(size);
    this.#live += data.byteLength;
    this.#peak = Math.max(this.#peak, this.#live);
    return { data };
  }

  /** Copies host values in. */
  upload(storage: RefStorage, _dtype: DType, data: HostData): void {
    if (data.length !== storage.data.length) {
      throw new RangeError(`upload: ${data.length} values for a storage of ${storage.data.length}`);
    }
    storage.data.set(data);
  }

  /** Returns a copy of the values. */
  read(view: TensorView<RefStorage>): Promise<HostData> {
    return Promise.resolve(view.storage.data.slice());
  }

  /** Drops the array. */
  dispose(storage: RefStorage): void {
    this.#live -= storage.data.byteLength;
  }

  /** Nothing is queued. */
  sync(): Promise<void> {
    return Promise.resolve();
  }

  /** Describes the backend. */
  info(): BackendInfo {
    return { name: this.name, threads: 1, details: { precision: this.precision } };
  }

  /** Live and peak bytes. */
  memory(): MemoryInfo {
    return { liveBytes: this.#live, peakBytes: this.#peak };
  }

  /** Does nothing: storages are JavaScript arrays, freed by the garbage collector. */
  trim(): Promise<void> {
    return Promise.resolve();
  }

  /** Nothing to release. */
  destroy(): void {}

  /** `await using` support: {@link destroy}. */
  [Symbol.asyncDispose](): Promise<void> {
    this.destroy();
    return Promise.resolve();
  }
}
