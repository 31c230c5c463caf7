/**
 * WebGPU kernels that move data, all as strided copies of 32-bit words (`_copy.wgsl`, so f32 and i32 alike),
 * except `pad`, which gathers with zero fill. Nearest upsampling is a copy with zero input strides on the repeats.
 * @module
 */
import type { OpName } from "../../../core/kernels.ts";
import { COPY_SHADER, PAD_SHADER, upsampleCopy } from "../../../core/param_blocks/mod.ts";
import { encodeBlock } from "../../../core/params.ts";
import { broadcastStrides, stridesOf } from "../../../core/shape.ts";
import type { GpuRuntime } from "../runtime.ts";
import type { GpuStorage, GpuView } from "../storage.ts";
import { type GpuTable, groupsFor, words8 } from "./common.ts";

type MovementName =
  | "concat"
  | "slice"
  | "pad"
  | "reshape"
  | "copy"
  | "transpose"
  | "channel_shuffle"
  | "broadcast_to"
  | "upsample_nearest2d";

/** One strided copy: for every index of `shape`, dst[dstBase + idx·dstStrides] = src[srcBase + idx·srcStrides]. */
interface Copy {
  op: OpName;
  src: GpuStorage;
  dst: GpuStorage;
  shape: readonly number[];
  srcStrides: readonly number[];
  dstStrides: readonly number[];
  srcBase?: number;
  dstBase?: number;
}

function copy(rt: GpuRuntime, c: Copy): void {
  const n = c.shape.reduce((a, b) => a * b, 1);
  rt.dispatch({
    op: c.op,
    params: encodeBlock(COPY_SHADER, {
      n,
      rank: c.shape.length,
      src_base: c.srcBase ?? 0,
      dst_base: c.dstBase ?? 0,
      shape: words8(c.op, c.shape),
      src_strides: words8(c.op, c.srcStrides),
      dst_strides: words8(c.op, c.dstStrides),
    }),
    reads: [c.src],
    writes: [c.dst],
    groups: groupsFor(n),
  });
}

/** The data-movement kernels on `rt`. */
export function movementKernels(rt: GpuRuntime): Pick<GpuTable, MovementName> {
  /** Every element in row-major order: `copy`, and `reshape` (whose output only has another shape). */
  const flatCopy = (op: "copy" | "reshape") => (inputs: readonly GpuView[], outputs: readonly GpuView[]) =>
    copy(rt, {
      op,
      src: inputs[0].storage,
      dst: outputs[0].storage,
      shape: [outputs[0].size],
      srcStrides: [1],
      dstStrides: [1],
    });
  return {
    concat: (inputs, outputs, a) => {
      const outStrides = stridesOf(outputs[0].shape);
      let start = 0;
      for (const t of inputs) {
        copy(rt, {
          op: "concat",
          src: t.storage,
          dst: outputs[0].storage,
          shape: t.shape,
          srcStrides: stridesOf(t.shape),
          dstStrides: outStrides,
          dstBase: start * outStrides[a.axis],
        });
        start += t.shape[a.axis];
      }
    },
    slice: (inputs, outputs, a) => {
      const inStrides = stridesOf(inputs[0].shape);
      copy(rt, {
        op: "slice",
        src: inputs[0].storage,
        dst: outputs[0].storage,
        shape: outputs[0].shape,
        srcStrides: inStrides,
        dstStrides: stridesOf(outputs[0].shape),
        srcBase: a.begin.reduce((s, b, d) => s + b * inStrides[d], 0),
      });
    },
    reshape: flatCopy("reshape"),
    copy: flatCopy("copy"),
    transpose: (inputs, outputs, a) => {
      const inStrides = stridesOf(inputs[0].shape);
      copy(rt, {
        op: "transpose",
        src: inputs[0].storage,
        dst: outputs[0].storage,
        shape: outputs[0].shape,
        srcStrides: a.perm.map((p) => inStrides[p]),
        dstStrides: stridesOf(outputs[0].shape),
      });
    },
    broadcast_to: (inputs, outputs) =>
      copy(rt, {
        op: "broadcast_to",
        src: inputs[0].storage,
        dst: outputs[0].storage,
        shape: outputs[0].shape,
        srcStrides: broadcastStrides(inputs[0].shape, outputs[0].shape),
        dstStrides: stridesOf(outputs[0].shape),
      }),
    channel_shuffle: (inputs, outputs, a) => {
      const c = inputs[0].shape[3];
      const perGroup = c / a.groups;
      copy(rt, {
        op: "channel_shuffle",
        src: inputs[0].storage,
        dst: outputs[0].storage,
        shape: [inputs[0].size / c, perGroup, a.groups],
        srcStrides: [c, 1, perGroup],
        dstStrides: [c, a.groups, 1],
      });
    },
    upsample_nearest2d: (inputs, outputs, a) =>
      copy(rt, {
        op: "upsample_nearest2d",
        src: inputs[0].storage,
        dst: outputs[0].storage,
        ...upsampleCopy(inputs[0].shape, a.scale),
      }),
    pad: (inputs, outputs, a) =>
      rt.dispatch({
        op: "pad",
        params: encodeBlock(PAD_SHADER, {
          n: outputs[0].size,
          rank: outputs[0].shape.length,
          out_shape: words8("pad", outputs[0].shape),
          in_shape: words8("pad", inputs[0].shape),
          before: words8("pad", a.before),
        }),
        reads: [inputs[0].storage],
        writes: [outputs[0].storage],
        groups: groupsFor(outputs[0].size),
      }),
  };
}
