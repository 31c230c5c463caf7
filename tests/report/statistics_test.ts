import assert from "node:assert";
import { computeStatistics } from "../../src/report/statistics.ts";
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
