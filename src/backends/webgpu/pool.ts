/**
 * Buffer pool keyed by size class: disposed tensors return their buffer to a free list, and the next allocation
 * of the same class reuses it. Free buffers are destroyed by `trim` (between models) and all buffers with the pool.
 * @module
 */

/** Counters of the pool, for tests and reports. */
export interface PoolStats {
  /** Buffers created (pool misses). */
  created: number;
  /** Allocations served from the free lists (pool hits). */
  reused: number;
  /** Bytes of all buffers the pool owns. */
  ownedBytes: number;
  /** Free buffers destroyed by {@link BufferPool.trim}. */
  trimmed: number;
}

/** Size class of a request: 256 bytes minimum, then powers of two split into quarter steps (≤ 25% slack). */
export function sizeClass(bytes: number): number {
  if (bytes <= 256) return 256;
  const pow = 2 ** Math.floor(Math.log2(bytes));
  const step = pow / 4;
  return Math.ceil(bytes / step) * step;
}

/** A pool of storage buffers by size class. */
export class BufferPool {
  readonly #device: GPUDevice;
  readonly #free = new Map<number, GPUBuffer[]>();
  readonly #all: GPUBuffer[] = [];
  #stats: PoolStats = { created: 0, reused: 0, ownedBytes: 0, trimmed: 0 };

  /** Creates an empty pool on `device`. */
  constructor(device: GPUDevice) {
    this.#device = device;
  }

  /** A buffer of at least `bytes` bytes. */
  acquire(bytes: number): GPUBuffer {
    const cls = sizeClass(bytes);
    const reused = this.#free.get(cls)?.pop();
    if (reused) {
      this.#stats.reused++;
      return reused;
    }
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const buffer = this.#device.createBuffer({ size: cls, usage });
    this.#all.push(buffer);
    this.#stats.created++;
    this.#stats.ownedBytes += cls;
    return buffer;
  }

  /** Returns a buffer to its free list. */
  release(buffer: GPUBuffer): void {
    const list = this.#free.get(buffer.size);
    if (list) list.push(buffer);
    else this.#free.set(buffer.size, [buffer]);
  }

  /** Destroys every free buffer (call only when no queued or unsubmitted work uses them). */
  trim(): void {
    const free = new Set([...this.#free.values()].flat());
    for (const buffer of free) {
      buffer.destroy();
      this.#stats.ownedBytes -= buffer.size;
      this.#stats.trimmed++;
    }
    this.#free.clear();
    const kept = this.#all.filter((b) => !free.has(b));
    this.#all.length = 0;
    this.#all.push(...kept);
  }

  /** Pool counters (a copy). */
  stats(): PoolStats {
    return { ...this.#stats };
  }

  /** Destroys every buffer. */
  destroy(): void {
    for (const b of this.#all) b.destroy();
    this.#all.length = 0;
    this.#free.clear();
  }
}
