/**
 * WebGPU kernels for element-wise ops: unary (one shader per op over `_unary.wgsl`), binary and `where` with
 * NumPy broadcasting (`_broadcast.wgsl`).
 * @module
 */
import type { KernelAttrs } from "../../../core/kernels.ts";
import { broadcastStrides } from "../../../core/shape.ts";
import { f32, type GpuRuntime, type Param } from "../runtime.ts";
import type { GpuView } from "../storage.ts";
import { type GpuKernel, type GpuTable, groupsFor, storages, words8 } from "./common.ts";

/** Unary ops and their f32 attribute parameters (after n). */
const UNARY = {
  relu: () => [],
  relu6: () => [],
  sigmoid: () => [],
  tanh: () => [],
  swish: () => [],
  hard_swish: () => [],
  hard_sigmoid: () => [],
  neg: () => [],
  exp: () => [],
  log: () => [],
  sqrt: () => [],
  abs: () => [],
  cos: () => [],
  sin: () => [],
  acos: () => [],
  pow: (a: KernelAttrs["pow"]) => [f32(a.exponent)],
  clamp: (a: KernelAttrs["clamp"]) => [f32(a.min), f32(a.max)],
  affine: (a: KernelAttrs["affine"]) => [f32(a.scale), f32(a.shift)],
} satisfies Record<string, (attrs: never) => Param[]>;

const BINARY = ["add", "sub", "mul", "div", "maximum", "minimum", "greater", "equal"] as const;

type UnaryName = keyof typeof UNARY;
type BinaryName = typeof BINARY[number];

/** Parameters of `_broadcast.wgsl`: n, rank, output shape, then the strides of each input. */
function broadcastParams(op: BinaryName | "where", out: GpuView, inputs: readonly GpuView[]): Param[] {
  const params: Param[] = [out.size, out.shape.length, ...words8(op, out.shape)];
  for (const t of inputs) params.push(...words8(op, broadcastStrides(t.shape, out.shape)));
  return params;
}

/** The element-wise kernels on `rt`. */
export function elementwiseKernels(rt: GpuRuntime): Pick<GpuTable, UnaryName | BinaryName | "where"> {
  const table: Record<string, GpuKernel<never>> = {};
  for (const op of Object.keys(UNARY) as UnaryName[]) {
    const attrParams = UNARY[op] as (attrs: unknown) => Param[];
    table[op] = (inputs, outputs, attrs) =>
      rt.dispatch({
        op,
        params: [outputs[0].size, ...attrParams(attrs)],
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
