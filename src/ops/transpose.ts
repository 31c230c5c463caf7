/**
 * `transpose`: permutes axes (output axis i is input axis perm[i]).
 * @module
 */
import { formatShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Shape rule and gradient of `transpose` (gradient: the inverse permutation). */
export const transposeSpec: OpSpec<"transpose"> = {
  name: "transpose",
  outputs(inputs, { perm }) {
    expectInputCount("transpose", inputs, 1);
    const x = inputs[0];
    const valid = perm.length === x.rank && [...perm].sort((a, b) => a - b).every((p, i) => p === i);
    if (!valid) {
      throw new ShapeError("transpose", "perm", `expected a permutation of 0..${x.rank - 1}, got ${formatShape(perm)}`);
    }
    return [{ shape: perm.map((p) => x.shape[p]), dtype: x.dtype }];
  },
  grad: ({ grads: [dy], attrs: { perm } }) => {
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    return [transpose(dy!, inverse)];
  },
};

/** Permutes the axes of `x`; default reverses them. */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const p = perm ? [...perm] : [...x.shape.keys()].reverse();
  return runOp(transposeSpec, [x], { perm: p })[0];
}
