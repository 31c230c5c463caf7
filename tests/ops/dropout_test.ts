import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { Rng } from "../../src/core/rng.ts";
import { dropout, ones } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("dropout", [
  { name: "p 0.3", inputs: [{ shape: [4, 6] }], run: ([x]) => dropout(x, 0.3, new Rng(7, "dropout")) },
  { name: "p 0", inputs: [{ shape: [5] }], run: ([x]) => dropout(x, 0, new Rng(7, "dropout")) },
]);

Deno.test("dropout: keeps about 1 − p of the elements, scaled by 1/(1 − p)", async () => {
  const values = await dropout(ones(new ReferenceBackend(), [20000]), 0.25, new Rng(3, "dropout")).read();
  const kept = values.filter((v) => v !== 0);
  assert.ok(Math.abs(kept.length / values.length - 0.75) < 0.01, `kept fraction ${kept.length / values.length}`);
  assert.ok(kept.every((v) => Math.abs(v - 4 / 3) < 1e-6));
});

Deno.test("dropout: successive calls on one stream draw different masks", async () => {
  const backend = new ReferenceBackend();
  const rng = new Rng(3, "dropout");
  const a = await dropout(ones(backend, [64]), 0.5, rng).toArray();
  const b = await dropout(ones(backend, [64]), 0.5, rng).toArray();
  assert.notDeepStrictEqual(a, b);
});
