import { batchNormPreluGrad } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

const SLOPES: [number, number] = [0, 0.5];

// A backward kernel: checked through batch_norm_prelu's gradient check and here for backend parity.
const gradInputs = (shape: number[]) => {
  const c = shape.at(-1)!;
  return [
    { shape },
    { shape },
    { shape: [c], range: [0.5, 1.5] as [number, number] },
    { shape: [c] },
    { shape: [c] },
    { shape: [c], range: [0.5, 2] as [number, number] },
    { shape: [c], range: SLOPES },
  ];
};
testOp("batch_norm_prelu_grad", [
  {
    name: "training",
    inputs: gradInputs([2, 3, 2, 3]),
    run: ([dy, x, g, b, m, s, a]) => batchNormPreluGrad(dy, x, g, b, m, s, a, true),
  },
  {
    name: "inference",
    inputs: gradInputs([2, 3, 2, 3]),
    run: ([dy, x, g, b, m, s, a]) => batchNormPreluGrad(dy, x, g, b, m, s, a, false),
  },
  {
    // 72 rows: two chunks of the wasm sums pass; 23 channels: vector and scalar tails.
    name: "training, two row chunks, 23 channels",
    inputs: gradInputs([2, 9, 4, 23]),
    run: ([dy, x, g, b, m, s, a]) => batchNormPreluGrad(dy, x, g, b, m, s, a, true),
  },
  {
    // 31 channels: whole vectors and a scalar tail in each row group of the wasm sums pass; 75 rows: the second
    // chunk ends with a group shorter than the others.
    name: "training, 31 channels",
    inputs: gradInputs([3, 5, 5, 31]),
    run: ([dy, x, g, b, m, s, a]) => batchNormPreluGrad(dy, x, g, b, m, s, a, true),
  },
], { gradient: false });
