/**
 * The WebGPU runtime: pipeline cache (op + entry point + binding pattern), command batching (every dispatch is
 * encoded into one open compute pass and submitted only at sync points), per-dispatch uniform parameters and
 * error collection.
 * @module
 */
import type { OpName } from "../../core/kernels.ts";
import type { BufferPool } from "./pool.ts";
import type { GpuStorage } from "./storage.ts";

/** One compute dispatch. */
export interface Dispatch {
  /** The op whose shader runs. */
  op: OpName;
  /** Entry point (default "main"). */
  entry?: string;
  /** Uniform parameters (binding 0, at most {@link MAX_PARAMS} words): the shader's block, from `encodeBlock`. */
  params: Uint32Array;
  /** Storages bound read-only at bindings 1…r. */
  reads: readonly GpuStorage[];
  /** Storages bound read-write at bindings r+1…r+w. */
  writes: readonly GpuStorage[];
  /** Workgroup count: a linear count (spread over x and y) or an explicit [x, y, z] grid. */
  groups: number | readonly [number, number, number];
}

/** Counters of the runtime, for tests and reports. */
export interface RuntimeStats {
  /** Pipelines compiled (cache misses). */
  pipelines: number;
  /** Dispatches encoded. */
  dispatches: number;
  /** Command buffers submitted. */
  submits: number;
}

/** Uniform parameters per dispatch (one 256-byte slot, the uniform offset alignment). */
export const MAX_PARAMS = 64;
const SLOT_BYTES = MAX_PARAMS * 4;
// Dispatches per batch before an early submit: enough for a whole training step of the larger backbones.
const SLOTS = 4096;

/** Spreads a linear workgroup count over x and y within the per-dimension limit. */
export function gridOf(groups: number, maxPerDim: number): [number, number, number] {
  const x = Math.min(groups, maxPerDim);
  return [x, Math.ceil(groups / x), 1];
}

/** Compiles, batches and submits compute work on one device. */
export class GpuRuntime {
  readonly #device: GPUDevice;
  readonly #pool: BufferPool;
  readonly #sources: Map<OpName, string>;
  readonly #modules = new Map<OpName, GPUShaderModule>();
  readonly #pipelines = new Map<string, GPUComputePipeline>();
  readonly #layouts = new Map<string, GPUBindGroupLayout>();
  readonly #paramHost = new ArrayBuffer(SLOT_BYTES * SLOTS);
  readonly #paramBuffer: GPUBuffer;
  readonly #maxPerDim: number;
  #slot = 0;
  #encoder: GPUCommandEncoder | null = null;
  #pass: GPUComputePassEncoder | null = null;
  #batchOps: string[] = [];
  readonly #pendingBuffers = new Set<GPUBuffer>();
  readonly #errorChecks: Promise<string | null>[] = [];
  #stats: RuntimeStats = { pipelines: 0, dispatches: 0, submits: 0 };

  /** Creates a runtime over `device` with the WGSL source of every op; scratch buffers come from `pool`. */
  constructor(device: GPUDevice, pool: BufferPool, sources: Map<OpName, string>) {
    this.#device = device;
    this.#pool = pool;
    this.#sources = sources;
    this.#maxPerDim = device.limits.maxComputeWorkgroupsPerDimension;
    this.#paramBuffer = device.createBuffer({
      size: SLOT_BYTES * SLOTS,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
  }

