/**
 * A size-class allocator over a growable byte range (the WASM linear memory). Tensors are offsets into it.
 *
 * Sizes round up to a class (four classes per power of two, 64-byte aligned), freed blocks go to a free list
 * per class and are reused first; new blocks come from a bump pointer, and the memory grows when it runs out.
 * @module
 */

/** Alignment and smallest class, in bytes. */
const ALIGN = 64;

/** The class size for a request of `bytes`: at most 25% larger, a multiple of {@link ALIGN}. */
export function sizeClass(bytes: number): number {
  if (bytes <= ALIGN) return ALIGN;
  const step = Math.max(ALIGN, 2 ** (Math.floor(Math.log2(bytes - 1)) - 2));
  return Math.ceil(bytes / step) * step;
}

/** A block handed out by the allocator. */
export interface Block {
  /** byte offset in the linear memory */
  readonly ptr: number;
  /** bytes reserved (the class size) */
  readonly bytes: number;
  /** bytes requested */
  readonly used: number;
}

/** Size-class allocator; `grow(minBytes)` must make the memory at least `minBytes` long. */
export class SizeClassAllocator {
  #top: number;
  #free = new Map<number, number[]>();
  #live = 0;
  #peak = 0;
  readonly #capacity: () => number;
  readonly #grow: (minBytes: number) => void;

  /** Allocates from `base` upwards; `capacity()` is the memory's current length. */
  constructor(base: number, capacity: () => number, grow: (minBytes: number) => void) {
    this.#top = Math.ceil(base / ALIGN) * ALIGN;
    this.#capacity = capacity;
    this.#grow = grow;
  }

  /** Reserves at least `bytes` bytes. */
  allocate(bytes: number): Block {
    const size = sizeClass(bytes);
    let ptr = this.#free.get(size)?.pop();
    if (ptr === undefined) {
      ptr = this.#top;
      if (ptr + size > this.#capacity()) this.#grow(ptr + size);
      this.#top += size;
    }
    this.#live += bytes;
    this.#peak = Math.max(this.#peak, this.#live);
    return { ptr, bytes: size, used: bytes };
  }

  /** Returns a block to its free list. */
  free(block: Block): void {
    let list = this.#free.get(block.bytes);
    if (!list) this.#free.set(block.bytes, list = []);
    list.push(block.ptr);
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

  /** End of the highest block ever handed out (bytes of linear memory in use, free lists included). */
  get reservedBytes(): number {
    return this.#top;
  }
}
