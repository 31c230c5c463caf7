/**
 * Tensor creation from host data and constants. These are the entry points for data into the engine.
 * @module
 */
import type { Backend, HostData } from "../core/backend.ts";
import type { DType } from "../core/kernels.ts";
import { assertValidShape, formatShape, ShapeError, sizeOf } from "../core/shape.ts";
import { Tensor } from "../core/tensor.ts";
import { fill } from "./fill.ts";

/** Creates a tensor on `backend` from host values (copied). */
export function tensor(
  backend: Backend,
  data: ArrayLike<number>,
  shape: readonly number[],
  dtype: DType = "f32",
): Tensor {
  assertValidShape("tensor", "shape", shape);
  if (data.length !== sizeOf(shape)) {
    throw new ShapeError(
      "tensor",
      "data",
      `has ${data.length} values, shape ${formatShape(shape)} needs ${sizeOf(shape)}`,
    );
  }
  const host: HostData = dtype === "i32"
    ? (data instanceof Int32Array ? data : Int32Array.from(data))
    : (data instanceof Float32Array || data instanceof Float64Array ? data : Float64Array.from(data));
  const storage = backend.allocate(dtype, host.length);
  backend.upload(storage, dtype, host);
  return new Tensor(backend, storage, shape, dtype);
}

/** All-zero tensor. */
export function zeros(backend: Backend, shape: readonly number[], dtype: DType = "f32"): Tensor {
  return fill(backend, shape, 0, dtype);
}

/** All-one tensor. */
export function ones(backend: Backend, shape: readonly number[], dtype: DType = "f32"): Tensor {
  return fill(backend, shape, 1, dtype);
}

/** A rank-0 f32 constant on the same backend as `like` (broadcasts against anything). */
export function scalarLike(like: Tensor, value: number): Tensor {
  return fill(like.backend, [], value, "f32");
}

/** Zeros with the shape, dtype and backend of `like`. */
export function zerosLike(like: Tensor): Tensor {
  return fill(like.backend, like.shape, 0, like.dtype);
}
