/**
 * Shape rule shared by the ops that work along the last axis (softmax family).
 * @module
 */
import { formatShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectDType, expectInputCount, type OutputSpec } from "./op.ts";

/** One f32 input of rank ≥ 1 → one output of the same shape. */
export function lastAxisOutputs(op: string, inputs: readonly Tensor[]): OutputSpec[] {
  expectInputCount(op, inputs, 1);
  expectDType(op, "x", inputs[0], "f32");
  if (inputs[0].rank < 1 || inputs[0].shape[inputs[0].rank - 1] === 0) {
    throw new ShapeError(op, "x", `needs a non-empty last axis, got ${formatShape(inputs[0].shape)}`);
  }
  return [{ shape: inputs[0].shape, dtype: "f32" }];
}
