import assert from "node:assert";
import { hashString, Rng, threefry2x32 } from "../../src/core/rng.ts";

Deno.test("rng: Threefry-2x32-20 matches the Random123 known-answer vectors", () => {
  // Known-answer tests from Random123's kat_vectors (threefry2x32, 20 rounds).
  assert.deepStrictEqual(threefry2x32(0, 0, 0, 0), [0x6b200159, 0x99ba4efe]);
  assert.deepStrictEqual(threefry2x32(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff), [0x1cb996fc, 0xbb002be7]);
  assert.deepStrictEqual(threefry2x32(0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3), [0xc4923a9c, 0x483df7a0]);
});

Deno.test("rng: same seed and stream give the same sequence; streams differ", () => {
  const a = new Rng(42, "init");
  const b = new Rng(42, "init");
  const c = new Rng(42, "data");
  const seqA = Array.from({ length: 8 }, () => a.uint32());
  assert.deepStrictEqual(seqA, Array.from({ length: 8 }, () => b.uint32()));
  assert.notDeepStrictEqual(seqA, Array.from({ length: 8 }, () => c.uint32()));
});

Deno.test("rng: state() and fromState() continue the exact sequence, also mid-block", () => {
  const rng = new Rng(7, "augment");
  rng.uint32();
  rng.normal();
  rng.uint32();
  const restored = Rng.fromState(rng.state());
  assert.deepStrictEqual(
    Array.from({ length: 5 }, () => restored.float()),
    Array.from({ length: 5 }, () => rng.float()),
  );
});

Deno.test("rng: uniform, int and normal have the expected moments", () => {
  const rng = new Rng(1, "moments");
  const n = 20000;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    sum += z;
    sq += z * z;
  }
  assert.ok(Math.abs(sum / n) < 0.03, `normal mean ${sum / n}`);
  assert.ok(Math.abs(sq / n - 1) < 0.05, `normal variance ${sq / n}`);
  const counts = new Array(5).fill(0);
  for (let i = 0; i < n; i++) counts[rng.int(5)]++;
  for (const k of counts) assert.ok(Math.abs(k / n - 0.2) < 0.02, `int(5) frequencies ${counts}`);
  for (let i = 0; i < 1000; i++) {
    const u = rng.uniform(-2, 3);
    assert.ok(u >= -2 && u < 3);
  }
});

Deno.test("rng: reserveBlocks hands out disjoint block ranges", () => {
  const rng = new Rng(5, "dropout");
  rng.uint32();
  const first = rng.reserveBlocks(10);
  const second = rng.reserveBlocks(4);
  assert.strictEqual(first, 1);
  assert.strictEqual(second, 11);
});

Deno.test("rng: rejects invalid seeds and names streams by hash", () => {
  assert.throws(() => new Rng(-1, "x"), /seed must be an integer/);
  assert.throws(() => new Rng(1.5, "x"), /seed must be an integer/);
  assert.strictEqual(hashString(""), 0x811c9dc5);
  assert.notStrictEqual(hashString("init"), hashString("data"));
});
