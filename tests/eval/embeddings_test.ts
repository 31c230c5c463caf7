import assert from "node:assert";
import { fuseFlip, l2NormalizeRows, squaredDistance } from "../../src/eval/embeddings.ts";

const close = (got: ArrayLike<number>, want: number[]) =>
  assert.ok(want.every((w, i) => Math.abs(got[i] - w) < 1e-6), `got ${Array.from(got)}, want ${want}`);

Deno.test("fuseFlip: sums plain and flipped rows, then L2-normalises", () => {
  const plain = new Float32Array([1, 0, 3, 0, 0, 0]);
  const flipped = new Float32Array([0, 1, 1, 0, 0, 0]);
  close(fuseFlip(plain, flipped, 2), [Math.SQRT1_2, Math.SQRT1_2, 1, 0, 0, 0]);
});

Deno.test("l2NormalizeRows: 3-4-5 row becomes 0.6, 0.8; input untouched", () => {
  const x = new Float32Array([3, 4]);
  close(l2NormalizeRows(x, 2), [0.6, 0.8]);
  close(x, [3, 4]);
});

Deno.test("embedding helpers: errors name the function and the sizes", () => {
  assert.throws(() => fuseFlip(new Float32Array(4), new Float32Array(2), 2), /fuseFlip: plain has 4 values, flipped 2/);
  assert.throws(() => l2NormalizeRows(new Float32Array(5), 2), /l2NormalizeRows: length 5 is not a multiple of dim 2/);
  assert.throws(() => l2NormalizeRows(new Float32Array(4), 0), /dim must be a positive integer, got 0/);
});

Deno.test("squaredDistance: row i of a against row j of b", () => {
  const a = new Float32Array([0, 0, 1, 2]);
  const b = new Float32Array([4, 6, 1, 1]);
  assert.strictEqual(squaredDistance(a, 1, b, 0, 2), 9 + 16);
  assert.strictEqual(squaredDistance(a, 0, b, 1, 2), 2);
});
