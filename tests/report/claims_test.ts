import assert from "node:assert";
import { join } from "node:path";
import type { Suite } from "../../src/bench/suite.ts";
import { holm } from "../../src/eval/significance.ts";
import {
  claimsTable,
  evaluateClaims,
  type Findings,
  findingsSchema,
  type PartReport,
  writeFindings,
} from "../../src/report/claims.ts";
import { compareRows, computeStatistics, rowsByKey } from "../../src/report/statistics.ts";
import { syntheticReport } from "./_fixture.ts";

const claim = (id: string, better: string, worse: string) => ({
  id,
  statement: `${better} beats ${worse}`,
  source: "test",
  part: "quick",
  better,
  worse,
});

const suite: Suite = {
  name: "test-suite",
  description: "claims on the synthetic report",
  parts: ["quick"],
  claims: [
    claim("learned", "mobilefacenet_tiny/arcface", "raw_pixels"),
    claim("backwards", "mobilefacenet_tiny/softmax", "ir_se_50_tiny/arcface"),
    claim("close", "ir_se_50_tiny/cosface", "ir_se_50_tiny/softmax"),
  ],
};

function reports(): Map<string, PartReport> {
  return new Map([["quick", { report: syntheticReport(), path: "quick/report.json" }]]);
}

Deno.test("claims: each claim is the report's paired comparison, Holm-corrected over the suite's claims", () => {
  const results = evaluateClaims(suite, reports());
  const rows = rowsByKey(syntheticReport(), "fixture");
  const expected = suite.claims.map((c) => compareRows(rows.get(c.better)!, rows.get(c.worse)!));
  const adjusted = holm(expected.map((e) => e.p));
  results.forEach((r, i) => {
    assert.strictEqual(r.difference.value, expected[i].accuracy.value);
    assert.strictEqual(r.p, expected[i].p);
    assert.strictEqual(r.pHolm, adjusted[i]);
  });
  assert.deepStrictEqual(results.map((r) => r.verdict), ["reproduced", "reversed", "not significant"]);
  assert.ok(results[0].difference.low > 0 && results[1].difference.high < 0);
  assert.ok(results[2].pHolm >= 0.05, `the 0.93 vs 0.90 cells are within the noise (p ${results[2].pHolm})`);
  const best = syntheticReport().statistics!.cells.find((c) => c.key === "ir_se_50_tiny/arcface")!;
  assert.deepStrictEqual(results[1].worseAccuracy, best.accuracy);
  assert.deepStrictEqual(results.map((r) => r.notes), [[], [], []]);
  const table = claimsTable(results);
  assert.strictEqual(table.rows.length, 3);
  assert.strictEqual(table.rows[1][6], "reversed");
});

Deno.test("claims: a row whose loss did not halve is noted; a missing part or row is an error naming it", () => {
  const report = syntheticReport();
  report.cells = report.cells.map((c) => c.head === "cosface" ? { ...c, trained: false } : c);
  report.statistics = computeStatistics({ ...report, seeds: report.run.seeds });
  const results = evaluateClaims(suite, new Map([["quick", { report, path: "q.json" }]]));
  assert.deepStrictEqual(results[2].notes, ["ir_se_50_tiny/cosface: training loss did not halve"]);
  assert.match(claimsTable(results).rows[2][6], /not significant \(ir_se_50_tiny\/cosface: training loss/);
  assert.throws(() => evaluateClaims(suite, new Map()), /claim learned: no report of part quick/);
  const failed = { ...suite, claims: [claim("failed", "mobilefacenet_tiny/cosface", "raw_pixels")] };
  assert.throws(() => evaluateClaims(failed, reports()), /claim failed: report quick\/report.json has no row/);
});

Deno.test("claims: findings.json is validated and written with its Markdown", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const findings: Findings = {
      version: 1,
      suite: suite.name,
      description: suite.description,
      createdAt: "2026-12-05T00:00:00Z",
      command: "deno task bench --preset test-suite",
      alpha: 0.05,
      parts: [{ preset: "quick", runId: "run", report: "quick/report.json", seeds: [1337] }],
      claims: evaluateClaims(suite, reports()),
    };
    const files = await writeFindings(dir, findings);
    assert.strictEqual(files.json, join(dir, "findings.json"));
    assert.deepStrictEqual(findingsSchema.parse(JSON.parse(await Deno.readTextFile(files.json))), findings);
    const markdown = await Deno.readTextFile(files.markdown);
    assert.match(markdown, /1 of 3 claims reproduced/);
    assert.match(markdown, /\| backwards \| quick \|/);
    assert.match(markdown, /\[quick\/report.json\]\(quick\/report.json\) \(seeds 1337\)/);
    await assert.rejects(writeFindings(dir, { ...findings, alpha: "x" } as unknown as Findings));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
