/**
 * `one_hot`: integer labels [N] → f32 one-hot rows [N, depth] (out-of-range labels give a zero row).
 * @module
 */
import { ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectIndexVector } from "./_index.ts";
import { expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Shape rule of `one_hot` (not differentiable). */
export const oneHotSpec: OpSpec<"one_hot"> = {
  name: "one_hot",
  outputs(inputs, { depth }) {
    expectInputCount("one_hot", inputs, 1);
    expectIndexVector("one_hot", inputs[0]);
    if (!Number.isInteger(depth) || depth < 1) throw new ShapeError("one_hot", "depth", `expected ≥ 1, got ${depth}`);
    return [{ shape: [inputs[0].shape[0], depth], dtype: "f32" }];
  },
};

/** One-hot encoding of `labels` with `depth` classes. */
export function oneHot(labels: Tensor, depth: number): Tensor {
  return runOp(oneHotSpec, [labels], { depth })[0];
}
