/**
 * The report's charts as Vega-Lite specs, rendered to static SVG with `vega` (headless `renderer: "none"`), so
 * `report.html` needs no scripts: the accuracy heat-map (backbone × head), throughput by backend, and the training
 * curves (loss and evaluation accuracy over steps, one panel per cell in the tables' order, one line per seed).
 * @module
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { distinct } from "./format.ts";
import type { Report } from "./schema.ts";
import { cellKey, headStageKey } from "./statistics.ts";
import { cellMarks } from "./tables.ts";

/** One chart: an id (for the HTML anchor), a title and its Vega-Lite spec. */
export interface ChartSpec {
  /** stable id, e.g. "accuracy-heatmap" */
  id: string;
  /** caption */
  title: string;
  /** Vega-Lite specification with inline data */
  spec: TopLevelSpec;
}

/** The heat-map's fixed colour domain (accuracy %): chance to perfect, the same in every report. */
export const HEATMAP_DOMAIN: readonly [number, number] = [50, 100];

function accuracyHeatmap(report: Report): TopLevelSpec {
  const [low, high] = HEATMAP_DOMAIN;
  const values = distinct(report.cells, cellKey).map((key) => {
    const seeds = report.cells.filter((c) => cellKey(c) === key);
    const { backbone } = seeds[0], head = headStageKey(seeds[0]);
    const stats = report.statistics?.cells.find((s) => s.key === key);
    const failed = seeds.some((c) => !c.metrics);
    const accuracy = failed ? null : 100 * (stats?.accuracy.value ?? seeds[0].metrics!.accuracyMean);
    const marks = stats ? cellMarks(stats) : "";
    return {
      backbone,
      head,
      accuracy,
      best: stats?.indistinguishableFromBest ?? false,
      label: accuracy === null ? "failed" : `${accuracy.toFixed(1)}${marks ? ` ${marks}` : ""}`,
    };
  });
  const axes = {
    x: { field: "head", type: "nominal", title: "head", sort: null, axis: { labelAngle: 0 } },
    y: { field: "backbone", type: "nominal", title: "backbone", sort: null },
  } as const;
  return {
    data: { values },
    width: { step: 84 },
    height: { step: 28 },
    layer: [
      { mark: { type: "rect", color: "#dddddd" }, encoding: axes },
      {
        transform: [{ filter: "datum.accuracy !== null" }],
        mark: "rect",
        encoding: {
          ...axes,
          color: {
            field: "accuracy",
            type: "quantitative",
            title: "accuracy %",
            scale: { scheme: "viridis", domain: [low, high], clamp: true },
          },
        },
      },
      {
        // the cells not significantly below the best one, outlined
        transform: [{ filter: "datum.best" }],
        mark: { type: "rect", fillOpacity: 0, stroke: "#d62728", strokeWidth: 2.5 },
        encoding: axes,
      },
      {
        mark: { type: "text", fontSize: 11 },
        encoding: {
          ...axes,
          text: { field: "label" },
          // viridis is dark at the low end: white text there, black on the bright half and on the grey "failed"
          color: {
            condition: { test: `datum.accuracy !== null && datum.accuracy < ${(low + high) / 2}`, value: "white" },
            value: "black",
          },
        },
      },
    ],
  };
}

function throughputBars(report: Report): TopLevelSpec {
  const values = report.throughput.flatMap((t) =>
    [["training", t.trainImagesPerSecond], ["inference", t.inferenceImagesPerSecond]]
      .filter(([, v]) => v !== null)
      .map(([mode, v]) => ({ backend: `${t.backend}/${t.threads}t`, backbone: t.backbone, mode, imagesPerSecond: v }))
  );
  return {
    data: { values },
    mark: "bar",
    width: { step: 64 },
    height: 180,
    encoding: {
      column: { field: "mode", type: "nominal", title: null },
      x: { field: "backbone", type: "nominal", title: "backbone", sort: null, axis: { labelAngle: 0 } },
      xOffset: { field: "backend", type: "nominal" },
      y: { field: "imagesPerSecond", type: "quantitative", title: "images / s" },
      color: { field: "backend", type: "nominal", title: "backend" },
    },
  };
}

