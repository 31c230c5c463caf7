/**
 * `pad`: the shared op cases (parity, gradient check on every backend), and on every backend that the whole output
 * is written — zeros outside the input's window — and nothing past it, even in memory that held other values (a
 * WASM `pad` once zeroed from the window's start, leaving the output's first elements stale and zeroing past its end,
 * which broke the gradient of a `slice` that starts at a non-zero offset).
 */
import assert from "node:assert";
import { pad, tensor } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";
import { backendCases, backendTest } from "../_util/backends.ts";

testOp("pad", [
  { name: "matrix", inputs: [{ shape: [2, 3] }], run: ([x]) => pad(x, [1, 0], [2, 1]) },
  { name: "spatial NHWC", inputs: [{ shape: [1, 2, 3, 2] }], run: ([x]) => pad(x, [0, 1, 2, 0], [0, 1, 0, 0]) },
  { name: "last axis, before only", inputs: [{ shape: [2, 2, 3] }], run: ([x]) => pad(x, [0, 0, 5], [0, 0, 0]) },
]);

for (const c of backendCases()) {
  backendTest(
    c,
    `pad on ${c.label}: fills its whole output over reused memory and writes nothing past it`,
    async (b) => {
      for (let round = 0; round < 3; round++) {
        const stale = tensor(b, new Float32Array(4096).fill(7), [4096]);
        stale.dispose(); // its memory returns to the pool with 7s in it
        const x = tensor(b, Float32Array.from({ length: 2 * 8 }, (_, i) => i + 1), [2, 8]);
        const y = pad(x, [0, 8], [0, 0]);
        const after = tensor(b, new Float32Array(64).fill(-1), [64]);
        const expected = [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8];
        assert.deepStrictEqual([...await y.read()], [...expected, ...expected.map((v) => (v ? v + 8 : 0))]);
        assert.ok((await after.read()).every((v) => v === -1), "a tensor allocated after the pad is intact");
        for (const t of [x, y, after]) t.dispose();
      }
    },
  );
}
