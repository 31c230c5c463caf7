/**
 * Parameter blocks of the indexing kernels: row gathers and scatters (gather_rows, scatter_add_rows), per-row
 * element gathers and scatters (gather_row_elements, scatter_row_elements) and one_hot.
 * @module
 */
import { paramBlock } from "../params.ts";

/**
 * wasm indexing kernels (wasm-simd/indexing.c): `src` and `dst` by role (one_hot reads only idx), `rows` the index
 * count (N or M), `cols` the row size (C, or the depth of one_hot), `out_rows` the output rows of scatter_add_rows.
 */
export const INDEXING_KERNEL = paramBlock("IndexingParams", "Parameters of the wasm indexing kernels.", ["c"], {
  src: "ptr",
  idx: "iptr",
  dst: "ptr",
  rows: "u32",
  cols: "u32",
  out_rows: "u32",
});

/**
 * `gather_rows.wgsl`, `scatter_add_rows.wgsl`: `total` elements computed, `row_size`, and `rows` the source rows of
 * gather_rows (indices outside give zeros) or the index count of scatter_add_rows.
 */
export const ROWS_SHADER = paramBlock("RowsShaderParams", "Uniform parameters of the row gather/scatter shaders.", [
  "wgsl",
], {
  total: "u32",
  row_size: "u32",
  rows: "u32",
});

/** `gather_row_elements`, `scatter_row_elements`, `one_hot` shaders: N rows of `cols` columns (one_hot: depth). */
export const ROW_ELEMENTS_SHADER = paramBlock(
  "RowElementsShaderParams",
  "Uniform parameters of the per-row element shaders.",
  ["wgsl"],
  { rows: "u32", cols: "u32" },
);
