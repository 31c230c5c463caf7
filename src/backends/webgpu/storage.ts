/**
 * Storage of the WebGPU backend: one pooled GPU buffer per tensor.
 * @module
 */
import type { TensorView } from "../../core/kernels.ts";

/** A WebGPU storage handle: a pooled buffer (possibly larger than needed) and the tensor's element count. */
export interface GpuStorage {
  /** The buffer, usable as storage, copy source and copy destination. */
  readonly buffer: GPUBuffer;
  /** Elements of the tensor (4 bytes each, f32 or i32). */
  readonly size: number;
}

/** A tensor view over WebGPU storage. */
export type GpuView = TensorView<GpuStorage>;
