import assert from "node:assert";
import { rank1Identification } from "../../src/eval/identification.ts";

Deno.test("rank1Identification: nearest gallery entry, ties to the lower index", () => {
  const gallery = new Float32Array([1, 0, 0, 1]);
  const probe = new Float32Array([0.9, 0.1, 0.2, 0.8, 0.6, 0.6]);
  // probe 0 → gallery 0 (7) ✓; probe 1 → gallery 1 (9) ✗ (label 7); probe 2 ties → gallery 0 (7) ✓
  const r = rank1Identification(gallery, [7, 9], probe, [7, 7, 7], 2);
  assert.deepStrictEqual(r, { rank1: 2 / 3, correct: 2, total: 3 });
});

Deno.test("rank1Identification: label/row mismatch and empty sets are clear errors", () => {
  assert.throws(
    () => rank1Identification(new Float32Array(4), [1], new Float32Array(2), [1], 2),
    /gallery 2 rows \/ 1 labels/,
  );
  assert.throws(() => rank1Identification(new Float32Array(0), [], new Float32Array(2), [1], 2), /non-empty/);
});
