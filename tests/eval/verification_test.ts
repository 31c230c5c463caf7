import assert from "node:assert";
import { DISTANCE_THRESHOLDS, kFoldBounds, pairDistances, verifyDistances } from "../../src/eval/verification.ts";
import { mean, populationStd } from "../../src/eval/stats.ts";

Deno.test("DISTANCE_THRESHOLDS: np.arange(0, 4, 0.01), bit for bit", () => {
  assert.strictEqual(DISTANCE_THRESHOLDS.length, 400);
  assert.strictEqual(DISTANCE_THRESHOLDS[0], 0);
  assert.strictEqual(DISTANCE_THRESHOLDS[51], 0.51);
  assert.strictEqual(DISTANCE_THRESHOLDS[35], 0.35000000000000003); // numpy's value, not 0.35
  assert.strictEqual(DISTANCE_THRESHOLDS[399], 3.99);
});

Deno.test("kFoldBounds: sklearn KFold sizes, extra items in the first folds", () => {
  assert.deepStrictEqual(kFoldBounds(23, 10), [
    [0, 3],
    [3, 6],
    [6, 9],
    [9, 11],
    [11, 13],
    [13, 15],
    [15, 17],
    [17, 19],
    [19, 21],
    [21, 23],
  ]);
  assert.throws(() => kFoldBounds(5, 10), /5 pairs cannot be split into 10 folds/);
});

// 20 pairs, 2 per fold: even pairs are "same" at distance 0.5, odd pairs "different" at 1.5, except pair 0,
// a "same" pair at distance 2.0. Fold 0 trains without the outlier (best threshold 0.51, the first of the
// perfect range 0.51..1.50) and misclassifies it: 1/2. Every other fold trains with it: 17/18 correct on
// 0.51..1.50 (vs 9/18 above 2.0), so 0.51 again, and its test pairs are both right.
const distances = Array.from({ length: 20 }, (_, i) => (i === 0 ? 2.0 : i % 2 === 0 ? 0.5 : 1.5));
const issame = distances.map((_, i) => i % 2 === 0);

Deno.test("verifyDistances: hand-computed 10-fold case with one outlier", () => {
  const r = verifyDistances(distances, issame);
  assert.deepStrictEqual(r.foldAccuracies, [0.5, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  assert.deepStrictEqual(r.foldThresholds, Array(10).fill(0.51));
  assert.ok(Math.abs(r.accuracyMean - 0.95) < 1e-12, `mean ${r.accuracyMean}`);
  // population std: sqrt((0.45² + 9·0.05²) / 10) = 0.15
  assert.ok(Math.abs(r.accuracyStd - 0.15) < 1e-12, `std ${r.accuracyStd}`);
  assert.ok(Math.abs(r.threshold - 0.51) < 1e-12);
});

Deno.test("verifyDistances: custom folds and thresholds; ties pick the first threshold", () => {
  // 4 pairs, 2 folds. Thresholds 1 and 3 both classify fold 1's training pairs (0.5 same, 2 diff) perfectly: pick 1.
  const r = verifyDistances([0.5, 2, 0.5, 2.5], [true, false, true, false], { folds: 2, thresholds: [1, 3, 0] });
  assert.deepStrictEqual(r.foldThresholds, [1, 1]);
  assert.deepStrictEqual(r.foldAccuracies, [1, 1]);
});

Deno.test("verifyDistances: mismatched label count is a clear error", () => {
  assert.throws(() => verifyDistances([1, 2], [true]), /2 distances but 1 issame labels/);
});

Deno.test("pairDistances: squared distance of row-aligned pairs", () => {
  const d = pairDistances(new Float32Array([1, 0, 0, 1]), new Float32Array([0, 1, 0, 1]), 2);
  assert.deepStrictEqual(Array.from(d), [2, 0]);
  assert.throws(() => pairDistances(new Float32Array(4), new Float32Array(2), 2), /left has 2 rows, right 1/);
});

Deno.test("stats: mean and population std", () => {
  assert.strictEqual(mean([1, 2, 3, 4]), 2.5);
  assert.strictEqual(populationStd([2, 4, 4, 4, 5, 5, 7, 9]), 2);
  assert.ok(Number.isNaN(mean([])));
});
