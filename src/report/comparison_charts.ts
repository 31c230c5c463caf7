/**
 * The charts of `comparison.html`, as Vega-Lite specs with inline data: training and inference speed of every cell on
 * every backend (log scale: a software GPU adapter runs about 50× slower than WASM), and each backend's accuracy
 * difference from the reference backend with its 95% interval (the training-equivalence test).
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import type { Comparison } from "./backend_comparison.ts";
import type { ChartSpec } from "./charts.ts";

function speedBars(c: Comparison): TopLevelSpec {
  const values = c.speed.flatMap((s) =>
    [["training", s.trainImagesPerSecond], ["inference", s.inferenceImagesPerSecond]]
      .filter(([, v]) => v !== null)
      .map(([mode, v]) => ({ cell: `${s.cell} s${s.seed}`, backend: s.backend, mode, imagesPerSecond: v }))
  );
  // points, not bars: a bar on a log scale has no baseline to start from
  return {
    data: { values },
    mark: { type: "point", filled: true, size: 70 },
    width: { step: 64 },
    height: 180,
    encoding: {
      column: { field: "mode", type: "nominal", title: null },
      x: { field: "cell", type: "nominal", title: "cell", sort: null, axis: { labelAngle: -20, labelLimit: 400 } },
      xOffset: { field: "backend", type: "nominal", sort: null },
      y: { field: "imagesPerSecond", type: "quantitative", title: "images / s (log)", scale: { type: "log" } },
      color: { field: "backend", type: "nominal", title: "backend", sort: null },
      shape: { field: "backend", type: "nominal", sort: null },
    },
  };
}

function differencePlot(c: Comparison): TopLevelSpec {
  const values = c.equivalence.flatMap((e) =>
    e.difference
      ? [{
        row: `${e.cell} · ${e.backend}`,
        value: 100 * e.difference.value,
        low: 100 * e.difference.low,
        high: 100 * e.difference.high,
        verdict: e.differs ? "differs" : "not significant",
      }]
      : []
  );
  const y = { field: "row", type: "nominal", title: null, sort: null, axis: { labelLimit: 400 } } as const;
  return {
    data: { values },
    width: 420,
    layer: [
      {
        mark: { type: "rule", color: "#999", strokeDash: [4, 3] },
        encoding: { x: { datum: 0, type: "quantitative" } },
      },
      {
        mark: "rule",
        encoding: {
          y,
          x: {
            field: "low",
            type: "quantitative",
            title: `accuracy − ${c.reference}'s (points, 95% interval)`,
            axis: { format: "+.1f" },
          },
          x2: { field: "high" },
        },
      },
      {
        mark: { type: "point", filled: true, size: 60 },
        encoding: {
          y,
          x: { field: "value", type: "quantitative" },
          color: {
            field: "verdict",
            type: "nominal",
            title: "Holm-adjusted test",
            scale: { domain: ["not significant", "differs"], range: ["#4c78a8", "#e45756"] },
          },
        },
      },
    ],
  };
}

/** The charts that have data in `c`, in display order. */
export function comparisonCharts(c: Comparison): ChartSpec[] {
  const charts: ChartSpec[] = [];
  if (c.speed.some((s) => s.trainImagesPerSecond !== null || s.inferenceImagesPerSecond !== null)) {
    charts.push({ id: "backend-speed", title: "Speed by backend (images / s, log scale)", spec: speedBars(c) });
  }
  if (c.equivalence.some((e) => e.difference !== null)) {
    charts.push({
      id: "backend-accuracy",
      title: `Accuracy difference from ${c.reference}, per cell and backend (95% interval of the paired test)`,
      spec: differencePlot(c),
    });
  }
  return charts;
}
