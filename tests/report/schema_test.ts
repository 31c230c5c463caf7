import assert from "node:assert";
import { parseReport } from "../../src/report/schema.ts";
import { syntheticReport } from "./_fixture.ts";

Deno.test("reportSchema: the synthetic report round-trips through JSON unchanged", () => {
  const report = syntheticReport();
  assert.deepStrictEqual(parseReport(JSON.parse(JSON.stringify(report)), "mem"), report);
});

Deno.test("parseReport: errors name the source, the field path and the problem", () => {
  const bad = JSON.parse(JSON.stringify(syntheticReport()));
  bad.cells[2].metrics.accuracyMean = 1.5;
  bad.version = 2;
  assert.throws(() => parseReport(bad, "baseline.json"), (e: Error) => {
    assert.match(e.message, /^report baseline.json is invalid:/);
    assert.match(e.message, /version: Invalid input: expected 1/);
    assert.match(e.message, /cells\.2\.metrics\.accuracyMean: Too big/);
    return true;
  });
});
