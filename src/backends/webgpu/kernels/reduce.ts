/**
 * WebGPU kernels for reductions over arbitrary axes (`_reduce.wgsl`: one workgroup per output element, fixed-order
 * tree reduction).
 * @module
 */
import { REDUCE_SHADER } from "../../../core/param_blocks/mod.ts";
import { encodeBlock } from "../../../core/params.ts";
import { stridesOf } from "../../../core/shape.ts";
import type { GpuRuntime } from "../runtime.ts";
import type { GpuView } from "../storage.ts";
import { type GpuTable, words8 } from "./common.ts";

function reduce(rt: GpuRuntime, op: "reduce_sum" | "reduce_max", x: GpuView, y: GpuView, axes: readonly number[]) {
  const strides = stridesOf(x.shape);
  const kept = x.shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const reducedSize = axes.reduce((s, d) => s * x.shape[d], 1);
  rt.dispatch({
    op,
    params: encodeBlock(REDUCE_SHADER, {
      n_out: y.size,
      reduced: reducedSize,
      kept_rank: kept.length,
      reduced_rank: axes.length,
      kept_shape: words8(op, kept.map((d) => x.shape[d])),
      kept_strides: words8(op, kept.map((d) => strides[d])),
      reduced_shape: words8(op, axes.map((d) => x.shape[d])),
      reduced_strides: words8(op, axes.map((d) => strides[d])),
    }),
    reads: [x.storage],
    writes: [y.storage],
    groups: y.size,
  });
}

/** The reduction kernels on `rt`. */
export function reduceKernels(rt: GpuRuntime): Pick<GpuTable, "reduce_sum" | "reduce_max"> {
  return {
    reduce_sum: (inputs, outputs, a) => reduce(rt, "reduce_sum", inputs[0], outputs[0], a.axes),
    reduce_max: (inputs, outputs, a) => reduce(rt, "reduce_max", inputs[0], outputs[0], a.axes),
  };
}
