/**
 * Reference kernels for row gathers/scatters, per-row element access and one-hot encoding.
 * @module
 */
import type { KernelTable } from "../../core/kernels.ts";
import { arr, type RefStorage, type RefView } from "./storage.ts";

function checkIndex(op: string, i: number, limit: number): void {
  if (!(i >= 0 && i < limit)) {
    throw new RangeError(`${op}: argument "idx" holds ${i}, expected an index in [0, ${limit})`);
  }
}

/** out[m] = x[idx[m]]. */
export function gatherRowsKernel(inputs: readonly RefView[], outputs: readonly RefView[]) {
  const [x, idx] = inputs.map(arr);
  const y = arr(outputs[0]);
  const rowSize = inputs[0].size / inputs[0].shape[0];
  for (let m = 0; m < idx.length; m++) {
    checkIndex("gather_rows", idx[m], inputs[0].shape[0]);
    y.set(x.subarray(idx[m] * rowSize, (idx[m] + 1) * rowSize), m * rowSize);
  }
}

/** out[idx[m]] += src[m], in m order. */
export function scatterAddRowsKernel(inputs: readonly RefView[], outputs: readonly RefView[]) {
  const [src, idx] = inputs.map(arr);
  const y = arr(outputs[0]);
  const rows = outputs[0].shape[0];
  const rowSize = rows === 0 ? 0 : outputs[0].size / rows;
  y.fill(0);
  for (let m = 0; m < idx.length; m++) {
    checkIndex("scatter_add_rows", idx[m], rows);
    for (let j = 0; j < rowSize; j++) y[idx[m] * rowSize + j] += src[m * rowSize + j];
  }
}

/** out[n] = x[n, idx[n]]. */
export function gatherRowElementsKernel(inputs: readonly RefView[], outputs: readonly RefView[]) {
  const [x, idx] = inputs.map(arr);
  const y = arr(outputs[0]);
  const c = inputs[0].shape[1];
  for (let n = 0; n < idx.length; n++) {
    checkIndex("gather_row_elements", idx[n], c);
    y[n] = x[n * c + idx[n]];
  }
}

/** out[n, idx[n]] = v[n], zero elsewhere. */
export function scatterRowElementsKernel(inputs: readonly RefView[], outputs: readonly RefView[]) {
  const [v, idx] = inputs.map(arr);
  const y = arr(outputs[0]);
  const c = outputs[0].shape[1];
  y.fill(0);
  for (let n = 0; n < idx.length; n++) {
    checkIndex("scatter_row_elements", idx[n], c);
    y[n * c + idx[n]] = v[n];
  }
}

/** One-hot rows; out-of-range labels give zero rows. */
export function oneHotKernel(inputs: readonly RefView[], outputs: readonly RefView[]) {
  const idx = arr(inputs[0]);
  const y = arr(outputs[0]);
  const depth = outputs[0].shape[1];
  y.fill(0);
  for (let n = 0; n < idx.length; n++) if (idx[n] >= 0 && idx[n] < depth) y[n * depth + idx[n]] = 1;
}

/** The indexing kernels, keyed by op name. */
export const indexingKernels: Pick<
  KernelTable<RefStorage>,
  "gather_rows" | "scatter_add_rows" | "gather_row_elements" | "scatter_row_elements" | "one_hot"
> = {
  gather_rows: gatherRowsKernel,
  scatter_add_rows: scatterAddRowsKernel,
  gather_row_elements: gatherRowElementsKernel,
  scatter_row_elements: scatterRowElementsKernel,
  one_hot: oneHotKernel,
};
