/**
 * WebGPU kernels for row gathers/scatters, per-row element access and one-hot encoding. Scatters are written as
 * gathers (each output element scans the indices in order), so they need no atomics and sum in a fixed order.
 * Indices cannot be validated without a read-back: an out-of-range index yields NaN where the reference throws.
 * @module
 */
import { ROW_ELEMENTS_SHADER, ROWS_SHADER } from "../../../core/param_blocks/mod.ts";
import { encodeBlock } from "../../../core/params.ts";
import type { GpuRuntime } from "../runtime.ts";
import type { GpuView } from "../storage.ts";
import { type GpuTable, groupsFor, storages } from "./common.ts";

type IndexingName = "gather_rows" | "scatter_add_rows" | "gather_row_elements" | "scatter_row_elements" | "one_hot";

function elementwise(
  rt: GpuRuntime,
  op: IndexingName,
  io: { inputs: readonly GpuView[]; outputs: readonly GpuView[] },
  params: Uint32Array,
): void {
  rt.dispatch({
    op,
    params,
    reads: storages(io.inputs),
    writes: storages(io.outputs),
    groups: groupsFor(io.outputs[0].size),
  });
}

/** Elements per row of a tensor whose first axis indexes rows. */
function rowSize(t: GpuView): number {
  return t.shape[0] === 0 ? 0 : t.size / t.shape[0];
}

/** The per-row element parameters of a 2-D tensor [rows, cols]. */
function rowElements(t: GpuView): Uint32Array {
  return encodeBlock(ROW_ELEMENTS_SHADER, { rows: t.shape[0], cols: t.shape[1] });
}

/** The indexing kernels on `rt`. */
export function indexingKernels(rt: GpuRuntime): Pick<GpuTable, IndexingName> {
  return {
    gather_rows: (inputs, outputs) =>
      elementwise(
        rt,
        "gather_rows",
        { inputs, outputs },
        encodeBlock(ROWS_SHADER, { total: outputs[0].size, row_size: rowSize(inputs[0]), rows: inputs[0].shape[0] }),
      ),
    scatter_add_rows: (inputs, outputs) =>
      elementwise(
        rt,
        "scatter_add_rows",
        { inputs, outputs },
        encodeBlock(ROWS_SHADER, { total: outputs[0].size, row_size: rowSize(outputs[0]), rows: inputs[1].size }),
      ),
    gather_row_elements: (inputs, outputs) =>
      elementwise(rt, "gather_row_elements", { inputs, outputs }, rowElements(inputs[0])),
    scatter_row_elements: (inputs, outputs) =>
      elementwise(rt, "scatter_row_elements", { inputs, outputs }, rowElements(outputs[0])),
    one_hot: (inputs, outputs) => elementwise(rt, "one_hot", { inputs, outputs }, rowElements(outputs[0])),
  };
}
