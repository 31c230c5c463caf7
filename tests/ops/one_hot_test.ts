import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { oneHot, tensor } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("one_hot", [
  {
    name: "labels incl. out of range",
    inputs: [{ shape: [5], dtype: "i32", values: [0, 3, 9, -1, 2] }],
    run: ([y]) => oneHot(y, 4),
  },
], { gradient: false });

Deno.test("one_hot: rows have a single 1 at the label", async () => {
  const y = tensor(new ReferenceBackend(), [2, 0], [2], "i32");
  assert.deepStrictEqual(await oneHot(y, 3).toArray(), [0, 0, 1, 1, 0, 0]);
});
