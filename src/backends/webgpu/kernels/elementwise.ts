/**
 * WebGPU kernels for element-wise ops: unary (one shader per op over `_unary.wgsl`), binary and `where` with
 * NumPy broadcasting (`_broadcast.wgsl`).
 * @module
 */
import type { KernelAttrs } from "../../../core/kernels.ts";
import { broadcastStrides } from "../../../core/shape.ts";
import { BROADCAST_SHADER, UNARY_SHADER } from "../../../core/param_blocks/mod.ts";
import { type BlockValues, encodeBlock } from "../../../core/params.ts";
import type { GpuRuntime } from "../runtime.ts";
import type { GpuView } from "../storage.ts";
import { type GpuKernel, type GpuTable, groupsFor, storages, words8 } from "./common.ts";

/** Unary ops and their attributes as the shader's attr0, attr1. */
const UNARY = {
  relu: () => ({}),
  relu6: () => ({}),
  sigmoid: () => ({}),
  tanh: () => ({}),
  swish: () => ({}),
  gelu: () => ({}),
  normal_cdf: () => ({}),
  hard_swish: () => ({}),
  hard_sigmoid: () => ({}),
  neg: () => ({}),
  exp: () => ({}),
  log: () => ({}),
  sqrt: () => ({}),
  abs: () => ({}),
  cos: () => ({}),
  sin: () => ({}),
  acos: () => ({}),
  pow: (a: KernelAttrs["pow"]) => ({ attr0: a.exponent }),
  clamp: (a: KernelAttrs["clamp"]) => ({ attr0: a.min, attr1: a.max }),
  affine: (a: KernelAttrs["affine"]) => ({ attr0: a.scale, attr1: a.shift }),
} satisfies Record<string, (attrs: never) => UnaryAttrs>;

/** The attribute fields of the unary shaders' block. */
type UnaryAttrs = Omit<BlockValues<typeof UNARY_SHADER.fields>, "n">;

const BINARY = ["add", "sub", "mul", "div", "maximum", "minimum", "greater", "equal"] as const;

type UnaryName = keyof typeof UNARY;
type BinaryName = typeof BINARY[number];

/** Parameters of `_broadcast.wgsl`: n, rank, output shape, then the strides of each input. */
function broadcastParams(op: BinaryName | "where", out: GpuView, inputs: readonly GpuView[]): Uint32Array {
  return encodeBlock(BROADCAST_SHADER, {
    n: out.size,
    rank: out.shape.length,
    shape: words8(op, out.shape),
    strides: inputs.flatMap((t) => words8(op, broadcastStrides(t.shape, out.shape))),
  });
}

/** The element-wise kernels on `rt`. */
export function elementwiseKernels(rt: GpuRuntime): Pick<GpuTable, UnaryName | BinaryName | "where"> {
  const table: Record<string, GpuKernel<never>> = {};
  for (const op of Object.keys(UNARY) as UnaryName[]) {
    const attrParams = UNARY[op] as (attrs: unknown) => UnaryAttrs;
    table[op] = (inputs, outputs, attrs) =>
      rt.dispatch({
        op,
        params: encodeBlock(UNARY_SHADER, { n: outputs[0].size, ...attrParams(attrs) }),
        reads: storages(inputs),
        writes: storages(outputs),
        groups: groupsFor(outputs[0].size),
      });
  }
  for (const op of [...BINARY, "where" as const]) {
    table[op] = (inputs, outputs) =>
      rt.dispatch({
        op,
        params: broadcastParams(op, outputs[0], inputs),
        reads: storages(inputs),
        writes: storages(outputs),
        groups: groupsFor(outputs[0].size),
      });
  }
  return table as unknown as Pick<GpuTable, UnaryName | BinaryName | "where">;
}
