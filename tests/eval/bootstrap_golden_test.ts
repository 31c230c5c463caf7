/** The bootstrap, paired comparisons, McNemar and Holm against numpy/scipy (fixtures/golden/bootstrap.json, written by
 * tools/golden_bootstrap.py from the inputs and resample plan of tools/bootstrap_inputs.ts). */
import assert from "node:assert";
import { Rng } from "../../src/core/rng.ts";
import {
  bootstrapMetrics,
  drawResamples,
  type EvaluatedPairs,
  type Interval,
  pairedComparison,
  pairWeights,
  percentileInterval,
  type ResamplePlan,
} from "../../src/eval/bootstrap.ts";
import { rocAuc, rocCurve, tarAtFar } from "../../src/eval/roc.ts";
import { mean } from "../../src/eval/stats.ts";
import { discordantCounts, holm, mcnemarExact } from "../../src/eval/significance.ts";
import { binDistances, foldDecisions, verifyBinned, verifyDistances } from "../../src/eval/verification.ts";

const read = async (name: string) =>
  JSON.parse(await Deno.readTextFile(new URL(`../../fixtures/golden/${name}`, import.meta.url)));
const inputs = await read("bootstrap_inputs.json");
const golden = await read("bootstrap.json");

const pairs: EvaluatedPairs = {
  same: inputs.same,
  folds: inputs.folds,
  leftIdentity: Int32Array.from(inputs.leftIdentity),
  rightIdentity: Int32Array.from(inputs.rightIdentity),
  identities: inputs.identities,
};
const plan: ResamplePlan = {
  identityCounts: inputs.plan.identityCounts.map((c: number[]) => Int32Array.from(c)),
  seedPicks: inputs.plan.seedPicks.map((p: number[]) => Int32Array.from(p)),
};
const cells: Record<string, Float64Array[]> = {};
for (const [name, seeds] of Object.entries(inputs.cells as Record<string, number[][]>)) {
  cells[name] = seeds.map((d) => Float64Array.from(d));
}
const results = Object.fromEntries(
  Object.entries(cells).map(([name, seeds]) => [name, bootstrapMetrics(pairs, seeds, plan, inputs.farTargets)]),
);
/** The unweighted metrics of every seed, averaged: accuracy, AUC, TAR at each FAR target. */
const pointEstimates = (seeds: Float64Array[]) => {
  const perSeed = seeds.map((d) => {
    const curve = rocCurve(d, pairs.same);
    return [
      verifyDistances(d, pairs.same).accuracyMean,
      rocAuc(curve),
      ...tarAtFar(curve, inputs.farTargets).map((t) => t.tar),
    ];
  });
  return perSeed[0].map((_, m) => mean(perSeed.map((metrics) => metrics[m])));
};

const near = (got: number, want: number, what: string) =>
  assert.ok(Math.abs(got - want) <= 1e-12, `${what}: ${got} vs ${want}`);
const nearAll = (got: ArrayLike<number>, want: number[], what: string) => {
  assert.strictEqual(got.length, want.length, `${what}: length`);
  want.forEach((w, i) => near(got[i], w, `${what}[${i}]`));
};
/** One value per metric, as the golden file stores them. */
interface Metrics<T> {
  accuracy: T;
  auc: T;
  tarAtFar: T[];
}
/** The metrics in a fixed order: accuracy, AUC, TAR at each FAR target. */
const flat = <T>(m: Metrics<T>): [string, T][] => [
  ["accuracy", m.accuracy],
  ["auc", m.auc],
  ...m.tarAtFar.map((v, t): [string, T] => [`tarAtFar[${t}]`, v]),
];

Deno.test("bootstrap golden: the committed plan is the one drawResamples draws", () => {
  const drawn = drawResamples(inputs.identities, 2, plan.identityCounts.length, new Rng(2026, "bootstrap"));
  assert.deepStrictEqual(drawn, plan);
});

