import assert from "node:assert";
import { computeStatistics } from "../../src/report/statistics.ts";
import { evalSetsReport, FURTHER_EVAL_SETS } from "./_eval_sets_fixture.ts";
import { syntheticCell, syntheticReport } from "./_fixture.ts";

Deno.test("computeStatistics: a fine-tuned cell whose scratch twin is the best cell is tested against it once", () => {
  const report = syntheticReport();
  const finetuned = { ...syntheticCell(0, "ir_se_50_tiny", "arcface", 0.9), stage: "finetuned" as const };
  const cells = [...report.cells, finetuned];
  const stats = computeStatistics({ ...report, cells, seeds: report.run.seeds })!;
  const key = "ir_se_50_tiny/arcface@finetuned";
  const mine = stats.comparisons.filter((c) => c.a === key);
  assert.deepStrictEqual(mine.map((c) => [c.purpose, c.b]), [
    ["untrained", "untrained:ir_se_50_tiny"],
    ["raw_pixels", "raw_pixels"],
    ["pretraining", "ir_se_50_tiny/arcface"],
  ]);
  const pretraining = mine[2];
  const row = stats.cells.find((c) => c.key === key)!;
  assert.strictEqual(row.indistinguishableFromBest, !pretraining.significant, "the ranking verdict is that test's");
  const bestRows = stats.comparisons.filter((c) => c.purpose === "best").map((c) => c.a);
  assert.deepStrictEqual(bestRows, [
    "ir_se_50_tiny/cosface",
    "ir_se_50_tiny/softmax",
    "mobilefacenet_tiny/arcface",
    "mobilefacenet_tiny/softmax",
  ]);
});

Deno.test("computeStatistics: every row gets intervals on each further set, a .bin set's pairs resampled, and a mean over sets", () => {
  const report = evalSetsReport();
  const stats = report.statistics!;
  assert.deepStrictEqual(stats.evalSets.map((s) => s.name), ["orl", "lfw"]);
  const keys = (rows: readonly { key: string }[]) => rows.map((r) => r.key);
  for (const set of stats.evalSets) {
    assert.deepStrictEqual(keys(set.cells), keys(stats.cells), `${set.name}: the cells that did not fail`);
    assert.deepStrictEqual(keys(set.references), keys(stats.references));
    for (const row of [...set.cells, ...set.references]) {
      for (const e of [row.accuracy, row.auc]) {
        assert.ok(e.low <= e.value && e.value <= e.high && e.low < e.high, `${set.name} ${row.key}`);
      }
    }
  }
  // point estimates are the rows' own metrics on that set
  const lfw = FURTHER_EVAL_SETS.findIndex((s) => s.name === "lfw");
  assert.strictEqual(stats.evalSets[lfw].cells[0].accuracy.value, report.cells[0].evalSets[lfw].metrics!.accuracyMean);
  assert.strictEqual(stats.evalSets[lfw].references[0].auc.value, report.references[0].evalSets[lfw].metrics.auc);
  // the mean over the three sets, for cells and then references
  assert.deepStrictEqual(keys(stats.meanAccuracy), [...keys(stats.cells), ...keys(stats.references)]);
  for (const mean of stats.meanAccuracy) {
    const onSets = [stats, ...stats.evalSets].map((s) =>
      [...s.cells, ...s.references].find((r) => r.key === mean.key)!
    );
    const values = onSets.map((r) => r.accuracy.value);
    assert.ok(Math.abs(mean.value - (values[0] + values[1] + values[2]) / 3) < 1e-15, mean.key);
    assert.ok(mean.low <= mean.value && mean.value <= mean.high, mean.key);
    // averaging independent sets narrows the interval below the widest set's
    const widest = Math.max(...onSets.map((r) => r.accuracy.high - r.accuracy.low));
    assert.ok(mean.high - mean.low < widest, mean.key);
  }
  assert.match(stats.method, /pairs resampled where it has no identities/);
  // deterministic: the same input gives the same statistics, bit for bit
  assert.deepStrictEqual(computeStatistics({ ...report, seeds: report.run.seeds }), stats);
});

Deno.test("computeStatistics: each further set has its own resamples; a row not evaluated on a set has no mean", () => {
  const report = syntheticReport();
  report.cells = report.cells.slice(0, 2);
  // a further set holding exactly the primary results: same point estimates, other resamples
  const copy = { ...FURTHER_EVAL_SETS[0], name: "copy", evaluation: report.evaluation! };
  const cells = report.cells.map((c, i) => ({
    ...c,
    evalSets: [{ metrics: i === 0 ? c.metrics : null, evalCurve: [], distances: i === 0 ? c.distances : null }],
  }));
  const references = report.references.map((r) => ({
    ...r,
    evalSets: [{ metrics: r.metrics, distances: r.distances }],
  }));
  const stats = computeStatistics({
    cells,
    references,
    evaluation: report.evaluation,
    evalSets: [copy],
    seeds: [1337],
  })!;
  const [primary, further] = [stats.cells[0], stats.evalSets[0].cells[0]];
  assert.strictEqual(further.key, primary.key);
  assert.strictEqual(further.accuracy.value, primary.accuracy.value);
  assert.notDeepStrictEqual(further.accuracy, primary.accuracy, "another resample stream");
  assert.deepStrictEqual(stats.evalSets[0].cells.map((c) => c.key), ["ir_se_50_tiny/arcface"]);
  assert.ok(!stats.meanAccuracy.some((m) => m.key === "ir_se_50_tiny/cosface"), "not evaluated on the further set");
  assert.strictEqual(stats.meanAccuracy.length, 1 + report.references.length);
  // without further sets: no per-set statistics and no mean
  const plain = report.statistics!;
  assert.deepStrictEqual([plain.evalSets, plain.meanAccuracy], [[], []]);
  assert.doesNotMatch(plain.method, /further/);
});

Deno.test("computeStatistics: a set without identities resamples its pairs, whatever numbers its units carry", () => {
  const report = evalSetsReport();
  const lfw = FURTHER_EVAL_SETS[1];
  const pairs = lfw.evaluation!;
  const units = pairs.identities;
  // the same pairs with their units numbered backwards: an identity bootstrap would draw other weights
  const renumbered = {
    ...lfw,
    evaluation: {
      ...pairs,
      leftIdentity: pairs.leftIdentity.map((u) => units - 1 - u),
      rightIdentity: pairs.rightIdentity.map((u) => units - 1 - u),
    },
  };
  const cells = report.cells.slice(0, 1).map((c) => ({ ...c, evalSets: c.evalSets.slice(1) }));
  const input = { cells, references: [], evaluation: report.evaluation, seeds: [1337] };
  const a = computeStatistics({ ...input, evalSets: [lfw] })!,
    b = computeStatistics({ ...input, evalSets: [renumbered] })!;
  assert.deepStrictEqual(a.evalSets, b.evalSets);
  assert.deepStrictEqual(a.evalSets[0].cells[0], report.statistics!.evalSets[1].cells[0]);
});
