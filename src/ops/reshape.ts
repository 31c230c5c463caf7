/**
 * `reshape`: the same elements in a new shape (one dimension may be −1 and is inferred).
 * @module
 */
import { formatShape, ShapeError, sizeOf } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Shape rule and gradient of `reshape`. */
export const reshapeSpec: OpSpec<"reshape"> = {
  name: "reshape",
  outputs(inputs, attrs) {
    expectInputCount("reshape", inputs, 1);
    if (sizeOf(attrs.shape) !== inputs[0].size) {
      throw new ShapeError(
        "reshape",
        "shape",
        `${formatShape(attrs.shape)} has ${sizeOf(attrs.shape)} elements, input ${formatShape(inputs[0].shape)} has ${
          inputs[0].size
        }`,
      );
    }
    return [{ shape: attrs.shape, dtype: inputs[0].dtype }];
  },
  grad: ({ inputs: [x], grads: [dy] }) => [reshape(dy!, x.shape)],
};

/** Resolves one −1 dimension of `shape` against `size` elements. */
export function inferShape(shape: readonly number[], size: number): number[] {
  const unknown = shape.indexOf(-1);
  if (unknown < 0) return [...shape];
  const known = shape.reduce((p, d, i) => (i === unknown ? p : p * d), 1);
  const out = [...shape];
  out[unknown] = known === 0 ? 0 : size / known;
  if (!Number.isInteger(out[unknown])) {
    throw new ShapeError("reshape", "shape", `${formatShape(shape)} cannot hold ${size} elements`);
  }
  return out;
}

/** Reshapes `x` (a copy with the new shape). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  return runOp(reshapeSpec, [x], { shape: inferShape(shape, x.size) })[0];
}