for (const [name, want] of Object.entries(golden.cells as Record<string, GoldenCell>)) {
  Deno.test(`bootstrap golden ${name}: weighted fold thresholds equal numpy's brute force, resample by resample`, () => {
    cells[name].forEach((distances, s) => {
      assert.deepStrictEqual(verifyDistances(distances, pairs.same).foldThresholds, want.unitFoldThresholds[s]);
      const binned = binDistances(distances);
      plan.identityCounts.forEach((counts, b) => {
        const r = verifyBinned(binned, pairs.same, { folds: pairs.folds, weights: pairWeights(pairs, counts) });
        assert.deepStrictEqual(r.foldThresholds, want.foldThresholds[b][s], `resample ${b} seed ${s}`);
      });
    });
  });
  Deno.test(`bootstrap golden ${name}: point estimates, replicates and intervals equal numpy's`, () => {
    const [wantPoint, wantResampled, wantInterval] = [flat(want.point), flat(want.resampled), flat(want.interval)];
    pointEstimates(cells[name]).forEach((v, k) => near(v, wantPoint[k][1], `point ${wantPoint[k][0]}`));
    flat<Float64Array>(results[name]).forEach(([what, values], k) => {
      nearAll(values, wantResampled[k][1], `resampled ${what}`);
      const { low, high } = percentileInterval(values);
      near(low, wantInterval[k][1].low, `${what} low`);
      near(high, wantInterval[k][1].high, `${what} high`);
    });
  });
}

Deno.test("bootstrap golden: paired comparisons (interval, standard error, z-test p) equal numpy/scipy's", () => {
  for (const c of golden.comparisons as GoldenComparison[]) {
    const [a, b] = [flat<Float64Array>(results[c.a]), flat<Float64Array>(results[c.b])];
    const [pointA, pointB] = [pointEstimates(cells[c.a]), pointEstimates(cells[c.b])];
    flat(c).forEach(([what, want], k) => {
      const got = pairedComparison(a[k][1], b[k][1], pointA[k] - pointB[k]);
      for (const key of ["low", "high", "se"] as const) near(got[key], want[key], `${c.a}-${c.b} ${what} ${key}`);
      assert.ok(Math.abs(got.p - want.p) <= 1e-12 * Math.max(want.p, 1e-300), `${c.a}-${c.b} ${what} p: ${got.p}`);
    });
  }
});

Deno.test("bootstrap golden: McNemar on held-out decisions and on fixed counts equals scipy's binomtest", () => {
  const correct = (name: string) => foldDecisions(cells[name][0], pairs.same, pairs.folds);
  for (const c of golden.mcnemar.cells as { a: string; b: string; n01: number; n10: number; p: number }[]) {
    const counts = discordantCounts(correct(c.a), correct(c.b));
    assert.deepStrictEqual(counts, { n01: c.n01, n10: c.n10 }, `${c.a} vs ${c.b}`);
    near(mcnemarExact(counts.n01, counts.n10), c.p, `${c.a} vs ${c.b}`);
  }
  for (const c of golden.mcnemar.cases as { n01: number; n10: number; p: number }[]) {
    near(mcnemarExact(c.n01, c.n10), c.p, `n01 ${c.n01} n10 ${c.n10}`);
    assert.ok(Math.abs(mcnemarExact(c.n01, c.n10) - c.p) <= 1e-13 * c.p, `relative error, n01 ${c.n01} n10 ${c.n10}`);
  }
});

Deno.test("bootstrap golden: Holm equals the numpy step-down", () => {
  nearAll(holm(golden.holm.input), golden.holm.adjusted, "holm");
});

interface GoldenCell {
  point: Metrics<number>;
  resampled: Metrics<number[]>;
  interval: Metrics<Interval>;
  /** [resample][seed][fold] */
  foldThresholds: number[][][];
  /** [seed][fold] */
  unitFoldThresholds: number[][];
}

interface GoldenComparison extends Metrics<{ low: number; high: number; se: number; p: number }> {
  a: string;
  b: string;
}
