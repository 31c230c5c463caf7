import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { greater, tensor } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("greater", [
  {
    name: "broadcast with ties",
    inputs: [{ shape: [2, 4], values: [0, 1, 2, 3, 3, 2, 1, 0] }, { shape: [4], values: [0, 2, 2, 1] }],
    run: ([a, b]) => greater(a, b),
  },
], { gradient: false });

Deno.test("greater: compares element by element", async () => {
  const backend = new ReferenceBackend();
  const a = tensor(backend, [1, 2, 3], [3]);
  const b = tensor(backend, [2, 2, 2], [3]);
  assert.deepStrictEqual(await greater(a, b).toArray(), [0, 0, 1]);
});
