import { batchNormGrad } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

// A backward kernel: checked through batch_norm's gradient check and here for backend parity.
const inputs = [
  { shape: [2, 3, 2, 3] },
  { shape: [2, 3, 2, 3] },
  { shape: [3], range: [0.5, 1.5] as [number, number] },
  { shape: [3] },
  { shape: [3], range: [0.5, 2] as [number, number] },
];
testOp("batch_norm_grad", [
  { name: "training", inputs, run: ([dy, x, g, m, s]) => batchNormGrad(dy, x, g, m, s, true) },
  { name: "inference", inputs, run: ([dy, x, g, m, s]) => batchNormGrad(dy, x, g, m, s, false) },
  {
    // 72 rows: two chunks of the fused Σdy / Σdy·(x − mean) pass; 23 channels: vector and scalar tails.
    name: "training, two row chunks, 23 channels",
    inputs: [
      { shape: [2, 9, 4, 23] },
      { shape: [2, 9, 4, 23] },
      { shape: [23], range: [0.5, 1.5] as [number, number] },
      { shape: [23] },
      { shape: [23], range: [0.5, 2] as [number, number] },
    ],
    run: ([dy, x, g, m, s]) => batchNormGrad(dy, x, g, m, s, true),
  },
], { gradient: false });
