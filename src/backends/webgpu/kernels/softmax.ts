/**
 * WebGPU kernels for the softmax family along the last axis (one workgroup per row, tree reductions).
 * @module
 */
import { SOFTMAX_SHADER, SOFTMAX_XENT_SHADER } from "../../../core/param_blocks/mod.ts";
import { encodeBlock } from "../../../core/params.ts";
import type { GpuRuntime } from "../runtime.ts";
import type { GpuView } from "../storage.ts";
import { type GpuTable, groupsFor, storages } from "./common.ts";

type SoftmaxName = "softmax" | "log_softmax" | "softmax_cross_entropy" | "softmax_cross_entropy_grad";

function rows(rt: GpuRuntime, op: "softmax" | "log_softmax", x: GpuView, y: GpuView): void {
  const len = x.shape[x.shape.length - 1];
  const count = len === 0 ? 0 : x.size / len;
  const params = encodeBlock(SOFTMAX_SHADER, { rows: count, len });
  rt.dispatch({ op, params, reads: [x.storage], writes: [y.storage], groups: count });
}

/** The softmax kernels on `rt`. */
export function softmaxKernels(rt: GpuRuntime): Pick<GpuTable, SoftmaxName> {
  return {
    softmax: (inputs, outputs) => rows(rt, "softmax", inputs[0], outputs[0]),
    log_softmax: (inputs, outputs) => rows(rt, "log_softmax", inputs[0], outputs[0]),
    softmax_cross_entropy: (inputs, outputs, a) => {
      const [n, c] = inputs[0].shape;
      rt.dispatch({
        op: "softmax_cross_entropy",
        params: encodeBlock(SOFTMAX_XENT_SHADER, { n, c, smoothing: a.smoothing }),
        reads: storages(inputs),
        writes: storages(outputs),
        groups: n,
      });
    },
    softmax_cross_entropy_grad: (inputs, outputs, a) => {
      const [n, c] = inputs[1].shape;
      rt.dispatch({
        op: "softmax_cross_entropy_grad",
        params: encodeBlock(SOFTMAX_XENT_SHADER, { n, c, smoothing: a.smoothing }),
        reads: storages(inputs),
        writes: storages(outputs),
        groups: groupsFor(n * c),
      });
    },
  };
}
