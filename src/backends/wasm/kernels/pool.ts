/**
 * Wrappers of the pooling kernels (wasm-simd/pool.c).
 * @module
 */
import type { KernelTable, Pool2dAttrs } from "../../../core/kernels.ts";
import { POOL_KERNEL, poolGeometry, upsampleGradGeometry } from "../../../core/param_blocks/mod.ts";
import type { Block } from "../allocator.ts";
import type { WasmRuntime } from "../runtime.ts";
import { PARALLEL_MIN_WORK, ptr } from "./common.ts";

/** The pooling kernels of the wasm backend. */
export function poolKernels(
  rt: WasmRuntime,
): Pick<
  KernelTable<Block>,
  "max_pool2d" | "max_pool2d_grad" | "avg_pool2d" | "avg_pool2d_grad" | "global_avg_pool" | "upsample_nearest2d_grad"
> {
  const forward = (
    name: string,
    x: number,
    y: number,
    argmax: number,
    xs: readonly number[],
    ys: readonly number[],
    a: Pool2dAttrs,
  ) => {
    rt.setParams(POOL_KERNEL, { geom: poolGeometry(xs, ys, a), src: x, dst: y, argmax });
    const work = ys[0] * ys[1] * ys[2] * ys[3] * a.kernel[0] * a.kernel[1];
    rt.run(name, ys[0] * ys[1], { parallel: work >= PARALLEL_MIN_WORK });
  };
  return {
    max_pool2d: (i, o, a) => forward("max_pool2d", ptr(i[0]), ptr(o[0]), ptr(o[1]), i[0].shape, o[0].shape, a),
    avg_pool2d: (i, o, a) => forward("avg_pool2d", ptr(i[0]), ptr(o[0]), 0, i[0].shape, o[0].shape, a),
    max_pool2d_grad: (i, o, a) => {
      rt.setParams(POOL_KERNEL, {
        geom: poolGeometry(o[0].shape, i[0].shape, a),
        src: ptr(i[0]),
        dst: ptr(o[0]),
        argmax: ptr(i[1]),
      });
      rt.run("max_pool2d_grad", 1);
    },
    avg_pool2d_grad: (i, o, a) => {
      rt.setParams(POOL_KERNEL, { geom: poolGeometry(o[0].shape, i[0].shape, a), src: ptr(i[0]), dst: ptr(o[0]) });
      rt.run("avg_pool2d_grad", 1);
    },
    upsample_nearest2d_grad: (i, o, a) => {
      rt.setParams(POOL_KERNEL, {
        geom: upsampleGradGeometry(i[0].shape, o[0].shape, a.scale),
        src: ptr(i[0]),
        dst: ptr(o[0]),
      });
      const [n, h] = o[0].shape;
      rt.run("upsample_nearest2d_grad", n * h, { parallel: i[0].size >= PARALLEL_MIN_WORK });
    },
    global_avg_pool: (i, o) => {
      const [n, h, w, c] = i[0].shape;
      rt.setParams(POOL_KERNEL, { geom: { n, h, w, c }, src: ptr(i[0]), dst: ptr(o[0]) });
      rt.run("global_avg_pool", i[0].shape[0], { parallel: i[0].size >= PARALLEL_MIN_WORK });
    },
  };
}
