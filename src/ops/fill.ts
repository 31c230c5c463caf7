/**
 * `fill`: a new tensor with every element set to one value (zeros, ones, scalar constants).
 * @module
 */
import type { Backend } from "../core/backend.ts";
import type { DType } from "../core/kernels.ts";
import { assertValidShape } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { type OpSpec, runOpOn } from "./op.ts";

/** Shape rule of `fill` (no inputs, not differentiable). */
export const fillSpec: OpSpec<"fill"> = {
  name: "fill",
  outputs(_inputs, attrs) {
    assertValidShape("fill", "shape", attrs.shape);
    return [{ shape: attrs.shape, dtype: attrs.dtype }];
  },
};

/** A tensor of `shape` on `backend` with every element equal to `value`. */
export function fill(backend: Backend, shape: readonly number[], value: number, dtype: DType = "f32"): Tensor {
  return runOpOn(backend, fillSpec, [], { value, shape: [...shape], dtype })[0];
}
