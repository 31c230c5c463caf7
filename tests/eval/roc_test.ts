import assert from "node:assert";
import { rocAuc, rocCurve, tarAtFar } from "../../src/eval/roc.ts";

Deno.test("rocCurve: exact operating points, one per distinct distance", () => {
  const c = rocCurve([0.3, 0.2, 0.1, 0.4], [true, false, true, false]);
  assert.deepStrictEqual(c.far, [0, 0, 0.5, 0.5, 1]);
  assert.deepStrictEqual(c.tar, [0, 0.5, 0.5, 1, 1]);
  assert.deepStrictEqual(c.threshold, [-Infinity, 0.1, 0.2, 0.3, 0.4]);
});

Deno.test("rocAuc: equals the fraction of (same, different) pairs ordered correctly; ties count one half", () => {
  // same at 0.1, 0.3; different at 0.2, 0.4 → 3 of 4 orderings correct
  assert.strictEqual(rocAuc(rocCurve([0.1, 0.2, 0.3, 0.4], [true, false, true, false])), 0.75);
  assert.strictEqual(rocAuc(rocCurve([0.1, 0.1], [true, false])), 0.5);
  assert.strictEqual(rocAuc(rocCurve([0.1, 0.9], [true, false])), 1);
});

Deno.test("tarAtFar: best TAR with FAR not above the target", () => {
  const c = rocCurve([0.1, 0.2, 0.3, 0.4], [true, false, true, false]);
  assert.deepStrictEqual(tarAtFar(c, [1e-3, 0.5, 1]), [
    { far: 1e-3, tar: 0.5, threshold: 0.1 },
    { far: 0.5, tar: 1, threshold: 0.3 },
    { far: 1, tar: 1, threshold: 0.4 },
  ]);
  assert.deepStrictEqual(tarAtFar(c).map((t) => t.far), [1e-3, 1e-2]);
});

Deno.test("rocCurve: needs both classes and no NaN", () => {
  assert.throws(() => rocCurve([0.1, 0.2], [true, true]), /got 2 same and 0 different/);
  assert.throws(() => rocCurve([0.1, NaN], [true, false]), /distance 1 is NaN/);
});
