/**
 * `dropout`: inverted dropout with a counter-based random mask, reproducible on every backend: element i is
 * kept when Threefry-2x32(key, block offset + i) word 0, as a unit float, is ≥ p.
 * @module
 */
import type { Rng } from "../core/rng.ts";
import { ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { mul } from "./mul.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Shape rule and gradient of `dropout`; outputs y and the mask (0 or 1/(1−p)). */
export const dropoutSpec: OpSpec<"dropout"> = {
  name: "dropout",
  outputs(inputs, { p }) {
    expectInputCount("dropout", inputs, 1);
    expectDType("dropout", "x", inputs[0], "f32");
    if (!(p >= 0 && p < 1)) throw new ShapeError("dropout", "p", `expected a probability in [0, 1), got ${p}`);
    return [{ shape: inputs[0].shape, dtype: "f32" }, { shape: inputs[0].shape, dtype: "f32" }];
  },
  grad: ({ outputs: [, mask], grads: [dy] }) => [mul(dy!, mask)],
};

/** Drops elements of `x` with probability `p` using blocks reserved from `rng` (its stream names the mask). */
export function dropout(x: Tensor, p: number, rng: Rng): Tensor {
  const offset = rng.reserveBlocks(x.size);
  return runOp(dropoutSpec, [x], { p, key0: rng.seed, key1: rng.streamKey, offset })[0];
}
