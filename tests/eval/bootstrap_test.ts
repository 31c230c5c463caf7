import assert from "node:assert";
import { Rng } from "../../src/core/rng.ts";
import {
  bootstrapMetrics,
  drawResamples,
  type EvaluatedPairs,
  pairedComparison,
  pairWeights,
  percentile,
  percentileInterval,
  type ResamplePlan,
} from "../../src/eval/bootstrap.ts";
import { distanceOrder, rocAuc, rocCurve, tarAtFar } from "../../src/eval/roc.ts";
import { binDistances, verifyBinned, verifyDistances } from "../../src/eval/verification.ts";

/** 240 random pairs over 12 identities, two seeds of distances rounded to 1e-2 (many ties, many on the grid). */
function randomCell(): { pairs: EvaluatedPairs; seeds: Float64Array[] } {
  const rng = new Rng(7, "bootstrap-test");
  const identities = 12, n = 240;
  const same = Array.from({ length: n }, () => rng.int(2) === 0);
  const leftIdentity = Int32Array.from(same, () => rng.int(identities));
  const rightIdentity = Int32Array.from(
    same,
    (s, i) => s ? leftIdentity[i] : (leftIdentity[i] + 1 + rng.int(identities - 1)) % identities,
  );
  const seed = () =>
    Float64Array.from(same, (s) => Math.round(Math.max(0, (s ? 1 : 1.5) + 0.4 * rng.normal()) * 100) / 100);
  return { pairs: { same, folds: 10, leftIdentity, rightIdentity, identities }, seeds: [seed(), seed()] };
}

const plain = (xs: ArrayLike<number>) => Array.from(xs);

Deno.test("drawResamples: multiplicities sum to the identity count; one seed always picks seed 0", () => {
  const plan = drawResamples(9, 3, 20, new Rng(1, "bootstrap"));
  assert.strictEqual(plan.identityCounts.length, 20);
  for (const counts of plan.identityCounts) assert.strictEqual(counts.reduce((s, c) => s + c, 0), 9);
  for (const picks of plan.seedPicks) assert.ok(picks.length === 3 && picks.every((s) => s >= 0 && s < 3));
  assert.deepStrictEqual(drawResamples(9, 3, 20, new Rng(1, "bootstrap")), plan, "same seed, same plan");
  const single = drawResamples(5, 1, 4, new Rng(1, "bootstrap"));
  assert.deepStrictEqual(single.seedPicks.map(plain), [[0], [0], [0], [0]]);
  assert.throws(
    () => drawResamples(0, 1, 4, new Rng(1, "b")),
    /drawResamples: identities must be an integer >= 1, got 0/,
  );
  assert.throws(() => drawResamples(5, 1, 0, new Rng(1, "b")), /count must be an integer >= 1, got 0/);
  assert.throws(() => drawResamples(5, 0, 4, new Rng(1, "b")), /seeds must be an integer >= 1, got 0/);
});

Deno.test("pairWeights: m[a] for a same pair, m[a]·m[c] for a different pair", () => {
  const pairs: EvaluatedPairs = {
    same: [true, true, false, false, false],
    folds: 2,
    leftIdentity: Int32Array.of(0, 1, 0, 1, 2),
    rightIdentity: Int32Array.of(0, 1, 2, 2, 0),
    identities: 3,
  };
  assert.deepStrictEqual(plain(pairWeights(pairs, Int32Array.of(2, 0, 1))), [2, 0, 2, 0, 2]);
  assert.throws(() => pairWeights(pairs, Int32Array.of(3)), /pairWeights: 1 identity counts for 3 identities/);
});

Deno.test("unit weights reproduce verifyDistances and rocCurve bit for bit", () => {
  const { pairs, seeds } = randomCell();
  const ones = new Float64Array(pairs.same.length).fill(1);
  for (const d of seeds) {
    assert.deepStrictEqual(
      verifyBinned(binDistances(d), pairs.same, { weights: ones }),
      verifyDistances(d, pairs.same),
    );
    assert.deepStrictEqual(verifyDistances(d, pairs.same, { weights: ones }), verifyDistances(d, pairs.same));
    assert.deepStrictEqual(
      rocCurve(d, pairs.same, { weights: ones, order: distanceOrder(d) }),
      rocCurve(d, pairs.same),
    );
  }
  // unsorted custom thresholds: the first of the tied best still wins
  const custom = { folds: 2, thresholds: [1, 3, 0] };
  assert.deepStrictEqual(
    verifyDistances([0.5, 2, 0.5, 2.5], [true, false, true, false], { ...custom, weights: [1, 1, 1, 1] }),
    verifyDistances([0.5, 2, 0.5, 2.5], [true, false, true, false], custom),
  );
});

