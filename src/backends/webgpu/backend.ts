/**
 * The WebGPU backend: every kernel is a WGSL compute shader from `shaders/`, encoded into one command encoder and
 * submitted only at sync points (`read`, `sync`). Storage comes from a size-class buffer pool.
 * @module
 */
import type { Backend, BackendInfo, HostData, MemoryInfo } from "../../core/backend.ts";
import type { DType, OpName, TensorView } from "../../core/kernels.ts";
import { type AdapterDetails, openDevice } from "./device.ts";
import { webgpuKernels } from "./kernels/mod.ts";
import type { GpuTable } from "./kernels/common.ts";
import { BufferPool, type PoolStats } from "./pool.ts";
import { GpuRuntime, type RuntimeStats } from "./runtime.ts";
import { loadShaderSources } from "./shaders.ts";
import type { GpuStorage } from "./storage.ts";

/** Runtime and pool counters of a WebGPU backend, for tests and reports. */
export interface WebGpuStats extends RuntimeStats, PoolStats {}

/** WebGPU backend over one device. */
export class WebGpuBackend implements Backend<GpuStorage> {
  /** Backend name. */
  readonly name = "webgpu";
  /** Kernel table. */
  readonly kernels: GpuTable;
  /** The adapter this backend runs on. */
  readonly adapter: AdapterDetails;
  readonly #device: GPUDevice;
  readonly #runtime: GpuRuntime;
  readonly #pool: BufferPool;
  #live = 0;
  #peak = 0;

  private constructor(device: GPUDevice, adapter: AdapterDetails, sources: Map<OpName, string>) {
    this.#device = device;
    this.adapter = adapter;
    this.#pool = new BufferPool(device);
    this.#runtime = new GpuRuntime(device, this.#pool, sources);
    this.kernels = webgpuKernels(this.#runtime);
  }

  /** Opens the default adapter and loads the shaders; throws saying why and what to install when there is no GPU. */
  static async create(): Promise<WebGpuBackend> {
    const [{ device, details }, sources] = await Promise.all([openDevice(), loadShaderSources()]);
    return new WebGpuBackend(device, details, sources);
  }

  /** Takes a pooled buffer for `size` elements (contents undefined). */
  allocate(_dtype: DType, size: number): GpuStorage {
    this.#live += size * 4;
    this.#peak = Math.max(this.#peak, this.#live);
    return { buffer: this.#pool.acquire(Math.max(4, size * 4)), size };
  }

  /** Writes host values (converted to the tensor's 32-bit type) after any queued work that still uses the buffer. */
  upload(storage: GpuStorage, dtype: DType, data: HostData): void {
    if (data.length !== storage.size) {
      throw new RangeError(`webgpu upload: ${data.length} values for a storage of ${storage.size}`);
    }
    if (data.length === 0) return;
    const typed = dtype === "i32"
      ? (data instanceof Int32Array ? data : Int32Array.from(data))
      : (data instanceof Float32Array ? data : Float32Array.from(data));
    this.#runtime.writeBuffer(storage.buffer, typed);
  }

  /** Submits queued work and copies the storage back. */
  async read(view: TensorView<GpuStorage>): Promise<HostData> {
    if (view.size === 0) return view.dtype === "i32" ? new Int32Array(0) : new Float32Array(0);
    const bytes = await this.#runtime.readBuffer(view.storage.buffer, view.size * 4);
    return view.dtype === "i32" ? new Int32Array(bytes) : new Float32Array(bytes);
  }

  /** Returns the buffer to the pool (queued work that reads it still runs before any reuse). */
  dispose(storage: GpuStorage): void {
    this.#live -= storage.size * 4;
    this.#pool.release(storage.buffer);
  }

  /** Submits queued work and waits for the device to finish it. */
  sync(): Promise<void> {
    return this.#runtime.sync();
  }

  /** Adapter vendor, architecture, description and fallback flag, plus the device's storage-buffer limit. */
  info(): BackendInfo {
    return {
      name: this.name,
      threads: 1,
      details: {
        vendor: this.adapter.vendor,
        architecture: this.adapter.architecture,
        description: this.adapter.description,
        isFallbackAdapter: this.adapter.isFallbackAdapter,
        maxStorageBufferBindingSize: this.#device.limits.maxStorageBufferBindingSize,
      },
    };
  }

  /** Bytes of live tensors and their peak. */
  memory(): MemoryInfo {
    return { liveBytes: this.#live, peakBytes: this.#peak };
  }

  /** Submits and waits for queued work, then destroys the pool's free buffers. */
  async trim(): Promise<void> {
    await this.#runtime.sync();
    this.#pool.trim();
  }

  /** Pipeline, dispatch, submit and buffer-pool counters. */
  stats(): WebGpuStats {
    return { ...this.#runtime.stats(), ...this.#pool.stats() };
  }

  /** Destroys every buffer and the device. */
  destroy(): void {
    this.#runtime.destroy();
    this.#pool.destroy();
    this.#device.destroy();
  }

  /** `await using` support: {@link destroy}. */
  [Symbol.asyncDispose](): Promise<void> {
    this.destroy();
    return Promise.resolve();
  }
}