/** The most panels in one row of a curve grid (four 200-px panels with their axes fit the page). */
const MAX_CURVE_COLUMNS = 4;

/** The points of one cell's curve: training loss, or verification accuracy in %. */
function curvePoints(cell: Report["cells"][number], kind: "loss" | "accuracy"): { step: number; value: number }[] {
  return kind === "loss"
    ? cell.lossCurve.map((p) => ({ step: p.step, value: p.loss }))
    : cell.evalCurve.map((p) => ({ step: p.step, value: 100 * p.accuracy }));
}

/**
 * Small multiples of one curve: one panel per cell that has points, in the report's cell order (the tables' order),
 * wrapped into rows of at most {@link MAX_CURVE_COLUMNS} as even as possible, one line per seed; the caption names
 * the cells without a curve. Loss panels get their own y scale (margin heads start far higher than softmax); accuracy
 * panels share one. Null when no cell has a curve.
 */
function curveChart(report: Report, kind: "loss" | "accuracy"): ChartSpec | null {
  const values = report.cells.flatMap((c) =>
    curvePoints(c, kind).map((p) => ({ cell: cellKey(c), seed: String(c.seed), ...p }))
  );
  const cells = distinct(report.cells, cellKey);
  const drawn = cells.filter((key) => values.some((v) => v.cell === key));
  if (drawn.length === 0) return null;
  const missing = cells.filter((key) => !drawn.includes(key)).map((key) =>
    report.cells.some((c) => cellKey(c) === key && !c.metrics) ? `${key} (failed)` : key
  );
  const rows = Math.ceil(drawn.length / MAX_CURVE_COLUMNS);
  const seeds = distinct(values, (v) => v.seed).length;
  return {
    id: `${kind}-curves`,
    title: (kind === "loss" ? "Training loss" : "Verification accuracy % during training") +
      `, one panel per cell${seeds > 1 ? ", one line per seed" : ""}` +
      (missing.length > 0 ? ` (no curve: ${missing.join(", ")})` : ""),
    spec: {
      data: { values },
      facet: {
        field: "cell",
        type: "nominal",
        title: null,
        sort: drawn,
        // "backbone/head" on two lines, so long keys do not run into the next panel's title
        header: { labelExpr: "split(datum.value, '/')", labelFontSize: 11 },
      },
      columns: Math.ceil(drawn.length / rows),
      // every panel draws its own x axis: a shared one sits under each column's last slot, empty in a short last row
      resolve: { axis: { x: "independent" }, scale: { y: kind === "loss" ? "independent" : "shared" } },
      spec: {
        width: 200,
        height: 130,
        mark: { type: "line", strokeWidth: 1.5 },
        encoding: {
          x: { field: "step", type: "quantitative", title: "step" },
          y: {
            field: "value",
            type: "quantitative",
            title: kind === "loss" ? "training loss" : "accuracy %",
            scale: { zero: false },
          },
          color: { field: "seed", type: "nominal", title: "seed", legend: seeds > 1 ? {} : null },
        },
      },
    },
  };
}

/** The charts that have data in `report`, in display order. */
export function chartSpecs(report: Report): ChartSpec[] {
  const charts: ChartSpec[] = [];
  if (report.cells.length > 0) {
    charts.push({
      id: "accuracy-heatmap",
      title: `Verification accuracy %, backbone × head (colour scale fixed at ${HEATMAP_DOMAIN[0]}–${
        HEATMAP_DOMAIN[1]
      }%; outlined: not significantly below the best cell)`,
      spec: accuracyHeatmap(report),
    });
  }
  if (report.throughput.some((t) => t.trainImagesPerSecond !== null || t.inferenceImagesPerSecond !== null)) {
    charts.push({ id: "throughput", title: "Throughput by backend (images / s)", spec: throughputBars(report) });
  }
  for (const kind of ["loss", "accuracy"] as const) {
    const chart = curveChart(report, kind);
    if (chart) charts.push(chart);
  }
  return charts;
}

/** Renders a Vega-Lite spec to a standalone SVG string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
