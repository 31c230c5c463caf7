import { softmaxCrossEntropy } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

const labels = { shape: [4], dtype: "i32" as const, values: [0, 3, 2, 3] };
testOp("softmax_cross_entropy", [
  { name: "plain", inputs: [{ shape: [4, 5], range: [-3, 3] }, labels], run: ([x, y]) => softmaxCrossEntropy(x, y) },
  {
    name: "label smoothing 0.1",
    inputs: [{ shape: [4, 5], range: [-3, 3] }, labels],
    run: ([x, y]) => softmaxCrossEntropy(x, y, 0.1),
  },
]);
