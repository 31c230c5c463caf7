import { affine } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("affine", [{ name: "scale and shift", inputs: [{ shape: [4, 3] }], run: ([x]) => affine(x, -1.5, 0.25) }]);
