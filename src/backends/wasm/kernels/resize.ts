/**
 * Wrappers of the bilinear resizing kernels (wasm-simd/resize.c).
 * @module
 */
import type { KernelTable } from "../../../core/kernels.ts";
import { RESIZE_KERNEL, resizeGeometry } from "../../../core/param_blocks/mod.ts";
import type { Block } from "../allocator.ts";
import type { WasmRuntime } from "../runtime.ts";
import { PARALLEL_MIN_WORK, ptr } from "./common.ts";

/** The resizing kernels of the wasm backend. */
export function resizeKernels(
  rt: WasmRuntime,
): Pick<KernelTable<Block>, "upsample_bilinear2d" | "upsample_bilinear2d_grad"> {
  return {
    upsample_bilinear2d: (i, o, a) => {
      const [n, oh] = o[0].shape;
      rt.setParams(RESIZE_KERNEL, {
        geom: resizeGeometry(i[0].shape, o[0].shape, a.alignCorners),
        src: ptr(i[0]),
        dst: ptr(o[0]),
      });
      rt.run("upsample_bilinear2d", n * oh, { parallel: o[0].size >= PARALLEL_MIN_WORK });
    },
    upsample_bilinear2d_grad: (i, o, a) => {
      rt.setParams(RESIZE_KERNEL, {
        geom: resizeGeometry(o[0].shape, i[0].shape, a.alignCorners),
        src: ptr(i[0]),
        dst: ptr(o[0]),
      });
      rt.run("upsample_bilinear2d_grad", o[0].shape[0], { parallel: i[0].size >= PARALLEL_MIN_WORK });
    },
  };
}
