/**
 * Helpers shared by the wasm kernel wrappers: storage views, pointers and the threading threshold.
 * @module
 */
import type { TensorView } from "../../../core/kernels.ts";
import { FILL_KERNEL, SUM_PARTIALS_KERNEL } from "../../../core/param_blocks/mod.ts";
import type { Block } from "../allocator.ts";
import type { WasmRuntime } from "../runtime.ts";

/** A tensor view over wasm storage. */
export type WasmView = TensorView<Block>;

/** Elements (or multiply-adds) below which a call stays on one thread: a dispatch costs 20–30 µs. */
export const PARALLEL_MIN_WORK = 1 << 16;

/** Byte offset of a view's data in the linear memory. */
export function ptr(view: WasmView): number {
  return view.storage.ptr;
}

/** Sets every 32-bit element of `view` to `bits` (the `fill` kernel, chunked over the threads). */
export function fillBits(rt: WasmRuntime, view: WasmView, bits: number): void {
  const n = view.size;
  rt.setParams(FILL_KERNEL, { y: ptr(view), n, bits });
  rt.run("fill", Math.ceil(n / rt.blocking.elemChunk), { parallel: n >= PARALLEL_MIN_WORK });
}

/** Throws a RangeError naming the op and argument unless every index is in [0, limit). */
export function checkIndices(op: string, arg: string, indices: Int32Array, limit: number): void {
  for (const i of indices) {
    if (!(i >= 0 && i < limit)) {
      throw new RangeError(`${op}: argument "${arg}" holds ${i}, expected an index in [0, ${limit})`);
    }
  }
}

/**
 * dst [rows, cols] (row stride `ld`, byte offset `dst`) = in-order sum of `chunks` partial [rows, cols] blocks
 * stored from byte offset `partials`.
 */
export function sumPartials(
  rt: WasmRuntime,
  partials: number,
  chunks: number,
  rows: number,
  cols: number,
  dst: number,
  ld: number,
): void {
  rt.setParams(SUM_PARTIALS_KERNEL, { chunks, rows, cols, partials, dst, ld });
  rt.run("sum_partials", Math.ceil(rows / rt.blocking.gemmRows), {
    parallel: rows * cols * chunks >= PARALLEL_MIN_WORK,
  });
}
