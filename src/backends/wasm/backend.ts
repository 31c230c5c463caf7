/**
 * The WASM-SIMD backend: kernels compiled from `wasm-simd/` (C with wasm_simd128 intrinsics) running on one
 * shared linear memory, multi-threaded by a pool of workers. Tensors are blocks of that memory; kernels run
 * synchronously, so `read` only copies out. Results are bit-identical for any thread count.
 * @module
 */
import type { Backend, BackendInfo, HostData, MemoryInfo } from "../../core/backend.ts";
import type { KernelProfile } from "../../core/kernel_profile.ts";
import type { DType, KernelTable, TensorView } from "../../core/kernels.ts";
import type { Block } from "./allocator.ts";
import { WINOGRAD_CHOICES, type WinogradChoice } from "./kernels/linalg.ts";
import { wasmKernels } from "./kernels/mod.ts";
import type { SimdMode } from "./module.ts";
import { WasmRuntime } from "./runtime.ts";

/** Options of {@link WasmBackend.create}. */
export interface WasmOptions {
  /** threads, main thread included (default: navigator.hardwareConcurrency) */
  threads?: number;
  /** kernel build (default "deterministic"; "fast" uses relaxed SIMD and is not bit-identical across CPUs) */
  mode?: SimdMode;
  /** times every kernel call into this profile, and every call of a module export into its phases (benchmarks) */
  profile?: KernelProfile;
  /** which 3×3 convolutions run as Winograd convolutions (default "auto"; benchmarks and accuracy tests compare) */
  winograd?: WinogradChoice;
}

/** The WASM-SIMD backend. */
export class WasmBackend implements Backend<Block> {
  /** Backend name. */
  readonly name = "wasm";
  /** Kernel table. */
  readonly kernels: KernelTable<Block>;
  readonly #rt: WasmRuntime;
  readonly #winograd: WinogradChoice;
  #destroyed = false;

  private constructor(rt: WasmRuntime, options: WasmOptions) {
    this.#rt = rt;
    this.#winograd = options.winograd ?? "auto";
    const kernels = wasmKernels(rt, this.#winograd);
    this.kernels = options.profile ? options.profile.wrap(kernels) : kernels;
    rt.phaseProfile = options.profile;
  }

  /** Loads the kernels and starts the worker pool. */
  static async create(options: WasmOptions = {}): Promise<WasmBackend> {
    const winograd = options.winograd ?? "auto";
    if (!WINOGRAD_CHOICES.includes(winograd)) {
      throw new RangeError(`wasm backend: winograd must be one of ${WINOGRAD_CHOICES.join(", ")}, got "${winograd}"`);
    }
    const threads = options.threads ?? navigator.hardwareConcurrency ?? 1;
    return new WasmBackend(await WasmRuntime.create(threads, options.mode), options);
  }

  /** Reserves a block of linear memory (contents undefined). */
  allocate(_dtype: DType, size: number): Block {
    this.#check("allocate");
    return this.#rt.allocator.allocate(size * 4);
  }

  /** Copies host values into a block. */
  upload(storage: Block, dtype: DType, data: HostData): void {
    this.#check("upload");
    if (data.length * 4 !== storage.used) {
      throw new RangeError(`upload: ${data.length} values for a storage of ${storage.used / 4}`);
    }
    const view = dtype === "i32" ? this.#rt.i32 : this.#rt.f32;
    view.set(data, storage.ptr / 4);
  }

  /** Copies a tensor out (kernels have already finished). */
  read(view: TensorView<Block>): Promise<HostData> {
    this.#check("read");
    const start = view.storage.ptr / 4;
    const source = view.dtype === "i32" ? this.#rt.i32 : this.#rt.f32;
    return Promise.resolve(source.slice(start, start + view.size));
  }

  /** Returns a block, and the packed forms kept of it, to the allocator. */
  dispose(storage: Block): void {
    if (this.#destroyed) return;
    this.#rt.packedCache.forget(storage);
    this.#rt.allocator.free(storage);
  }

  /** Kernels are synchronous: nothing is queued. */
  sync(): Promise<void> {
    return Promise.resolve();
  }

  /** Threads, SIMD mode and whether its multiply-add is fused on this CPU. */
  info(): BackendInfo {
    return {
      name: this.name,
      threads: this.#rt.threads,
      details: {
        simd: this.#rt.mode === "fast" ? "simd128+relaxed" : "simd128",
        mode: this.#rt.mode,
        multiplyAdd: this.#rt.multiplyAddFused ? "fused" : "separate",
        winograd: this.#winograd,
        memoryBytes: this.#rt.memory.buffer.byteLength,
      },
    };
  }

  /** Live and peak bytes of tensors, temporaries, scratch and kept packed weights. */
  memory(): MemoryInfo {
    return { liveBytes: this.#rt.allocator.liveBytes, peakBytes: this.#rt.allocator.peakBytes };
  }

  /**
   * Frees the packed weights kept between calls (they belong to the model just run). The memory itself cannot
   * shrink; its allocator reuses free blocks of any size instead.
   */
  trim(): Promise<void> {
    if (!this.#destroyed) this.#rt.packedCache.clear();
    return Promise.resolve();
  }

  /** Stops the workers; the backend is unusable afterwards. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#rt.destroy();
  }

  /** `await using` support: {@link destroy}. */
  [Symbol.asyncDispose](): Promise<void> {
    this.destroy();
    return Promise.resolve();
  }

  #check(what: string): void {
    if (this.#destroyed) throw new Error(`wasm backend: ${what} after destroy()`);
  }
}
