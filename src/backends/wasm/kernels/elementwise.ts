/**
 * Wrappers of the unary element-wise kernels (wasm-simd/elementwise.c).
 * @module
 */
import type { KernelAttrs, KernelTable, UnaryOpName } from "../../../core/kernels.ts";
import { UNARY_KERNEL } from "../../../core/param_blocks/mod.ts";
import type { Block } from "../allocator.ts";
import type { WasmRuntime } from "../runtime.ts";
import { PARALLEL_MIN_WORK, ptr, type WasmView } from "./common.ts";

/** The two double attributes each unary kernel receives (unused ones are 0). */
const ATTRS: { [K in UnaryOpName]: (a: KernelAttrs[K]) => [number, number] } = {
  relu: () => [0, 0],
  relu6: () => [0, 0],
  sigmoid: () => [0, 0],
  tanh: () => [0, 0],
  swish: () => [0, 0],
  gelu: () => [0, 0],
  normal_cdf: () => [0, 0],
  hard_swish: () => [0, 0],
  hard_sigmoid: () => [0, 0],
  neg: () => [0, 0],
  exp: () => [0, 0],
  log: () => [0, 0],
  sqrt: () => [0, 0],
  abs: () => [0, 0],
  cos: () => [0, 0],
  sin: () => [0, 0],
  acos: () => [0, 0],
  pow: (a) => [a.exponent, 0],
  clamp: (a) => [a.min, a.max],
  affine: (a) => [a.scale, a.shift],
};

/** The unary kernels of the wasm backend. */
export function unaryKernels(rt: WasmRuntime): Pick<KernelTable<Block>, UnaryOpName> {
  const table: Record<string, unknown> = {};
  for (const name of Object.keys(ATTRS) as UnaryOpName[]) {
    const attrs = ATTRS[name] as (a: unknown) => [number, number];
    table[name] = (inputs: readonly WasmView[], outputs: readonly WasmView[], a: unknown) => {
      const n = outputs[0].size;
      const [a0, a1] = attrs(a);
      rt.setParams(UNARY_KERNEL, { x: ptr(inputs[0]), y: ptr(outputs[0]), n, attr0: a0, attr1: a1 });
      rt.run(name, Math.ceil(n / rt.blocking.elemChunk), { parallel: n >= PARALLEL_MIN_WORK });
    };
  }
  return table as Pick<KernelTable<Block>, UnaryOpName>;
}
