/**
 * The `Backend` interface: the only seam between math and hardware.
 *
 * A backend owns storage (allocate / upload / read / dispose) and a complete kernel table. It knows nothing of
 * gradients, modules or configs. Kernels run synchronously from the caller's point of view (a GPU backend may
 * only encode them); `read` and `sync` are the asynchronous points where queued work must finish.
 * @module
 */
import type { DType, KernelTable, TensorView } from "./kernels.ts";

/** Host-side element data: f32 tensors read back as Float32Array (Float64Array on the f64 reference backend). */
export type HostData = Float32Array | Float64Array | Int32Array;

/** Facts about a backend for reports: what ran, where, with how many threads. */
export interface BackendInfo {
  /** Backend name, e.g. "reference", "wasm", "webgpu". */
  name: string;
  /** Worker threads used by kernels (1 for single-threaded backends). */
  threads: number;
  /** Free-form details (adapter vendor/architecture/description, SIMD mode, precision, …). */
  details: Record<string, string | number | boolean>;
}

/** Memory statistics of a backend, in bytes. */
export interface MemoryInfo {
  /** Bytes held by live storages now. */
  liveBytes: number;
  /** Highest `liveBytes` seen since the backend was created or the peak was reset. */
  peakBytes: number;
}

/**
 * A compute backend with storage handles of type `S`. The default `any` lets code that only passes tensors
 * through (tensors, ops, tests) hold any backend; each backend's own code is typed with its storage.
 */
// deno-lint-ignore no-explicit-any
export interface Backend<S = any> {
  /** Short name used on the command line and in reports. */
  readonly name: string;
  /** Allocates storage for `size` elements of `dtype` (contents undefined). */
  allocate(dtype: DType, size: number): S;
  /** Copies host data into a storage (element count must match). */
  upload(storage: S, dtype: DType, data: HostData): void;
  /** Copies a storage back to the host after all queued work on it has finished. */
  read(view: TensorView<S>): Promise<HostData>;
  /** Releases a storage. */
  dispose(storage: S): void;
  /** One kernel per op. */
  readonly kernels: KernelTable<S>;
  /** Waits until all queued kernels have finished. */
  sync(): Promise<void>;
  /** Describes the backend for reports. */
  info(): BackendInfo;
  /** Current and peak storage bytes. */
  memory(): MemoryInfo;
  /**
   * Hands memory that is cached for reuse but free back to the host, after queued work has finished (between models,
   * so one model's cached sizes do not pile up under the next's); storages in use are untouched.
   */
  trim(): Promise<void>;
  /** Releases every resource (threads, devices); the backend is unusable afterwards. */
  destroy(): void;
}