  /** Runtime counters (a copy). */
  stats(): RuntimeStats {
    return { ...this.#stats };
  }

  /** Encodes one dispatch into the open batch; nothing runs until {@link flush}. */
  dispatch(d: Dispatch): void {
    const entry = d.entry ?? "main";
    if (d.params.length > MAX_PARAMS) {
      throw new RangeError(`webgpu ${d.op}: ${d.params.length} uniform parameters, at most ${MAX_PARAMS}`);
    }
    const [gx, gy, gz] = typeof d.groups === "number" ? gridOf(d.groups, this.#maxPerDim) : d.groups;
    if (gx === 0 || gy === 0 || gz === 0) return;
    if (Math.max(gx, gy, gz) > this.#maxPerDim) {
      throw new RangeError(`webgpu ${d.op}: grid [${gx}, ${gy}, ${gz}] exceeds ${this.#maxPerDim} per dimension`);
    }
    if (this.#slot === SLOTS) this.flush();
    const pass = this.#openPass();
    const layout = this.#layout(d.reads.length, d.writes.length);
    const pipeline = this.#pipeline(d.op, entry, layout, `${d.reads.length}r${d.writes.length}w`);
    const offset = this.#slot * SLOT_BYTES;
    this.#writeParams(offset, d.params);
    this.#slot++;
    const buffers = [...d.reads, ...d.writes].map((s) => s.buffer);
    const entries: GPUBindGroupEntry[] = [{
      binding: 0,
      resource: { buffer: this.#paramBuffer, offset, size: SLOT_BYTES },
    }];
    buffers.forEach((buffer, i) => entries.push({ binding: i + 1, resource: { buffer } }));
    const bindGroup = this.#device.createBindGroup({ label: d.op, layout, entries });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(gx, gy, gz);
    for (const b of buffers) this.#pendingBuffers.add(b);
    this.#batchOps.push(d.op);
    this.#stats.dispatches++;
  }

  /**
   * Lends `fn` a scratch storage of `size` f32 elements for the dispatches it encodes, then returns it to the pool
   * (safe: later work that reuses the buffer is encoded, and so runs, after those dispatches).
   */
  withScratch(size: number, fn: (scratch: GpuStorage) => void): void {
    const scratch = { buffer: this.#pool.acquire(Math.max(4, size * 4)), size };
    try {
      fn(scratch);
    } finally {
      this.#pool.release(scratch.buffer);
    }
  }

  /** True when `buffer` is used by encoded work that has not been submitted yet. */
  isPending(buffer: GPUBuffer): boolean {
    return this.#pendingBuffers.has(buffer);
  }

  /** Submits the open batch (if any) with its uniform parameters. */
  flush(): void {
    if (!this.#encoder) return;
    this.#pass?.end();
    this.#pass = null;
    if (this.#slot > 0) {
      this.#device.queue.writeBuffer(this.#paramBuffer, 0, this.#paramHost, 0, this.#slot * SLOT_BYTES);
    }
    this.#device.queue.submit([this.#encoder.finish()]);
    const ops = this.#batchOps;
    this.#errorChecks.push(
      this.#device.popErrorScope().then((e) => e ? `webgpu: ${e.message} (in a batch of: ${summarize(ops)})` : null),
    );
    this.#encoder = null;
    this.#slot = 0;
    this.#batchOps = [];
    this.#pendingBuffers.clear();
    this.#stats.submits++;
  }

  /** Copies `bytes` bytes of `src` to the host after all queued work, as an ArrayBuffer copy. */
  async readBuffer(src: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    const staging = this.#device.createBuffer({
      size: bytes,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const encoder = this.#openEncoder();
    this.#pass?.end();
    this.#pass = null;
    encoder.copyBufferToBuffer(src, 0, staging, 0, bytes);
    this.#batchOps.push("read");
    this.flush();
    try {
      await staging.mapAsync(GPUMapMode.READ);
      const copy = staging.getMappedRange().slice(0);
      staging.unmap();
      await this.checkErrors();
      return copy;
    } finally {
      staging.destroy();
    }
  }

  /** Writes host bytes into a buffer, after any encoded work that still uses it. */
  writeBuffer(dst: GPUBuffer, data: ArrayBufferView): void {
    if (this.isPending(dst)) this.flush();
    this.#device.queue.writeBuffer(dst, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
  }

  /** Submits the open batch and waits for the queue to drain; throws the first recorded GPU error. */
  async sync(): Promise<void> {
    this.flush();
    await this.#device.queue.onSubmittedWorkDone();
    await this.checkErrors();
  }

  /** Throws the first validation or out-of-memory error recorded by submitted batches. */
  async checkErrors(): Promise<void> {
    const results = await Promise.all(this.#errorChecks.splice(0));
    const first = results.find((r) => r !== null);
    if (first) throw new Error(first);
  }

  /** Releases the parameter buffer. */
  destroy(): void {
    this.#pass?.end();
    this.#encoder = null;
    this.#pass = null;
    this.#paramBuffer.destroy();
  }

  #openEncoder(): GPUCommandEncoder {
    if (!this.#encoder) {
      this.#device.pushErrorScope("validation");
      this.#encoder = this.#device.createCommandEncoder();
    }
    return this.#encoder;
  }

  #openPass(): GPUComputePassEncoder {
    const encoder = this.#openEncoder();
    if (!this.#pass) this.#pass = encoder.beginComputePass();
    return this.#pass;
  }

  #writeParams(offset: number, params: Uint32Array): void {
    new Uint32Array(this.#paramHost, offset, MAX_PARAMS).set(params);
  }

  #layout(reads: number, writes: number): GPUBindGroupLayout {
    const key = `${reads}r${writes}w`;
    let layout = this.#layouts.get(key);
    if (!layout) {
      const entries: GPUBindGroupLayoutEntry[] = [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: "uniform" } },
      ];
      for (let i = 0; i < reads + writes; i++) {
        const type = i < reads ? "read-only-storage" : "storage";
        entries.push({ binding: i + 1, visibility: GPUShaderStage.COMPUTE, buffer: { type } });
      }
      layout = this.#device.createBindGroupLayout({ entries });
      this.#layouts.set(key, layout);
    }
    return layout;
  }

  #pipeline(op: OpName, entry: string, layout: GPUBindGroupLayout, pattern: string): GPUComputePipeline {
    const key = `${op}:${entry}:${pattern}`;
    let pipeline = this.#pipelines.get(key);
    if (!pipeline) {
      let module = this.#modules.get(op);
      if (!module) {
        module = this.#device.createShaderModule({ label: op, code: this.#sources.get(op)! });
        this.#modules.set(op, module);
      }
      pipeline = this.#device.createComputePipeline({
        label: key,
        layout: this.#device.createPipelineLayout({ bindGroupLayouts: [layout] }),
        compute: { module, entryPoint: entry },
      });
      this.#pipelines.set(key, pipeline);
      this.#stats.pipelines++;
    }
    return pipeline;
  }
}

/** "conv2d ×3, relu" style summary of a batch's ops for error messages. */
function summarize(ops: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const op of ops) counts.set(op, (counts.get(op) ?? 0) + 1);
  return [...counts].map(([op, n]) => (n > 1 ? `${op} ×${n}` : op)).join(", ");
}
