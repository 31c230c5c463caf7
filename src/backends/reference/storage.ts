/**
 * Storage of the reference backend: a plain typed array per tensor.
 * @module
 */
import type { TensorView } from "../../core/kernels.ts";

/** Element array of a reference tensor: f32 values are Float32Array (Float64Array in f64 mode), i32 Int32Array. */
export type RefArray = Float32Array | Float64Array | Int32Array;

/** A reference storage handle. */
export interface RefStorage {
  /** The elements. */
  data: RefArray;
}

/** A tensor view over reference storage. */
export type RefView = TensorView<RefStorage>;

/** The element array of a view. */
export function arr(view: RefView): RefArray {
  return view.storage.data;
}
