/**
 * A best-fit allocator over a growable byte range (the WASM linear memory). Tensors are offsets into it.
 *
 * Requests round up to 64 bytes. A request takes the smallest free block that holds it (the lowest address among
 * blocks of that size) and splits off the rest; a freed block merges with free neighbours on both sides, and a free
 * block that reaches the top of the range lowers the top instead. So memory freed by one model can hold the tensors of
 * the next whatever their sizes, and the range grows only when no free block is large enough. Every decision depends
 * only on the sequence of requests, so a run lays its tensors out the same way every time.
 * @module
 */

/** Alignment and smallest block, in bytes. */
const ALIGN = 64;

/** The bytes reserved for a request of `bytes`: the next multiple of {@link ALIGN} (at least one). */
export function blockSize(bytes: number): number {
  return Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
}

/** A block handed out by the allocator. */
export interface Block {
  /** byte offset in the linear memory */
  readonly ptr: number;
  /** bytes reserved */
  readonly bytes: number;
  /** bytes requested */
  readonly used: number;
}

/** Free blocks indexed by start, by end and by size, for best fit and merging. */
class FreeBlocks {
  /** size of the free block starting at each address */
  readonly #sizeAt = new Map<number, number>();
  /** start of the free block ending at each address */
  readonly #startOfEnd = new Map<number, number>();
  /** starts of the free blocks of each size, ascending */
  readonly #bySize = new Map<number, number[]>();
  /** the sizes present in {@link #bySize}, ascending */
  readonly #sizes: number[] = [];

  /** Size of the free block starting at `ptr`, if one does. */
  sizeAt(ptr: number): number | undefined {
    return this.#sizeAt.get(ptr);
  }

  /** Start of the free block ending at `end`, if one does. */
  startOfBlockEndingAt(end: number): number | undefined {
    return this.#startOfEnd.get(end);
  }

  /** Total bytes held in free blocks. */
  get totalBytes(): number {
    let total = 0;
    for (const size of this.#sizeAt.values()) total += size;
    return total;
  }

  add(ptr: number, size: number): void {
    this.#sizeAt.set(ptr, size);
    this.#startOfEnd.set(ptr + size, ptr);
    let starts = this.#bySize.get(size);
    if (!starts) {
      this.#bySize.set(size, starts = []);
      this.#sizes.splice(lowerBound(this.#sizes, size), 0, size);
    }
    starts.splice(lowerBound(starts, ptr), 0, ptr);
  }

  remove(ptr: number, size: number): void {
    this.#sizeAt.delete(ptr);
    this.#startOfEnd.delete(ptr + size);
    const starts = this.#bySize.get(size)!;
    starts.splice(lowerBound(starts, ptr), 1);
    if (starts.length === 0) {
      this.#bySize.delete(size);
      this.#sizes.splice(lowerBound(this.#sizes, size), 1);
    }
  }

  /** The lowest-addressed of the smallest free blocks of at least `size` bytes, removed from the index. */
  takeBestFit(size: number): { ptr: number; size: number } | undefined {
    const i = lowerBound(this.#sizes, size);
    if (i === this.#sizes.length) return undefined;
    const found = this.#sizes[i];
    const ptr = this.#bySize.get(found)![0];
    this.remove(ptr, found);
    return { ptr, size: found };
  }
}

/** First index of the ascending `values` whose value is ≥ `x`. */
function lowerBound(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Best-fit allocator with splitting and merging; `grow(minBytes)` must make the memory at least `minBytes` long or
 * throw. When it throws, `reclaim()` may free blocks that are only kept for speed (returning whether it freed any), and
 * the request is tried again.
 */
export class HeapAllocator {
  #top: number;
  #highWater: number;
  readonly #free = new FreeBlocks();
  #live = 0;
  #peak = 0;
  readonly #capacity: () => number;
  readonly #grow: (minBytes: number) => void;
  readonly #reclaim: () => boolean;

  /** Allocates from `base` upwards; `capacity()` is the memory's current length. */
  constructor(
    base: number,
    capacity: () => number,
    grow: (minBytes: number) => void,
    reclaim: () => boolean = () => false,
  ) {
    this.#top = Math.ceil(base / ALIGN) * ALIGN;
    this.#highWater = this.#top;
    this.#capacity = capacity;
    this.#grow = grow;
    this.#reclaim = reclaim;
  }

  /** Reserves at least `bytes` bytes. */
  allocate(bytes: number): Block {
    const size = blockSize(bytes);
    let ptr: number;
    const fit = this.#free.takeBestFit(size);
    if (fit) {
      ptr = fit.ptr;
      if (fit.size > size) this.#free.add(ptr + size, fit.size - size);
    } else {
      ptr = this.#top;
      if (ptr + size > this.#capacity()) {
        try {
          this.#grow(ptr + size);
        } catch (error) {
          // nothing has changed yet: after a reclaim the request starts over (it may now fit below the top)
          if (this.#reclaim()) return this.allocate(bytes);
          throw error;
        }
      }
      this.#top += size;
      this.#highWater = Math.max(this.#highWater, this.#top);
    }
    this.#live += bytes;
    this.#peak = Math.max(this.#peak, this.#live);
    return { ptr, bytes: size, used: bytes };
  }

  /** Returns a block, merging it with free neighbours. */
  free(block: Block): void {
    let ptr = block.ptr;
    let size = block.bytes;
    const nextSize = this.#free.sizeAt(ptr + size);
    if (nextSize !== undefined) {
      this.#free.remove(ptr + size, nextSize);
      size += nextSize;
    }
    const previous = this.#free.startOfBlockEndingAt(ptr);
    if (previous !== undefined) {
      this.#free.remove(previous, ptr - previous);
      size += ptr - previous;
      ptr = previous;
    }
    if (ptr + size === this.#top) this.#top = ptr;
    else this.#free.add(ptr, size);
    this.#live -= block.used;
  }

  /** Bytes requested by live blocks. */
  get liveBytes(): number {
    return this.#live;
  }

  /** Highest {@link liveBytes} so far. */
  get peakBytes(): number {
    return this.#peak;
  }

  /** End of the highest block now in use or free below it (the top of the range). */
  get topBytes(): number {
    return this.#top;
  }

  /** Highest {@link topBytes} so far: the linear memory the allocator has needed. */
  get highWaterBytes(): number {
    return this.#highWater;
  }

  /** Bytes in free blocks below the top (memory that fragmentation keeps from the top). */
  get freeBytes(): number {
    return this.#free.totalBytes;
  }
}
