import assert from "node:assert";
import { WasmBackend } from "../../src/backends/wasm/backend.ts";
import { Rng } from "../../src/core/rng.ts";
import { softmax, tensor } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("softmax", [
  { name: "rows", inputs: [{ shape: [3, 5], range: [-3, 3] }], run: ([x]) => softmax(x) },
  { name: "rank 3", inputs: [{ shape: [2, 2, 7], range: [-3, 3] }], run: ([x]) => softmax(x) },
  { name: "large logits stay finite", inputs: [{ shape: [2, 3], range: [80, 100] }], run: ([x]) => softmax(x) },
]);
// 129-token attention rows (a masked ViT-T's): 32 full SIMD vectors and a 1-element tail, enough rows to run on both
// threads; too many elements for finite differences, so output parity only
testOp("softmax", [
  { name: "attention rows", inputs: [{ shape: [4, 129, 129], range: [-8, 8] }], run: ([x]) => softmax(x) },
], { gradient: false });

/** Softmax of each `len`-long row of `x` in double precision. */
function softmaxF64(x: Float32Array, len: number): Float64Array {
  const y = new Float64Array(x.length);
  for (let r = 0; r < x.length; r += len) {
    const row = Array.from(x.subarray(r, r + len));
    const max = Math.max(...row);
    const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
    row.forEach((v, j) => y[r + j] = Math.exp(v - max) / sum);
  }
  return y;
}

Deno.test("softmax: the wasm float32 kernel is within 5e-7 relative of double precision, the same bits at 1 and 2 threads", async () => {
  // rows of 131 (32 vectors + a 3-lane tail) and 2 (tail only), logits up to 40 apart, −∞ entries (weight 0);
  // measured: at most 3.4e-7 relative (5 float32 ulps) for logits up to 80 apart
  const rng = new Rng(3, "softmax-accuracy");
  for (const len of [131, 2]) {
    const rows = 600;
    const x = Float32Array.from({ length: rows * len }, () => rng.uniform(-20, 20));
    for (let r = 0; r < rows; r += 7) x[r * len + (r % len)] = -Infinity;
    const want = softmaxF64(x, len);
    const results: Float32Array[] = [];
    for (const threads of [1, 2]) {
      const backend = await WasmBackend.create({ threads });
      try {
        results.push((await softmax(tensor(backend, x, [rows, len])).read()) as Float32Array);
      } finally {
        backend.destroy();
      }
    }
    assert.deepStrictEqual(results[1], results[0]);
    let worst = 0;
    results[0].forEach((y, i) => {
      const err = Math.abs(y - want[i]) / Math.max(want[i], 1e-30);
      if (err > worst) worst = err;
      if (want[i] === 0) assert.strictEqual(y, 0, `row length ${len}: element ${i} of weight 0 is ${y}`);
    });
    assert.ok(worst <= 5e-7, `row length ${len}: relative error ${worst}`);
  }
});
