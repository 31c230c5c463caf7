/**
 * The report's charts as Vega-Lite specs, rendered to static SVG with `vega` (headless `renderer: "none"`), so
 * `report.html` needs no scripts: the accuracy heat-map (backbone × head), throughput by backend, the training
 * curves (loss and evaluation accuracy over steps, one panel per cell in the tables' order, one line per seed), with
 * further evaluation sets the accuracy curves of the first seed on every set (one line per set), the ROC curves of
 * the reference rows (`roc_chart.ts`), and the t-SNE map of one cell's embeddings when the report has one.
 * @module
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { embeddingChartSpec, tsneChart } from "./embedding_chart.ts";
import { distinct } from "./format.ts";
import { referenceRoc, rocChartSpec } from "./roc_chart.ts";
import type { Report, Tsne } from "./schema.ts";
import { cellKey, headStageKey } from "./statistics.ts";
import { cellMarks, primaryEvalName } from "./tables.ts";

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

/** One point of a curve grid: its panel (a cell key), its line (a seed or an evaluation set), step and value. */
interface CurvePoint {
  cell: string;
  line: string;
  step: number;
  value: number;
}

/** What a curve grid draws: its id, the caption's start, the y axis, what a line stands for, and the points. */
interface CurveGrid {
  id: string;
  title: string;
  y: string;
  /** what one line is, e.g. "seed" (the legend's title; the caption says "one line per …") */
  line: string;
  /** each panel gets its own y scale */
  independentY: boolean;
  points: CurvePoint[];
}

/**
 * Small multiples of curves: one panel per cell that has points, in the report's cell order (the tables' order),
 * wrapped into rows of at most {@link MAX_CURVE_COLUMNS} as even as possible, one coloured line per `line` value
 * (legend in order of first appearance, shown with several lines); the caption names the cells without a curve.
 * Null when no cell has a curve.
 */
function curveGrid(report: Report, grid: CurveGrid): ChartSpec | null {
  const values = grid.points;
  const cells = distinct(report.cells, cellKey);
  const drawn = cells.filter((key) => values.some((v) => v.cell === key));
  if (drawn.length === 0) return null;
  const missing = cells.filter((key) => !drawn.includes(key)).map((key) =>
    report.cells.some((c) => cellKey(c) === key && !c.metrics) ? `${key} (failed)` : key
  );
  const rows = Math.ceil(drawn.length / MAX_CURVE_COLUMNS);
  const lines = distinct(values, (v) => v.line);
  return {
    id: grid.id,
    title: `${grid.title}, one panel per cell${lines.length > 1 ? `, one line per ${grid.line}` : ""}` +
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
      resolve: { axis: { x: "independent" }, scale: { y: grid.independentY ? "independent" : "shared" } },
      spec: {
        width: 200,
        height: 130,
        mark: { type: "line", strokeWidth: 1.5 },
        encoding: {
          x: { field: "step", type: "quantitative", title: "step" },
          y: { field: "value", type: "quantitative", title: grid.y, scale: { zero: false } },
          color: {
            field: "line",
            type: "nominal",
            title: grid.line,
            sort: lines,
            legend: lines.length > 1 ? {} : null,
          },
        },
      },
    },
  };
}

/**
 * The training-loss or accuracy curves, one line per seed. Loss panels get their own y scale (margin heads start far
 * higher than softmax); accuracy panels share one.
 */
function curveChart(report: Report, kind: "loss" | "accuracy"): ChartSpec | null {
  return curveGrid(report, {
    id: `${kind}-curves`,
    title: kind === "loss" ? "Training loss" : "Verification accuracy % during training",
    y: kind === "loss" ? "training loss" : "accuracy %",
    line: "seed",
    independentY: kind === "loss",
    points: report.cells.flatMap((c) =>
      curvePoints(c, kind).map((p) => ({ cell: cellKey(c), line: String(c.seed), ...p }))
    ),
  });
}

/**
 * Accuracy during training on every evaluation set (the seed paper's Fig. 4), first seed only: one panel per cell,
 * one line per set (the primary set's `evalCurve`, then each `evalSets[i].evalCurve`). Null without further sets.
 */
function evalSetCurves(report: Report): ChartSpec | null {
  if (report.evalSets.length === 0) return null;
  const seed = report.run.seeds[0];
  const names = [primaryEvalName(report), ...report.evalSets.map((e) => e.name)];
  return curveGrid(report, {
    id: "eval-set-curves",
    title: `Verification accuracy % per evaluation set during training (seed ${seed})`,
    y: "accuracy %",
    line: "evaluation set",
    independentY: false,
    points: report.cells.filter((c) => c.seed === seed).flatMap((c) =>
      [c.evalCurve, ...c.evalSets.map((e) => e.evalCurve)].flatMap((curve, i) =>
        curve.map((p) => ({ cell: cellKey(c), line: names[i], step: p.step, value: 100 * p.accuracy }))
      )
    ),
  });
}

/** The caption of a report's t-SNE figure (the seed paper's Fig. 3). */
function tsneCaption(tsne: Tsne): string {
  return `t-SNE map of ${tsne.cell}'s embeddings (seed ${tsne.seed}) of ${tsne.evalSet} test images, one colour ` +
    `per identity: perplexity ${tsne.perplexity}, ${tsne.iterations} iterations`;
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
  const curves = [curveChart(report, "loss"), curveChart(report, "accuracy"), evalSetCurves(report)];
  charts.push(...curves.filter((chart) => chart !== null));
  const roc = referenceRoc(report);
  if (roc) {
    const seeded = report.references.some((r) => r.seed !== null);
    charts.push({
      id: "reference-roc",
      title: `ROC of the reference rows on ${primaryEvalName(report)}: best TAR at FAR ≤ x, from one false accept ` +
        `(1/${Math.round(1 / roc.fars[0])}) to 1${seeded ? `; seeded rows: seed ${roc.seed}` : ""}; dashed: chance`,
      spec: rocChartSpec(roc),
    });
  }
  if (report.tsne) {
    charts.push({ id: "tsne", title: tsneCaption(report.tsne), spec: embeddingChartSpec(tsneChart(report.tsne)) });
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
