/**
 * Helpers shared by the WebGPU kernel modules: workgroup counts and packing of shapes/strides into parameters.
 * @module
 */
import type { Kernel, KernelTable, OpName } from "../../../core/kernels.ts";
import { SHADER_RANK } from "../../../core/param_blocks/mod.ts";
import type { GpuRuntime } from "../runtime.ts";
import type { GpuStorage, GpuView } from "../storage.ts";

/** The WebGPU kernel table type. */
export type GpuTable = KernelTable<GpuStorage>;

/** A WebGPU kernel. */
export type GpuKernel<A> = Kernel<A, GpuStorage>;

/** Builds some kernels of the table on a runtime. */
export type KernelFactory<K extends OpName> = (rt: GpuRuntime) => Pick<GpuTable, K>;

/** Invocations per workgroup of the one-element-per-invocation kernels. */
export const WORKGROUP = 256;

/** Workgroups for `n` invocations of {@link WORKGROUP}. */
export function groupsFor(n: number): number {
  return Math.ceil(n / WORKGROUP);
}

/** The storage of each view. */
export function storages(views: readonly GpuView[]): GpuStorage[] {
  return views.map((v) => v.storage);
}

/**
 * A shape or stride list padded with zeros to {@link SHADER_RANK} words (one word array of a shader's block, or one
 * input's part of the broadcast strides); throws naming the op when the rank is higher.
 */
export function words8(op: OpName, values: readonly number[]): number[] {
  if (values.length > SHADER_RANK) {
    throw new RangeError(`webgpu ${op}: rank ${values.length} exceeds the supported ${SHADER_RANK}`);
  }
  return [...values, ...new Array<number>(SHADER_RANK - values.length).fill(0)];
}
