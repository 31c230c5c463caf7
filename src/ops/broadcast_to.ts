/**
 * `broadcast_to`: repeats an input along size-1 or missing leading axes (NumPy rules).
 * @module
 */
import { broadcastShapes, formatShape, sameShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { sumToShape } from "./_elementwise.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Shape rule and gradient of `broadcast_to`. */
export const broadcastToSpec: OpSpec<"broadcast_to"> = {
  name: "broadcast_to",
  outputs(inputs, attrs) {
    expectInputCount("broadcast_to", inputs, 1);
    expectDType("broadcast_to", "x", inputs[0], "f32");
    const shape = broadcastShapes("broadcast_to", attrs.shape, inputs[0].shape);
    if (!sameShape(shape, attrs.shape)) {
      throw new ShapeError(
        "broadcast_to",
        "shape",
        `${formatShape(attrs.shape)} cannot hold input ${formatShape(inputs[0].shape)}`,
      );
    }
    return [{ shape, dtype: "f32" }];
  },
  grad: ({ inputs: [x], grads: [dy] }) => [sumToShape(dy!, x.shape)],
};

/** Broadcasts `x` to `shape`. */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  return runOp(broadcastToSpec, [x], { shape: [...shape] })[0];
}
