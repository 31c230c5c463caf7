import { layerNormGrad } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

// A backward kernel: checked through layer_norm's gradient check and here for backend parity.
const inputs = (rows: number, d: number) => [
  { shape: [rows, d] },
  { shape: [rows, d], range: [-2, 3] as [number, number] },
  { shape: [d], range: [0.5, 1.5] as [number, number] },
  { shape: [rows], range: [-0.5, 0.5] as [number, number] },
  { shape: [rows], range: [0.5, 2] as [number, number] },
];
testOp("layer_norm_grad", [
  { name: "[6, 5]", inputs: inputs(6, 5), run: ([dy, x, g, m, s]) => layerNormGrad(dy, x, g, m, s) },
  { name: "[3, 260]", inputs: inputs(3, 260), run: ([dy, x, g, m, s]) => layerNormGrad(dy, x, g, m, s) },
], { gradient: false });
