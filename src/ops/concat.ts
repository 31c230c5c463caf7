/**
 * `concat`: joins tensors along one axis.
 * @module
 */
import { formatShape, normalizeAxis, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { type OpSpec, runOp } from "./op.ts";
import { slice } from "./slice.ts";

/** Shape rule and gradient of `concat`. */
export const concatSpec: OpSpec<"concat"> = {
  name: "concat",
  outputs(inputs, { axis }) {
    if (inputs.length === 0) throw new Error("concat: needs at least one input");
    const first = inputs[0];
    const shape = [...first.shape];
    shape[axis] = 0;
    inputs.forEach((t, i) => {
      const sameOtherAxes = t.rank === first.rank && t.shape.every((d, k) => k === axis || d === first.shape[k]);
      if (!sameOtherAxes || t.dtype !== first.dtype) {
        throw new ShapeError(
          "concat",
          `inputs[${i}]`,
          `expected ${first.dtype} ${formatShape(first.shape)} except along axis ${axis}, got ${t.dtype} ${
            formatShape(t.shape)
          }`,
        );
      }
      shape[axis] += t.shape[axis];
    });
    return [{ shape, dtype: first.dtype }];
  },
  grad: ({ inputs, grads: [dy], attrs: { axis } }) => {
    let offset = 0;
    return inputs.map((t) => {
      const begin = t.shape.map((_, k) => (k === axis ? offset : 0));
      offset += t.shape[axis];
      return slice(dy!, begin, t.shape);
    });
  },
};

/** Concatenates `inputs` along `axis` (negative counts from the end). */
export function concat(inputs: readonly Tensor[], axis: number): Tensor {
  if (inputs.length === 0) throw new Error("concat: needs at least one input");
  return runOp(concatSpec, inputs, { axis: normalizeAxis("concat", axis, inputs[0].rank) })[0];
}
