/**
 * WebGPU kernels for max, average and global average pooling (PyTorch window and divisor rules) and the sum pool
 * that is the gradient of nearest upsampling. Pooling backward passes gather over the windows that cover each input
 * pixel, so they need no atomics and sum in a fixed order.
 * @module
 */
import type { Pool2dAttrs } from "../../../core/kernels.ts";
import {
  GLOBAL_POOL_SHADER,
  POOL_GEOMETRY,
  POOL_SHADER,
  poolGeometry,
  upsampleGradGeometry,
} from "../../../core/param_blocks/mod.ts";
import { encodeBlock, type ScalarValues } from "../../../core/params.ts";
import type { GpuRuntime } from "../runtime.ts";
import type { GpuView } from "../storage.ts";
import { type GpuTable, groupsFor, storages } from "./common.ts";

type PoolName =
  | "max_pool2d"
  | "max_pool2d_grad"
  | "avg_pool2d"
  | "avg_pool2d_grad"
  | "global_avg_pool"
  | "upsample_nearest2d_grad";
type Io = { inputs: readonly GpuView[]; outputs: readonly GpuView[] };

/** One invocation per element of the op's first output, over pooling geometry `geom`. */
function dispatchPool(rt: GpuRuntime, op: PoolName, io: Io, geom: ScalarValues<typeof POOL_GEOMETRY.fields>): void {
  const total = io.outputs[0].size;
  rt.dispatch({
    op,
    params: encodeBlock(POOL_SHADER, { geom, total }),
    reads: storages(io.inputs),
    writes: storages(io.outputs),
    groups: groupsFor(total),
  });
}

function pool(
  rt: GpuRuntime,
  op: Exclude<PoolName, "global_avg_pool" | "upsample_nearest2d_grad">,
  io: Io,
  a: Pool2dAttrs & { countIncludePad?: boolean },
): void {
  const grad = op.endsWith("_grad");
  const x = grad ? io.outputs[0].shape : io.inputs[0].shape;
  const y = grad ? io.inputs[0].shape : io.outputs[0].shape;
  dispatchPool(rt, op, io, poolGeometry(x, y, a));
}

/** The pooling kernels on `rt`. */
export function poolKernels(rt: GpuRuntime): Pick<GpuTable, PoolName> {
  return {
    max_pool2d: (inputs, outputs, a) => pool(rt, "max_pool2d", { inputs, outputs }, a),
    max_pool2d_grad: (inputs, outputs, a) => pool(rt, "max_pool2d_grad", { inputs, outputs }, a),
    avg_pool2d: (inputs, outputs, a) => pool(rt, "avg_pool2d", { inputs, outputs }, a),
    avg_pool2d_grad: (inputs, outputs, a) => pool(rt, "avg_pool2d_grad", { inputs, outputs }, a),
    upsample_nearest2d_grad: (inputs, outputs, a) =>
      dispatchPool(
        rt,
        "upsample_nearest2d_grad",
        { inputs, outputs },
        upsampleGradGeometry(inputs[0].shape, outputs[0].shape, a.scale),
      ),
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
