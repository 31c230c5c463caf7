/**
 * The WASM runtime: one shared linear memory, its allocator, the kernel instance of the main thread and a pool of
 * workers. `run` executes one kernel call synchronously: the main thread writes the parameter block, wakes the
 * workers, runs its own share of the tasks and waits for the others (polling briefly, then with `Atomics.wait`).
 * @module
 */
import type { KernelProfile } from "../../core/kernel_profile.ts";
import { type BlockValues, type Fields, layoutOf, type ParamBlock, writeBlock } from "../../core/params.ts";
import { type Block, HeapAllocator } from "./allocator.ts";
import { PackedCache } from "./packed_cache.ts";
import { CLOSED, CONTROL_BYTES, COUNTER, MAX_THREADS, pollWhile, runGrains, Slot } from "./control.ts";
import {
  compileKernels,
  createMemory,
  instantiate,
  type KernelFn,
  kernelFunctions,
  MAX_MEMORY_PAGES,
  PAGE_BYTES,
  type SimdMode,
} from "./module.ts";
import type { WorkerInit } from "./worker.ts";
import { resourceUrl } from "../../core/resources.ts";

/** Bytes of C stack per worker. */
const STACK_BYTES = 256 * 1024;
/** Bytes of the parameter block (64 words; the blocks of src/core/param_blocks/ fit). */
const PARAM_BYTES = 256;

/** Blocking constants compiled into the module (see wasm-simd/blocking.c). */
export interface Blocking {
  /** rows of the M dimension per GEMM task */
  gemmRows: number;
  /** floats of scratch one GEMM block needs */
  gemmScratch: number;
  /** output rows per chunk of the conv filter gradient */
  convGradChunk: number;
  /** elements per task of element-wise kernels */
  elemChunk: number;
  /** output rows per chunk of the depthwise filter gradient */
  depthwiseChunk: number;
  /** rows per chunk of the per-channel sums (batch norm, PReLU) */
  normChunk: number;
  /** K rows per GEMM block (tasks of pack_b) */
  gemmDepth: number;
  /** 2×2 output tiles per task of the Winograd convolution */
  winogradTiles: number;
  /** 2×2 output tiles per chunk of the Winograd filter gradient */
  winogradGradTiles: number;
  /** 4×4 output tiles per task of the F(4×4, 3×3) Winograd convolution */
  winograd4Tiles: number;
  /** 4×4 output tiles per chunk of the F(4×4, 3×3) Winograd filter gradient */
  winograd4GradTiles: number;
  /** floats left free after each plane of a Winograd transform (so planes do not share cache sets) */
  winogradPlanePad: number;
}

/** Options of one kernel call. */
export interface RunOptions {
  /** split the tasks over the pool (default false: small calls stay on the main thread) */
  parallel?: boolean;
  /** floats of per-thread scratch the kernel needs */
  scratchFloats?: number;
  /**
   * tasks a thread claims at once (default: an eighth of a thread's share, at least 1); larger grains let a kernel
   * that reuses work between consecutive tasks of one claim (the parts of one tile block) do it once per claim
   */
  grain?: number;
}

/** The runtime behind the wasm backend. */
export class WasmRuntime {
  /** The shared linear memory. */
  readonly memory: WebAssembly.Memory;
  /** Allocator of tensors and temporaries. */
  readonly allocator: HeapAllocator;
  /** Packed weights kept between calls while their tensors are not written (freed first when memory runs short). */
  readonly packedCache: PackedCache;
  /** Threads taking part in parallel calls (main thread included). */
  readonly threads: number;
  /** Which kernel build runs. */
  readonly mode: SimdMode;
  /**
   * Whether the kernels' multiply-add rounds once on this CPU (the module's own probe): always false for the
   * deterministic build; for the fast build, true where V8 emits FMA. Fast-build results are bit-identical between
   * machines that agree on it.
   */
  readonly multiplyAddFused: boolean;
  /** Blocking constants of the module. */
  readonly blocking: Blocking;
  /** when set, every {@link run} is timed into this profile's phases under its export's name (benchmarks) */
  phaseProfile?: KernelProfile;
  readonly #fns: Map<string, KernelFn>;
  readonly #fnList: KernelFn[];
  readonly #index: Map<string, number>;
  readonly #control: Int32Array;
  readonly #counter: BigInt64Array;
  #generation = 0;
  readonly #workers: Worker[];
  readonly #paramPtr: number;
  readonly #scratch: Block[] = [];
  #buffer: ArrayBufferLike;
  #f32: Float32Array;
  #i32: Int32Array;

