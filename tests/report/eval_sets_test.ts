import assert from "node:assert";
import { chartSpecs } from "../../src/report/charts.ts";
import { renderHtml } from "../../src/report/html.ts";
import { renderMarkdown } from "../../src/report/markdown.ts";
import { evalSetTable } from "../../src/report/tables.ts";
import { evalSetsReport } from "./_eval_sets_fixture.ts";
import { syntheticReport } from "./_fixture.ts";

const report = evalSetsReport();

Deno.test("Table 3: accuracy with its interval on every set and the mean over sets, cells then reference rows", () => {
  const md = renderMarkdown(report);
  const sections = [...md.matchAll(/^## (.*)$/gm)].map((m) => m[1]);
  assert.strictEqual(sections[1], "Verification accuracy per evaluation set, % [95% CI]", "right after the matrix");
  assert.ok(md.includes("| cell | synthface-ci | orl | lfw | mean |"), md);
  assert.ok(
    md.includes(
      "| ir_se_50_tiny/arcface | 98.00 [93.36, 99.69] | 97.50 [91.27, 99.39] | 95.83 [89.86, 98.45] | " +
        "97.11 [93.87, 98.34] |",
    ),
    md,
  );
  assert.ok(md.includes("| mobilefacenet_tiny/cosface | failed | failed | failed | failed |"));
  assert.ok(md.includes("| raw_pixels | 56.50 [33.21, 72.19] | 44.00 [25.40, 70.46] | 50.00 [32.60, 59.57] |"));
  assert.ok(md.includes("lfw (.bin data/lfw.bin)") && md.includes("lfw carries no identities"), md);
  const table = evalSetTable(report)!;
  assert.deepStrictEqual(table.rows.map((r) => r[0]), [
    ...new Set(report.cells.map((c) => `${c.backbone}/${c.head}`)),
    "raw_pixels",
    "untrained:ir_se_50_tiny",
    "untrained:mobilefacenet_tiny",
  ]);
  // a report from before evaluation sets were named: the primary column is the dataset's id
  assert.strictEqual(evalSetTable({ ...report, primaryEval: null })!.header[1], "synthface-ci");
  // without statistics on a set, its column has no estimates
  const bare = structuredClone(report);
  bare.statistics!.evalSets = [];
  bare.statistics!.meanAccuracy = [];
  assert.deepStrictEqual(evalSetTable(bare)!.rows[0].slice(2), ["–", "–", "–"]);
  const plain = syntheticReport();
  assert.strictEqual(evalSetTable(plain), null);
  assert.ok(!renderMarkdown(plain).includes("per evaluation set"));
});

Deno.test("per-set curves: one panel per cell, one line per evaluation set, first seed only", () => {
  const withSeed = structuredClone(report);
  withSeed.run.seeds = [1337, 42];
  withSeed.cells.push({ ...structuredClone(report.cells[0]), seed: 42 });
  const chart = chartSpecs(withSeed).find((c) => c.id === "eval-set-curves")!;
  assert.strictEqual(
    chart.title,
    "Verification accuracy % per evaluation set during training (seed 1337), one panel per cell, one line per " +
      "evaluation set (no curve: mobilefacenet_tiny/cosface (failed))",
  );
  const values = (chart.spec as { data: { values: { cell: string; line: string; value: number }[] } }).data.values;
  const lines = Map.groupBy(values, (v) => v.cell);
  assert.strictEqual(lines.size, 5);
  for (const [cell, points] of lines) {
    assert.deepStrictEqual([...new Set(points.map((p) => p.line))], ["synthface-ci", "orl", "lfw"], cell);
    assert.strictEqual(points.length, 6, `${cell}: two points per set, of the first seed only`);
  }
  assert.deepStrictEqual(
    lines.get("ir_se_50_tiny/arcface")!.filter((p) => p.line === "lfw").map((p) => p.value),
    report.cells[0].evalSets[1].evalCurve.map((p) => 100 * p.accuracy),
  );
  assert.ok(!chartSpecs(syntheticReport()).some((c) => c.id === "eval-set-curves"));
});

Deno.test("renderHtml: Table 3, the per-set curves and the t-SNE map (Fig. 3) with a caption naming its settings", async () => {
  const html = await renderHtml(report);
  const ids = [...html.matchAll(/<figure class="chart" id="chart-([a-z-]+)">[^]*?<svg[^]*?<\/svg>/g)].map((m) => m[1]);
  assert.deepStrictEqual(ids, [
    "accuracy-heatmap",
    "throughput",
    "loss-curves",
    "accuracy-curves",
    "eval-set-curves",
    "reference-roc",
    "tsne",
  ]);
  assert.ok(html.includes("<h2>Verification accuracy per evaluation set, % [95% CI]</h2>"));
  const figure = /<figure class="chart" id="chart-tsne">[^]*?<\/figure>/.exec(html)![0];
  assert.ok(
    figure.includes(
      "<figcaption>t-SNE map of ir_se_50_tiny/arcface&#39;s embeddings (seed 1337) of synthface-ci test images, " +
        "one colour per identity: perplexity 5, 250 iterations</figcaption>",
    ),
    figure.slice(0, 400),
  );
  assert.strictEqual(figure.match(/aria-label="x: [^"]*identity: id \d+"/g)?.length, 12, "one point per image");
  const without = await renderHtml({ ...report, tsne: null });
  assert.ok(!without.includes('id="chart-tsne"'));
});
