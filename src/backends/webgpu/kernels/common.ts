/**
 * Helpers shared by the WebGPU kernel modules: workgroup counts and packing of shapes/strides into parameters.
 * @module
 */
import type { Kernel, KernelTable, OpName } from "../../../core/kernels.ts";
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

/** Highest tensor rank the shape-generic shaders take (8 shape words per shape in the parameters). */
export const MAX_RANK = 8;

/** Workgroups for `n` invocations of {@link WORKGROUP}. */
export function groupsFor(n: number): number {
  return Math.ceil(n / WORKGROUP);
}

/** The storage of each view. */
export function storages(views: readonly GpuView[]): GpuStorage[] {
  return views.map((v) => v.storage);
}

/** A shape or stride list padded with zeros to {@link MAX_RANK} words; throws naming the op when the rank is higher. */
export function words8(op: OpName, values: readonly number[]): number[] {
  if (values.length > MAX_RANK) {
    throw new RangeError(`webgpu ${op}: rank ${values.length} exceeds the supported ${MAX_RANK}`);
  }
  return [...values, ...new Array<number>(MAX_RANK - values.length).fill(0)];
}
