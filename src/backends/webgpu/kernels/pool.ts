/**
 * WebGPU kernels for max, average and global average pooling (PyTorch window and divisor rules). Backward passes
 * gather over the windows that cover each input pixel, so they need no atomics and sum in a fixed order.
 * @module
 */
import type { Pool2dAttrs } from "../../../core/kernels.ts";
import { GLOBAL_POOL_SHADER, POOL_SHADER, poolGeometry } from "../../../core/param_blocks/mod.ts";
import { encodeBlock } from "../../../core/params.ts";
import type { GpuRuntime } from "../runtime.ts";
import type { GpuView } from "../storage.ts";
import { type GpuTable, groupsFor, storages } from "./common.ts";

type PoolName = "max_pool2d" | "max_pool2d_grad" | "avg_pool2d" | "avg_pool2d_grad" | "global_avg_pool";

function pool(
  rt: GpuRuntime,
  op: Exclude<PoolName, "global_avg_pool">,
  io: { inputs: readonly GpuView[]; outputs: readonly GpuView[] },
  a: Pool2dAttrs & { countIncludePad?: boolean },
): void {
  const grad = op.endsWith("_grad");
  const x = grad ? io.outputs[0].shape : io.inputs[0].shape;
  const y = grad ? io.inputs[0].shape : io.outputs[0].shape;
  const total = io.outputs[0].size;
  rt.dispatch({
    op,
    params: encodeBlock(POOL_SHADER, { geom: poolGeometry(x, y, a), total }),
    reads: storages(io.inputs),
    writes: storages(io.outputs),
    groups: groupsFor(total),
  });
}

/** The pooling kernels on `rt`. */
export function poolKernels(rt: GpuRuntime): Pick<GpuTable, PoolName> {
  return {
    max_pool2d: (inputs, outputs, a) => pool(rt, "max_pool2d", { inputs, outputs }, a),
    max_pool2d_grad: (inputs, outputs, a) => pool(rt, "max_pool2d_grad", { inputs, outputs }, a),
    avg_pool2d: (inputs, outputs, a) => pool(rt, "avg_pool2d", { inputs, outputs }, a),
    avg_pool2d_grad: (inputs, outputs, a) => pool(rt, "avg_pool2d_grad", { inputs, outputs }, a),
    global_avg_pool: (inputs, outputs) => {
      const [n, h, w, c] = inputs[0].shape;
      rt.dispatch({
        op: "global_avg_pool",
        params: encodeBlock(GLOBAL_POOL_SHADER, { n, hw: h * w, c }),
        reads: storages(inputs),
        writes: storages(outputs),
        groups: n * c,
      });
    },
  };
}
