/**
 * Wrappers of the pooling kernels (wasm-simd/pool.c).
 * @module
 */
import type { AvgPool2dAttrs, KernelTable, Pool2dAttrs } from "../../../core/kernels.ts";
import type { Block } from "../allocator.ts";
import type { WasmRuntime } from "../runtime.ts";
import { PARALLEL_MIN_WORK, ptr } from "./common.ts";

/** Slots 3..15 of a pooling parameter block: input [N,H,W,C], output [OH,OW], window. */
function geometry(x: readonly number[], y: readonly number[], a: Pool2dAttrs): number[] {
  const includePad = (a as Partial<AvgPool2dAttrs>).countIncludePad ? 1 : 0;
  return [x[0], x[1], x[2], x[3], y[1], y[2], ...a.kernel, ...a.strides, ...a.padding, includePad];
}

/** The pooling kernels of the wasm backend. */
export function poolKernels(
  rt: WasmRuntime,
): Pick<KernelTable<Block>, "max_pool2d" | "max_pool2d_grad" | "avg_pool2d" | "avg_pool2d_grad" | "global_avg_pool"> {
  const forward = (
    name: string,
    x: number,
    y: number,
    argmax: number,
    xs: readonly number[],
    ys: readonly number[],
    a: Pool2dAttrs,
  ) => {
    rt.params().ints(0, [x, y, argmax, ...geometry(xs, ys, a)]);
    const work = ys[0] * ys[1] * ys[2] * ys[3] * a.kernel[0] * a.kernel[1];
    rt.run(name, ys[0] * ys[1], { parallel: work >= PARALLEL_MIN_WORK });
  };
  return {
    max_pool2d: (i, o, a) => forward("max_pool2d", ptr(i[0]), ptr(o[0]), ptr(o[1]), i[0].shape, o[0].shape, a),
    avg_pool2d: (i, o, a) => forward("avg_pool2d", ptr(i[0]), ptr(o[0]), 0, i[0].shape, o[0].shape, a),
    max_pool2d_grad: (i, o, a) => {
      rt.params().ints(0, [ptr(i[0]), ptr(o[0]), ptr(i[1]), ...geometry(o[0].shape, i[0].shape, a)]);
      rt.run("max_pool2d_grad", 1);
    },
    avg_pool2d_grad: (i, o, a) => {
      rt.params().ints(0, [ptr(i[0]), ptr(o[0]), 0, ...geometry(o[0].shape, i[0].shape, a)]);
      rt.run("avg_pool2d_grad", 1);
    },
    global_avg_pool: (i, o) => {
      rt.params().ints(0, [ptr(i[0]), ptr(o[0]), 0, ...i[0].shape]);
      rt.run("global_avg_pool", i[0].shape[0], { parallel: i[0].size >= PARALLEL_MIN_WORK });
    },
  };
}