  private constructor(
    memory: WebAssembly.Memory,
    instance: WebAssembly.Instance,
    module: WebAssembly.Module,
    control: SharedArrayBuffer,
    workers: Worker[],
    threads: number,
    mode: SimdMode,
  ) {
    this.memory = memory;
    this.#fns = kernelFunctions(module, instance);
    this.#fnList = [...this.#fns.values()];
    this.#index = new Map([...this.#fns.keys()].map((name, i) => [name, i]));
    this.#control = new Int32Array(control);
    this.#counter = new BigInt64Array(control);
    this.#workers = workers;
    this.threads = threads;
    this.mode = mode;
    this.multiplyAddFused = (instance.exports.multiply_add_fused as () => number)() === 1;
    const blocking = instance.exports.blocking as (which: number) => number;
    this.blocking = {
      gemmRows: blocking(0),
      gemmScratch: blocking(1),
      convGradChunk: blocking(2),
      elemChunk: blocking(3),
      depthwiseChunk: blocking(4),
      normChunk: blocking(5),
      gemmDepth: blocking(6),
      winogradTiles: blocking(7),
      winogradGradTiles: blocking(8),
      winograd4Tiles: blocking(9),
      winograd4GradTiles: blocking(10),
      winogradPlanePad: blocking(11),
    };
    const heapBase = (instance.exports.__heap_base as WebAssembly.Global).value as number;
    this.allocator = new HeapAllocator(
      heapBase,
      () => this.memory.buffer.byteLength,
      (min) => this.#grow(min),
      () => this.packedCache.reclaim(),
    );
    this.packedCache = new PackedCache(this.allocator);
    this.#buffer = memory.buffer;
    this.#f32 = new Float32Array(this.#buffer);
    this.#i32 = new Int32Array(this.#buffer);
    this.#paramPtr = this.allocator.allocate(PARAM_BYTES).ptr;
  }

