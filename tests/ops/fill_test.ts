import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { fill, reshape } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("fill", [
  // fill has no tensor inputs: the case takes its backend from a dummy input.
  {
    name: "f32 constant",
    inputs: [{ shape: [1], grad: false }],
    run: ([x]) => reshape(fill(x.backend, [2, 3], -2.5), [6]),
  },
  { name: "i32 constant", inputs: [{ shape: [1], grad: false }], run: ([x]) => fill(x.backend, [4], 7, "i32") },
], { gradient: false });

Deno.test("fill: every element holds the value", async () => {
  assert.deepStrictEqual(await fill(new ReferenceBackend(), [3], 1.5).toArray(), [1.5, 1.5, 1.5]);
});
