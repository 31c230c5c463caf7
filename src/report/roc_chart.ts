/**
 * ROC curves of a report's reference rows (raw pixels, untrained backbones, external ONNX models) on the primary
 * evaluation set, as a Vega-Lite line chart: TAR against FAR on a log scale (the usual face-verification view, where
 * the low-FAR end matters), one line per row, with the chance line TAR = FAR dashed. Each curve is the exact ROC of
 * the row's pair distances (`eval/roc.ts`) read at log-spaced FARs from one false accept (1 / different pairs) to 1,
 * as the report's TAR@FAR is read: the best TAR whose FAR does not exceed the target. Render it with `renderSvg`.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { rocCurve, tarAtFar } from "../eval/roc.ts";
import { distinct } from "./format.ts";
import { decodeDistances } from "./distances.ts";
import type { Report } from "./schema.ts";
import { referenceKey } from "./statistics.ts";

/** FAR samples per decade of the log axis. */
const SAMPLES_PER_DECADE = 20;

/** One sample of one row's ROC. */
export interface RocPoint {
  /** the row's key, e.g. "onnx:mobilefacenet" */
  row: string;
  /** false accept rate target */
  far: number;
  /** best true accept rate at FAR ≤ `far` */
  tar: number;
}

/** The ROC samples of the reference rows and the FARs they are read at. */
export interface ReferenceRoc {
  /** samples, row by row in the report's order */
  points: RocPoint[];
  /** the FARs read, ascending, from one false accept (1 / different pairs) to 1 */
  fars: number[];
  /** the seed whose rows are drawn where a row has several (untrained backbones) */
  seed: number;
}

/** Log-spaced FARs from `minFar` to 1, both included. */
function farGrid(minFar: number): number[] {
  const samples = Math.max(1, Math.ceil(-Math.log10(minFar) * SAMPLES_PER_DECADE));
  return Array.from({ length: samples + 1 }, (_, k) => minFar ** (1 - k / samples));
}

/**
 * The ROC samples of every reference row that kept its distances (for rows with seeds, the run's first seed), or
 * null when there is none or the primary set lacks same or different pairs.
 */
export function referenceRoc(report: Report): ReferenceRoc | null {
  const evaluation = report.evaluation;
  if (!evaluation) return null;
  const same = evaluation.same.map((s) => s === 1);
  const negatives = same.filter((s) => !s).length;
  if (negatives === 0 || negatives === same.length) return null;
  const seed = report.run.seeds[0];
  const rows = report.references.filter((r) => r.distances !== null && (r.seed === null || r.seed === seed));
  if (rows.length === 0) return null;
  const fars = farGrid(1 / negatives);
  const points = rows.flatMap((r) => {
    const row = referenceKey(r);
    const curve = rocCurve(decodeDistances(r.distances!, same.length, row), same);
    return tarAtFar(curve, fars).map((t) => ({ row, far: t.far, tar: t.tar }));
  });
  return { points, fars, seed };
}

/** The line chart of {@link referenceRoc}'s samples. */
export function rocChartSpec(roc: ReferenceRoc): TopLevelSpec {
  const x = {
    field: "far",
    type: "quantitative" as const,
    title: "false accept rate (log)",
    scale: { type: "log" as const, domain: [roc.fars[0], 1] },
  };
  const y = { field: "tar", type: "quantitative" as const, title: "true accept rate", scale: { domain: [0, 1] } };
  return {
    width: 480,
    height: 300,
    layer: [
      {
        data: { values: roc.fars.map((far) => ({ far, tar: far })) },
        mark: { type: "line", color: "#999999", strokeDash: [4, 4] },
        encoding: { x, y },
      },
      {
        data: { values: roc.points },
        mark: { type: "line", interpolate: "step-after", strokeWidth: 1.5 },
        encoding: {
          x,
          y,
          color: {
            field: "row",
            type: "nominal",
            title: "reference",
            sort: distinct(roc.points, (p) => p.row),
            // row keys such as "untrained:ir_se_50_tiny" in full (vega cuts labels at 160 px by default)
            legend: { labelLimit: 400 },
          },
        },
      },
    ],
  };
}
