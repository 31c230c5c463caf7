import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { Rng } from "../../src/core/rng.ts";
import { backward } from "../../src/ops/backward.ts";
import { gelu, mul, reduceSum, tensor } from "../../src/ops/mod.ts";
import { backendCases, backendTest } from "../_util/backends.ts";
import { relativeError, testOp } from "../_util/op_case.ts";

testOp("gelu", [
  { name: "vector", inputs: [{ shape: [9], range: [-5, 5] }], run: ([x]) => gelu(x) },
  { name: "tokens [B, T, D]", inputs: [{ shape: [2, 3, 5], range: [-4, 4] }], run: ([x]) => gelu(x) },
]);

for (const bc of backendCases().filter((c) => c.name === "wasm")) {
  backendTest(bc, `gelu: ${bc.label} gives the reference's bits (same double-precision steps)`, async (backend) => {
    const rng = new Rng(15, "gelu-bits");
    const values = Array.from({ length: 2053 }, () => rng.uniform(-9, 9));
    const run = (b: typeof backend) => gelu(tensor(b, values, [values.length])).toArray();
    assert.deepStrictEqual(await run(backend), await run(new ReferenceBackend()));
  });
}

Deno.test("gelu: the float64 reference matches PyTorch's float64 nn.GELU() forward and backward to 1e-12", async () => {
  const golden = JSON.parse(await Deno.readTextFile(new URL("../../fixtures/golden/ops.json", import.meta.url)));
  const f64 = new ReferenceBackend({ precision: "f64" });
  for (const c of golden.gelu) {
    const x = tensor(f64, c.x.data, c.x.shape);
    x.requiresGrad = true;
    const y = gelu(x);
    backward(reduceSum(mul(y, tensor(f64, c.dy, y.shape))));
    assert.ok(relativeError(await y.toArray(), c.y) < 1e-12, `${c.name}: y`);
    assert.ok(relativeError(await x.grad!.toArray(), c.dx) < 1e-12, `${c.name}: dx`);
  }
});
