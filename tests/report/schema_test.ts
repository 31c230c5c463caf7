import assert from "node:assert";
import { parseReport } from "../../src/report/schema.ts";
import { evalSetsReport } from "./_eval_sets_fixture.ts";
import { syntheticReport } from "./_fixture.ts";

Deno.test("reportSchema: the synthetic report round-trips through JSON unchanged", () => {
  const report = syntheticReport();
  assert.deepStrictEqual(parseReport(JSON.parse(JSON.stringify(report)), "mem"), report);
});

Deno.test("reportSchema: a report with further evaluation sets, their statistics and a t-SNE map round-trips", () => {
  const report = evalSetsReport();
  assert.deepStrictEqual(parseReport(JSON.parse(JSON.stringify(report)), "mem"), report);
  // statistics written before evaluation sets read with empty per-set statistics
  const older = JSON.parse(JSON.stringify(syntheticReport()));
  delete older.statistics.evalSets;
  delete older.statistics.meanAccuracy;
  assert.deepStrictEqual(parseReport(older, "older.json").statistics, syntheticReport().statistics);
});

Deno.test("parseReport: errors name the source, the field path and the problem", () => {
  const bad = JSON.parse(JSON.stringify(syntheticReport()));
  bad.cells[2].metrics.accuracyMean = 1.5;
  bad.run.seeds = [];
  assert.throws(() => parseReport(bad, "baseline.json"), (e: Error) => {
    assert.match(e.message, /^report baseline.json is invalid:/);
    assert.match(e.message, /run\.seeds: Too small/);
    assert.match(e.message, /cells\.2\.metrics\.accuracyMean: Too big/);
    return true;
  });
  assert.throws(
    () => parseReport({ ...syntheticReport(), version: 3 }, "future.json"),
    /version 3; this facebench reads/,
  );
});

Deno.test("parseReport: a version-1 report is upgraded (one seed, no references, pairs or statistics)", async () => {
  const v1 = JSON.parse(
    await Deno.readTextFile(new URL("../../fixtures/legacy/quick-v1-report.json", import.meta.url)),
  );
  assert.strictEqual(v1.version, 1, "the quick baseline of facebench before report version 2");
  const report = parseReport(v1, "quick.json");
  assert.strictEqual(report.version, 2);
  assert.deepStrictEqual(report.run.seeds, [v1.run.seed]);
  assert.ok(report.cells.every((c) => c.seed === v1.run.seed && c.trained === null && c.distances === null));
  assert.deepStrictEqual([report.references, report.evaluation, report.statistics], [[], null, null]);
});
