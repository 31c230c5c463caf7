/**
 * WebGPU kernels for row gathers/scatters, per-row element access and one-hot encoding. Scatters are written as
 * gathers (each output element scans the indices in order), so they need no atomics and sum in a fixed order.
 * Indices cannot be validated without a read-back: an out-of-range index yields NaN where the reference throws.
 * @module
 */
import type { GpuRuntime, Param } from "../runtime.ts";
import type { GpuView } from "../storage.ts";
import { type GpuTable, groupsFor, storages } from "./common.ts";

type IndexingName = "gather_rows" | "scatter_add_rows" | "gather_row_elements" | "scatter_row_elements" | "one_hot";

function elementwise(
  rt: GpuRuntime,
  op: IndexingName,
  io: { inputs: readonly GpuView[]; outputs: readonly GpuView[] },
  params: Param[],
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

/** The indexing kernels on `rt`. */
export function indexingKernels(rt: GpuRuntime): Pick<GpuTable, IndexingName> {
  return {
    gather_rows: (inputs, outputs) =>
      elementwise(rt, "gather_rows", { inputs, outputs }, [outputs[0].size, rowSize(inputs[0]), inputs[0].shape[0]]),
    scatter_add_rows: (inputs, outputs) =>
      elementwise(rt, "scatter_add_rows", { inputs, outputs }, [
        outputs[0].size,
        rowSize(outputs[0]),
        inputs[1].size,
      ]),
    gather_row_elements: (inputs, outputs) =>
      elementwise(rt, "gather_row_elements", { inputs, outputs }, [inputs[0].shape[0], inputs[0].shape[1]]),
    scatter_row_elements: (inputs, outputs) =>
      elementwise(rt, "scatter_row_elements", { inputs, outputs }, [outputs[0].shape[0], outputs[0].shape[1]]),
    one_hot: (inputs, outputs) =>
      elementwise(rt, "one_hot", { inputs, outputs }, [outputs[0].shape[0], outputs[0].shape[1]]),
  };
}