  /** Compiles the module of `mode`, creates the memory and starts `threads − 1` workers. */
  static async create(threads: number, mode: SimdMode = "deterministic"): Promise<WasmRuntime> {
    if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
      throw new RangeError(`wasm backend: threads must be an integer in [1, ${MAX_THREADS}], got ${threads}`);
    }
    const module = await compileKernels(mode);
    const memory = createMemory(16 * 1024 * 1024);
    const instance = instantiate(module, memory);
    const control = new SharedArrayBuffer(CONTROL_BYTES);
    const workers: Worker[] = [];
    const runtime = new WasmRuntime(memory, instance, module, control, workers, threads, mode);
    const ready: Promise<void>[] = [];
    for (let index = 1; index < threads; index++) {
      const stack = runtime.allocator.allocate(STACK_BYTES);
      const script = resourceUrl("wasm-worker", new URL("./worker.ts", import.meta.url));
      const worker = new Worker(script, { type: "module" });
      ready.push(
        new Promise((resolve, reject) => {
          worker.onmessage = () => resolve();
          worker.onerror = (e) => {
            e.preventDefault();
            reject(new Error(`wasm backend: worker ${index} failed to start: ${e.message}`));
          };
        }),
      );
      const init: WorkerInit = { module, memory, control, index, stackTop: stack.ptr + STACK_BYTES };
      worker.postMessage(init);
      workers.push(worker);
    }
    try {
      await Promise.all(ready);
    } catch (error) {
      runtime.destroy();
      throw error;
    }
    return runtime;
  }

  /** The memory as f32 (a fresh view after the memory grew). */
  get f32(): Float32Array {
    this.#refresh();
    return this.#f32;
  }

  /** The memory as i32 (a fresh view after the memory grew). */
  get i32(): Int32Array {
    this.#refresh();
    return this.#i32;
  }

  /** Fills the parameter block with the named `block` (fields left out are 0), before {@link run}. */
  setParams<F extends Fields>(block: ParamBlock<F>, values: BlockValues<F>): void {
    const size = layoutOf(block).size;
    if (size > PARAM_BYTES / 4) throw new RangeError(`wasm backend: ${block.name} has ${size} words, at most 64`);
    this.#refresh();
    const i32 = new Int32Array(this.#buffer, this.#paramPtr, PARAM_BYTES / 4);
    i32.fill(0);
    writeBlock(block, values, {
      i32,
      f32: new Float32Array(this.#buffer, this.#paramPtr, PARAM_BYTES / 4),
      f64: new Float64Array(this.#buffer, this.#paramPtr, PARAM_BYTES / 8),
    });
  }

  /** Runs tasks [0, tasks) of kernel `name` with the current parameter block. */
  run(name: string, tasks: number, options: RunOptions = {}): void {
    const profile = this.phaseProfile;
    if (!profile) return this.#run(name, tasks, options);
    const start = performance.now();
    try {
      this.#run(name, tasks, options);
    } finally {
      profile.recordPhase(name, performance.now() - start);
    }
  }

  #run(name: string, tasks: number, options: RunOptions): void {
    const fn = this.#fns.get(name);
    if (!fn) throw new Error(`wasm backend: the module has no kernel export "${name}"`);
    if (tasks <= 0) return;
    const parallel = (options.parallel ?? false) && this.threads > 1 && tasks > 1;
    const threads = parallel ? this.threads : 1;
    this.#ensureScratch(threads, options.scratchFloats ?? 0);
    if (!parallel) {
      fn(this.#paramPtr, 0, tasks, this.#scratch[0]?.ptr ?? 0);
      return;
    }
    const ctl = this.#control;
    const generation = ++this.#generation;
    Atomics.store(this.#counter, COUNTER, (BigInt(generation) << 32n) | BigInt(CLOSED));
    ctl[Slot.kernel] = this.#index.get(name)!;
    ctl[Slot.params] = this.#paramPtr;
    ctl[Slot.tasks] = tasks;
    ctl[Slot.grain] = Math.max(1, options.grain ?? Math.floor(tasks / (8 * threads)));
    ctl[Slot.error] = 0;
    Atomics.store(this.#counter, COUNTER, BigInt(generation) << 32n);
    Atomics.store(ctl, Slot.generation, generation);
    Atomics.notify(ctl, Slot.generation);
    runGrains(ctl, this.#counter, this.#fnList, 0);
    let active = pollWhile(ctl, Slot.active, (workers) => workers !== 0);
    for (; active !== 0; active = Atomics.load(ctl, Slot.active)) Atomics.wait(ctl, Slot.active, active);
    if (Atomics.load(ctl, Slot.error)) throw new Error(`wasm backend: kernel "${name}" failed in a worker`);
  }

  /** Allocates a temporary block of `floats` 4-byte elements (free it with {@link release}). */
  temp(floats: number): Block {
    return this.allocator.allocate(Math.max(1, floats) * 4);
  }

  /** Frees a block. */
  release(block: Block): void {
    this.allocator.free(block);
  }

  /** Stops the workers and drops the memory. */
  destroy(): void {
    Atomics.store(this.#control, Slot.stop, 1);
    Atomics.store(this.#control, Slot.generation, ++this.#generation);
    Atomics.notify(this.#control, Slot.generation);
    for (const w of this.#workers) w.terminate();
    this.#workers.length = 0;
  }

  /** Grows the memory to at least `minBytes` (by a quarter at least, up to the 4 GiB limit), or says why it cannot. */
  #grow(minBytes: number): void {
    const pages = this.memory.buffer.byteLength / PAGE_BYTES;
    const needed = Math.ceil(minBytes / PAGE_BYTES) - pages;
    if (pages + needed > MAX_MEMORY_PAGES) {
      const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
      throw new RangeError(
        `wasm backend: out of memory: a block needs the linear memory to reach ${mib(minBytes)}, past WebAssembly's ` +
          `4 GiB limit (${mib(this.allocator.liveBytes)} held by live tensors, ${
            mib(this.allocator.freeBytes)
          } free in blocks too small); use a smaller batch size or model`,
      );
    }
    this.memory.grow(Math.min(Math.max(needed, Math.ceil(pages / 4)), MAX_MEMORY_PAGES - pages));
  }

  #refresh(): void {
    if (this.#buffer.byteLength !== this.memory.buffer.byteLength) {
      this.#buffer = this.memory.buffer;
      this.#f32 = new Float32Array(this.#buffer);
      this.#i32 = new Int32Array(this.#buffer);
    }
  }

  #ensureScratch(threads: number, floats: number): void {
    if (floats === 0) return;
    for (let t = 0; t < threads; t++) {
      const have = this.#scratch[t];
      if (have && have.bytes >= floats * 4) continue;
      if (have) this.allocator.free(have);
      this.#scratch[t] = this.allocator.allocate(floats * 4);
      this.#control[Slot.scratch + t] = this.#scratch[t].ptr;
    }
  }
}
