/**
 * The synthetic report in a cross design: one backbone with ArcFace only, the other with several heads in registry
 * order (softmax first, so the table order is not alphabetical) and then a fine-tuned stage; one cell failed before its
 * first curve point, which leaves five curves (a grid of 3 + 2 panels). Tables and charts must show the cells that
 * exist, in this order, and nothing for the others.
 * @module
 */
import type { Cell, Report } from "../../src/report/schema.ts";
import { computeStatistics } from "../../src/report/statistics.ts";
import { syntheticCell, syntheticReport } from "./_fixture.ts";

/** The cross design's cell keys in the report's order (backbone-major, heads in registry order, then stages). */
export const CROSS_CELL_KEYS = [
  "ir_se_50_tiny/arcface",
  "mobilefacenet_tiny/softmax",
  "mobilefacenet_tiny/arcface",
  "mobilefacenet_tiny/cosface",
  "mobilefacenet_tiny/sphereface",
  "mobilefacenet_tiny/arcface@finetuned",
];

/** The cross-design report; mobilefacenet_tiny/cosface failed and has no curve at all. */
export function crossReport(): Report {
  const report = syntheticReport();
  const cells: Cell[] = [
    syntheticCell(0, "ir_se_50_tiny", "arcface", 0.95),
    syntheticCell(1, "mobilefacenet_tiny", "softmax", 0.8),
    syntheticCell(2, "mobilefacenet_tiny", "arcface", 0.9),
    { ...syntheticCell(3, "mobilefacenet_tiny", "cosface", null), lossCurve: [] },
    syntheticCell(4, "mobilefacenet_tiny", "sphereface", 0.85),
    { ...syntheticCell(5, "mobilefacenet_tiny", "arcface", 0.93), stage: "finetuned" },
  ];
  const { references, evaluation, evalSets } = report;
  return {
    ...report,
    cells,
    statistics: computeStatistics({ cells, references, evaluation, evalSets, seeds: report.run.seeds }),
  };
}
