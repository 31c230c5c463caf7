/**
 * Wrappers of the indexing kernels (wasm-simd/indexing.c); indices are range-checked here first.
 * @module
 */
import type { KernelTable } from "../../../core/kernels.ts";
import { INDEXING_KERNEL } from "../../../core/param_blocks/mod.ts";
import type { Block } from "../allocator.ts";
import type { WasmRuntime } from "../runtime.ts";
import { checkIndices, ptr, type WasmView } from "./common.ts";

type IndexingName = "gather_rows" | "scatter_add_rows" | "gather_row_elements" | "scatter_row_elements" | "one_hot";

/** The indexing kernels of the wasm backend. */
export function indexingKernels(rt: WasmRuntime): Pick<KernelTable<Block>, IndexingName> {
  const indices = (v: WasmView) => rt.i32.subarray(ptr(v) / 4, ptr(v) / 4 + v.size);
  const rowSize = (v: WasmView) => (v.shape[0] === 0 ? 0 : v.size / v.shape[0]);
  return {
    gather_rows: (i, o) => {
      checkIndices("gather_rows", "idx", indices(i[1]), i[0].shape[0]);
      rt.setParams(INDEXING_KERNEL, {
        src: ptr(i[0]),
        idx: ptr(i[1]),
        dst: ptr(o[0]),
        rows: i[1].size,
        cols: rowSize(i[0]),
      });
      rt.run("gather_rows", 1);
    },
    scatter_add_rows: (i, o) => {
      const rows = o[0].shape[0];
      checkIndices("scatter_add_rows", "idx", indices(i[1]), rows);
      rt.setParams(INDEXING_KERNEL, {
        src: ptr(i[0]),
        idx: ptr(i[1]),
        dst: ptr(o[0]),
        rows: i[1].size,
        cols: rowSize(o[0]),
        out_rows: rows,
      });
      rt.run("scatter_add_rows", 1);
    },
    gather_row_elements: (i, o) => {
      const c = i[0].shape[1];
      checkIndices("gather_row_elements", "idx", indices(i[1]), c);
      rt.setParams(INDEXING_KERNEL, { src: ptr(i[0]), idx: ptr(i[1]), dst: ptr(o[0]), rows: i[1].size, cols: c });
      rt.run("gather_row_elements", 1);
    },
    scatter_row_elements: (i, o) => {
      const c = o[0].shape[1];
      checkIndices("scatter_row_elements", "idx", indices(i[1]), c);
      rt.setParams(INDEXING_KERNEL, { src: ptr(i[0]), idx: ptr(i[1]), dst: ptr(o[0]), rows: i[1].size, cols: c });
      rt.run("scatter_row_elements", 1);
    },
    one_hot: (i, o) => {
      rt.setParams(INDEXING_KERNEL, { idx: ptr(i[0]), dst: ptr(o[0]), rows: i[0].size, cols: o[0].shape[1] });
      rt.run("one_hot", 1);
    },
  };
}
