import assert from "node:assert";
import { type ChartSpec, chartSpecs, renderSvg } from "../../src/report/charts.ts";
import type { Report } from "../../src/report/schema.ts";
import { CROSS_CELL_KEYS, crossReport } from "./_cross_fixture.ts";
import { syntheticCell, syntheticReport } from "./_fixture.ts";

/** The chart with `id` in `report`. */
function chart(report: Report, id: string): ChartSpec {
  const found = chartSpecs(report).find((c) => c.id === id);
  assert.ok(found, `no chart ${id}`);
  return found;
}

/** A rendered grid's panel titles in drawing order, lines joined by "/" (a title is "backbone/head" on two lines). */
function panelTitles(svg: string): string[] {
  return [...svg.matchAll(/aria-label="Title text '([^']*)'"/g)].map((m) => m[1].replaceAll(" ", "/"));
}

/** The number of panel frames (a 200 × 130 background) drawn in a rendered grid, empty panels included. */
function panelCount(svg: string): number {
  return svg.split('d="M0,0h200v130h-200Z"').length - 1;
}

/** The number of x axes drawn in a rendered grid. */
function xAxisCount(svg: string): number {
  return svg.split(`aria-label="X-axis titled 'step'`).length - 1;
}

for (const id of ["loss-curves", "accuracy-curves"]) {
  Deno.test(`${id} of a cross design: one panel per cell with a curve, in table order, no empty panels or axes`, async () => {
    const svg = await renderSvg(chart(crossReport(), id).spec);
    // the failed cell has no curve; no panel for backbone × head pairs the design does not run
    const drawn = CROSS_CELL_KEYS.filter((key) => key !== "mobilefacenet_tiny/cosface");
    assert.deepStrictEqual(panelTitles(svg), drawn);
    assert.strictEqual(panelCount(svg), 5);
    assert.ok(!svg.includes("ir_se_50_tiny softmax") && !svg.includes("cosface"));
    // 3 + 2 panels: each panel has its x axis, none is drawn under the empty slot of the last row
    assert.strictEqual((chart(crossReport(), id).spec as { columns?: number }).columns, 3);
    assert.strictEqual(xAxisCount(svg), 5);
  });
}

Deno.test("curve captions name the cells without a curve, failed ones marked", () => {
  assert.strictEqual(
    chart(crossReport(), "loss-curves").title,
    "Training loss, one panel per cell (no curve: mobilefacenet_tiny/cosface (failed))",
  );
  // the synthetic report's failed cell logged its loss before failing, so it has a loss panel but no accuracy panel
  const report = syntheticReport();
  assert.strictEqual(chart(report, "loss-curves").title, "Training loss, one panel per cell");
  assert.strictEqual(
    chart(report, "accuracy-curves").title,
    "Verification accuracy % during training, one panel per cell (no curve: mobilefacenet_tiny/cosface (failed))",
  );
});

Deno.test("curve grids: at most 4 columns, rows filled evenly; one line per seed, named in the caption", () => {
  const columns = (cells: number) => {
    const report = syntheticReport();
    report.cells = Array.from({ length: cells }, (_, i) => syntheticCell(i, `b${i}`, "arcface", 0.9));
    return (chart(report, "loss-curves").spec as { columns?: number }).columns;
  };
  assert.deepStrictEqual([1, 2, 4, 5, 6, 8, 9, 11].map(columns), [1, 2, 4, 3, 3, 4, 3, 4]);
  const report = crossReport();
  report.cells.push({ ...report.cells[0], seed: 42 });
  assert.ok(chart(report, "loss-curves").title.startsWith("Training loss, one panel per cell, one line per seed"));
});
