/**
 * Packed forms of tensors kept between kernel calls. A convolution or GEMM first rewrites its weight operand into
 * the layout its micro-kernel reads (`pack_b`, or the Winograd filter transform); in eval mode the same weights come
 * back call after call unchanged, so the packing can be kept instead of redone. A packed form is keyed on the
 * tensor's storage and on what was packed (`key`: which layout, which part), and is valid while the tensor's write
 * count ({@link TensorView.version}) stays the one it was packed at.
 *
 * A form is kept only when a tensor comes back at the same version with the same key (the second call packs into a
 * kept block, the third and later reuse it): a training step packs each weight once per layout and writes it before
 * the next step, so training keeps nothing beyond the calls' own temporaries. Kept blocks count as live memory; a
 * storage's are freed with it ({@link PackedCache.forget}), all of them by {@link PackedCache.clear} (the backend's
 * `trim`), and no more than `maxBytes` are kept at once (further forms are packed per call, as before).
 * When the linear memory cannot grow for a request, the allocator asks {@link PackedCache.reclaim} to free the kept
 * forms no call is reading, and the cache then keeps nothing more until {@link PackedCache.clear}: what fitted in
 * memory before packings were kept still fits.
 *
 * Reusing a packed form changes no bit: the kernel reads the same floats it would have packed.
 * @module
 */
import type { TensorView } from "../../core/kernels.ts";
import type { Block, HeapAllocator } from "./allocator.ts";

/** Most bytes of packed forms kept at once (IR-50's eval forward keeps 231 MiB at batch 1, 480 MiB at batch 16). */
export const PACKED_CACHE_MAX_BYTES = 1 << 30;

/** The packed form a kernel call reads, and how to let go of it once the call has run. */
export interface PackedLease {
  /** byte offset of the packed floats in the linear memory */
  readonly ptr: number;
  /** frees the block unless the cache keeps it */
  release(): void;
}

/**
 * What is remembered of one key of one storage: the version last packed, the block kept for it, if any, and how many
 * calls are reading that block now.
 */
interface Entry {
  version: number;
  block: Block | null;
  readers: number;
}

/** Packed forms of tensors, kept across calls while their tensors are not written (see the module comment). */
export class PackedCache {
  readonly #allocator: HeapAllocator;
  readonly #maxBytes: number;
  readonly #byStorage = new Map<Block, Map<string, Entry>>();
  #bytes = 0;
  /** false after a reclaim, until {@link clear} */
  #keeping = true;

  /** A cache whose blocks come from `allocator`, keeping at most `maxBytes`. */
  constructor(allocator: HeapAllocator, maxBytes = PACKED_CACHE_MAX_BYTES) {
    this.#allocator = allocator;
    this.#maxBytes = maxBytes;
  }

  /** Bytes of packed forms kept now. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * The packed form `key` of `view`, `floats` 4-byte elements long: the kept one when `view`'s tensor is at the
   * version it was packed at, else a block that `fill` packs (given its byte offset). A view without a version (a
   * backend's own temporary) is packed every call. Release the lease after the call that reads it.
   */
  obtain(view: TensorView<Block>, key: string, floats: number, fill: (ptr: number) => void): PackedLease {
    const bytes = Math.max(1, floats) * 4, version = view.version;
    if (version === undefined) return this.#temporary(bytes, fill);
    let entries = this.#byStorage.get(view.storage);
    if (!entries) this.#byStorage.set(view.storage, entries = new Map());
    const entry = entries.get(key);
    if (entry?.version !== version) {
      if (entry) this.#drop(entry);
      entries.set(key, { version, block: null, readers: 0 });
      return this.#temporary(bytes, fill);
    }
    if (entry.block) return this.#read(entry, entry.block);
    if (!this.#keeping || this.#bytes + bytes > this.#maxBytes) return this.#temporary(bytes, fill);
    // filled before it is kept, so a reclaim while `fill` runs (its kernel may allocate) cannot free it
    const block = this.#filled(bytes, fill);
    if (!this.#keeping) return this.#lease(block);
    this.#bytes += block.used;
    entry.block = block;
    return this.#read(entry, block);
  }

  /**
   * Frees the kept forms that no call is reading (memory ran short) and stops keeping new ones until {@link clear};
   * returns whether anything was freed.
   */
  reclaim(): boolean {
    this.#keeping = false;
    let freed = false;
    for (const entries of this.#byStorage.values()) {
      for (const entry of entries.values()) {
        if (entry.block && entry.readers === 0) {
          this.#drop(entry);
          freed = true;
        }
      }
    }
    return freed;
  }

  /** Frees every packed form of `storage` (called when the storage itself is freed). */
  forget(storage: Block): void {
    const entries = this.#byStorage.get(storage);
    if (!entries) return;
    for (const entry of entries.values()) this.#drop(entry);
    this.#byStorage.delete(storage);
  }

  /** Frees every kept packed form, and keeps new ones again after a {@link reclaim}. */
  clear(): void {
    for (const entries of this.#byStorage.values()) {
      for (const entry of entries.values()) this.#drop(entry);
    }
    this.#byStorage.clear();
    this.#keeping = true;
  }

  /** A lease on a kept block: counted as read until released, so {@link reclaim} leaves it alone. */
  #read(entry: Entry, block: Block): PackedLease {
    entry.readers++;
    let released = false;
    return {
      ptr: block.ptr,
      release: () => {
        if (!released) entry.readers--;
        released = true;
      },
    };
  }

  /** A block of `bytes` that `fill` has packed; freed again if `fill` throws. */
  #filled(bytes: number, fill: (ptr: number) => void): Block {
    const block = this.#allocator.allocate(bytes);
    try {
      fill(block.ptr);
    } catch (error) {
      this.#allocator.free(block);
      throw error;
    }
    return block;
  }

  /** A packing made for one call only. */
  #temporary(bytes: number, fill: (ptr: number) => void): PackedLease {
    return this.#lease(this.#filled(bytes, fill));
  }

  /** A lease that frees `block` on release. */
  #lease(block: Block): PackedLease {
    return { ptr: block.ptr, release: () => this.#allocator.free(block) };
  }

  #drop(entry: Entry): void {
    if (!entry.block) return;
    this.#bytes -= entry.block.used;
    this.#allocator.free(entry.block);
    entry.block = null;
  }
}
