import { greater, scalarLike, where } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("where", [
  {
    name: "mask from comparison, broadcast b",
    inputs: [{ shape: [3, 4], grad: false }, { shape: [3, 4] }, { shape: [4] }],
    run: ([c, a, b]) => where(greater(c, scalarLike(c, 0)), a, b),
  },
  {
    name: "explicit mask broadcast over rows",
    inputs: [{ shape: [1, 4], values: [1, 0, 0, 1], grad: false }, { shape: [2, 4] }, { shape: [2, 4] }],
    run: ([c, a, b]) => where(c, a, b),
  },
]);