// the hand case of verification_test.ts: 20 pairs, 2 per fold, "same" at 0.5 and "different" at 1.5, except the
// outlier pair 0 ("same" at 2.0), which fold 0 misclassifies (accuracy 0.95 unweighted)
const distances = Array.from({ length: 20 }, (_, i) => (i === 0 ? 2.0 : i % 2 === 0 ? 0.5 : 1.5));
const issame = distances.map((_, i) => i % 2 === 0);

Deno.test("weighted k-fold: weight 0 drops a pair, a fold of weight 0 drops out of the mean", () => {
  const dropOutlier = verifyDistances(distances, issame, { weights: distances.map((_, i) => i === 0 ? 0 : 1) });
  assert.deepStrictEqual(dropOutlier.foldAccuracies, Array(10).fill(1));
  assert.strictEqual(dropOutlier.accuracyMean, 1);
  const dropFold = verifyDistances(distances, issame, { weights: distances.map((_, i) => i < 2 ? 0 : 1) });
  assert.ok(Number.isNaN(dropFold.foldAccuracies[0]));
  assert.strictEqual(dropFold.accuracyMean, 1);
  assert.ok(Math.abs(dropFold.threshold - 0.51) < 1e-15);
  // weight 3 on the outlier: fold 0 scores 1 right of weight 4; the other folds still pick 0.51 (17 + 2 vs 9 + 3)
  const heavy = verifyDistances(distances, issame, { weights: distances.map((_, i) => i === 0 ? 3 : 1) });
  assert.deepStrictEqual(heavy.foldAccuracies, [0.25, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  assert.throws(() => verifyDistances(distances, issame, { weights: [1] }), /verifyBinned: 20 distances but 1 weights/);
});

Deno.test("weighted ROC: weight 0 drops a pair; an integer weight counts the pair that often", () => {
  const d = [0.1, 0.2, 0.3, 0.4, 0.25];
  const same = [true, false, true, false, true];
  const dropped = rocCurve(d, same, { weights: [1, 1, 1, 1, 0] });
  const subset = rocCurve(d.slice(0, 4), same.slice(0, 4));
  assert.strictEqual(rocAuc(dropped), rocAuc(subset));
  assert.deepStrictEqual(tarAtFar(dropped, [0, 0.5]).map((t) => t.tar), tarAtFar(subset, [0, 0.5]).map((t) => t.tar));
  const doubled = rocCurve(d, same, { weights: [2, 1, 1, 1, 1] });
  const repeated = rocCurve([...d, 0.1], [...same, true]);
  assert.deepStrictEqual(doubled, repeated);
  assert.throws(() => rocCurve(d, same, { weights: [0, 1, 0, 1, 0] }), /got 0 same and 2 different \(weighted\)/);
});

Deno.test("scaling all weights by 2 changes nothing; doubling multiplicities leaves AUC and TAR@FAR unchanged", () => {
  const { pairs, seeds } = randomCell();
  const counts = drawResamples(pairs.identities, 1, 1, new Rng(3, "bootstrap")).identityCounts[0];
  const w = pairWeights(pairs, counts);
  const d = seeds[0];
  assert.deepStrictEqual(
    verifyDistances(d, pairs.same, { weights: w.map((x) => 2 * x) }),
    verifyDistances(d, pairs.same, { weights: w }),
  );
  // same pairs weigh 2·m[a], different pairs 4·m[a]·m[c]: each class scales by a power of two, so FAR and TAR
  // are the same numbers (the k-fold accuracy is not invariant: it weighs the classes against each other)
  const curve = rocCurve(d, pairs.same, { weights: w });
  const doubled = rocCurve(d, pairs.same, { weights: pairWeights(pairs, counts.map((c) => 2 * c)) });
  assert.deepStrictEqual(doubled, curve);
});

Deno.test("bootstrapMetrics: all-ones multiplicities give the seed means of the unweighted metrics", () => {
  const { pairs, seeds } = randomCell();
  const plan: ResamplePlan = {
    identityCounts: [new Int32Array(12).fill(1), new Int32Array(12).fill(1)],
    seedPicks: [Int32Array.of(0, 1), Int32Array.of(1, 1)],
  };
  const r = bootstrapMetrics(pairs, seeds, plan, [0.05]);
  const [a, b] = seeds.map((d) => verifyDistances(d, pairs.same).accuracyMean);
  const [aucA, aucB] = seeds.map((d) => rocAuc(rocCurve(d, pairs.same)));
  const [tarA, tarB] = seeds.map((d) => tarAtFar(rocCurve(d, pairs.same), [0.05])[0].tar);
  assert.deepStrictEqual(plain(r.accuracy), [(a + b) / 2, b]);
  assert.deepStrictEqual(plain(r.auc), [(aucA + aucB) / 2, aucB]);
  assert.deepStrictEqual(r.tarAtFar.map(plain), [[(tarA + tarB) / 2, tarB]]);
});

Deno.test("bootstrapMetrics: inputs are checked with clear errors", () => {
  const { pairs, seeds } = randomCell();
  const plan = drawResamples(12, 2, 3, new Rng(1, "bootstrap"));
  assert.throws(() => bootstrapMetrics(pairs, [], plan), /distancesPerSeed is empty/);
  assert.throws(
    () => bootstrapMetrics(pairs, [seeds[0], seeds[1].subarray(1)], plan),
    /seed 1 has 239 distances for 240/,
  );
  assert.throws(() => bootstrapMetrics(pairs, [seeds[0]], plan), /seed picks of resample 0 do not fit 1 seeds/);
  assert.throws(
    () => bootstrapMetrics(pairs, seeds, { identityCounts: [], seedPicks: [] }),
    /plan has 0 identity resamples and 0 seed resamples/,
  );
  const outOfRange = { ...pairs, leftIdentity: pairs.leftIdentity.map((id, i) => i === 5 ? 12 : id) };
  assert.throws(() => bootstrapMetrics(outOfRange, seeds, plan), /leftIdentity\[5\] = 12, expected 0 … 11/);
  const mislabelled = { ...pairs, same: pairs.same.map((s, i) => i === 0 ? !s : s) };
  assert.throws(() => bootstrapMetrics(mislabelled, seeds, plan), /pair 0 is (same|different) but its identities are/);
  assert.throws(() => bootstrapMetrics({ ...pairs, leftIdentity: new Int32Array(3) }, seeds, plan), /240 pairs but 3/);
});

Deno.test("percentile: numpy's linear rule", () => {
  // np.percentile([1, 2, 3, 4], [0, 2.5, 50, 97.5, 100]) = 1, 1.075, 2.5, 3.925, 4
  const xs = [4, 1, 3, 2];
  assert.deepStrictEqual([0, 2.5, 50, 97.5, 100].map((q) => percentile(xs, q)), [1, 1.075, 2.5, 3.925, 4]);
  assert.strictEqual(percentile([5], 97.5), 5);
  assert.deepStrictEqual(percentileInterval(xs), { low: 1.075, high: 3.925 });
  assert.throws(() => percentile([], 50), /percentile: values is empty/);
  assert.throws(() => percentile([1, NaN], 50), /values contain NaN/);
  assert.throws(() => percentileInterval(xs, 1), /level must be in \(0, 1\), got 1/);
});

Deno.test("pairedComparison: z-test p by hand, symmetric in A and B, invariant to the resample order", () => {
  // Δ_b = 0.1, 0.2, 0.3: se = 0.1 (ddof 1); observed 0.196 → z = 1.96 → p = 2·P(Z > 1.96) ≈ 0.0500;
  // interval 0.196 ∓ 1.95996·0.1, which just excludes 0 as p is just below 0.05
  const byHand = pairedComparison([1.1, 1.2, 1.3], [1, 1, 1], 0.196);
  assert.ok(Math.abs(byHand.se - 0.1) < 1e-15);
  assert.ok(Math.abs(byHand.p - 0.04999579029644087) < 1e-12, String(byHand.p));
  assert.ok(Math.abs(byHand.low - (0.196 - 0.1959963984540054)) < 1e-12 && byHand.low > 0);
  const rng = new Rng(5, "test");
  const x = Array.from({ length: 99 }, () => rng.normal(0.5, 0.1));
  const y = x.map((v) => v - 0.02 + rng.normal(0, 0.03));
  const xy = pairedComparison(x, y, 0.02), yx = pairedComparison(y, x, -0.02);
  assert.strictEqual(yx.p, xy.p);
  assert.ok(xy.p > 0 && xy.p < 1);
  assert.ok(Math.abs(yx.low + xy.high) < 1e-15 && Math.abs(yx.high + xy.low) < 1e-15);
  const order = rng.shuffle(Array.from(x.keys()));
  const shuffled = pairedComparison(order.map((i) => x[i]), order.map((i) => y[i]), 0.02);
  for (const key of ["low", "high", "se", "p"] as const) assert.ok(Math.abs(shuffled[key] - xy[key]) < 1e-15, key);
  // identical cells: Δ ≡ 0, p = 1, interval [0, 0]; a difference the resamples never show: p = 0
  assert.deepStrictEqual(pairedComparison(x, x, 0), { low: 0, high: 0, se: 0, p: 1 });
  assert.strictEqual(pairedComparison(x, x, 0.01).p, 0);
  assert.throws(() => pairedComparison(x, [1], 0), /pairedComparison: 99 and 1 replicates/);
  assert.throws(() => pairedComparison(x, y, NaN), /observed must be finite/);
});
