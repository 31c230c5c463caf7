/**
 * WebGPU kernels of bilinear resizing (`_resize.wgsl`): the forward pass computes each output from its 2×2 taps, the
 * gradient gathers, for each input pixel, the outputs that tap it, so it needs no atomics and sums in a fixed order.
 * @module
 */
import { RESIZE_SHADER, resizeGeometry } from "../../../core/param_blocks/mod.ts";
import { encodeBlock } from "../../../core/params.ts";
import type { GpuRuntime } from "../runtime.ts";
import type { GpuView } from "../storage.ts";
import { type GpuTable, groupsFor, storages } from "./common.ts";

type ResizeName = "upsample_bilinear2d" | "upsample_bilinear2d_grad";

/** One invocation per element of the op's output; `x` and `y` are the forward pass's input and output shapes. */
function resize(
  rt: GpuRuntime,
  op: ResizeName,
  io: { inputs: readonly GpuView[]; outputs: readonly GpuView[] },
  shapes: { x: readonly number[]; y: readonly number[] },
  alignCorners: boolean,
): void {
  const total = io.outputs[0].size;
  rt.dispatch({
    op,
    params: encodeBlock(RESIZE_SHADER, { geom: resizeGeometry(shapes.x, shapes.y, alignCorners), total }),
    reads: storages(io.inputs),
    writes: storages(io.outputs),
    groups: groupsFor(total),
  });
}

/** The resizing kernels on `rt`. */
export function resizeKernels(rt: GpuRuntime): Pick<GpuTable, ResizeName> {
  return {
    upsample_bilinear2d: (inputs, outputs, a) =>
      resize(rt, "upsample_bilinear2d", { inputs, outputs }, {
        x: inputs[0].shape,
        y: outputs[0].shape,
      }, a.alignCorners),
    upsample_bilinear2d_grad: (inputs, outputs, a) =>
      resize(rt, "upsample_bilinear2d_grad", { inputs, outputs }, {
        x: outputs[0].shape,
        y: inputs[0].shape,
      }, a.alignCorners),
  };
}
