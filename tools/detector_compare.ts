/**
 * Compares the two landmark detectors on ORL (`<FACEBENCH_SHARED_DATA>/orl`, 400 grey 92×112 faces): how many faces
 * each finds; how far apart their landmarks are on the images where both find one, in inter-ocular units (the
 * distance between MTCNN's eyes), for the eyes, the nose tip and the mouth centre (BlazeFace's own keypoint against
 * the midpoint of MTCNN's mouth corners); and the verification accuracy of the bench's raw-pixel reference row (28×28
 * grey, flip-fused; the bench's `rawPixelEmbeddings` and `testMetrics` on ORL's 600 test pairs, 10 folds) on ORL
 * aligned each way, and unaligned (padded) for scale. Landmarks are cached as the bench caches them
 * (`<FACEBENCH_CACHE>/landmarks/orl-<detector>.json`). BlazeFace stands in for RetinaFace, for which no npm package
 * ships a model.
 *
 *     FACEBENCH_BLAZEFACE=/tmp/blazeface-front.onnx deno run -A tools/detector_compare.ts
 *
 * Prints a Markdown summary on stdout; `--json FILE` also writes the numbers.
 * @module
 */
import { parseArgs } from "node:util";
import { createLandmarkDetector } from "../src/bench/landmark_detectors.ts";
import { presetSchema } from "../src/bench/presets.ts";
import { rawPixelEmbeddings } from "../src/bench/references.ts";
import { testMetrics } from "../src/bench/evaluate_model.ts";
import type { Landmarks, Point } from "../src/data/align.ts";
import { loadOrl, orlDir, readOrlImages } from "../src/data/importers/orl.ts";
import { detectLandmarks, landmarkCachePath, type LandmarkDetector } from "../src/data/landmarks.ts";
import { writeFileAtomic } from "../src/io/atomic_write.ts";
import { consoleProgress } from "../src/io/progress.ts";
import { mean } from "../src/eval/stats.ts";
import { runTool, type ToolLog } from "./_tool_main.ts";

const HELP = `Usage: deno run -A tools/detector_compare.ts [--model blazeface.onnx] [--json FILE]
  --model FILE  BlazeFace's ONNX model (default: env FACEBENCH_BLAZEFACE)
  --json FILE   also write the numbers as JSON`;

/** The points compared, with how each is read from five template landmarks. */
const POINTS: { name: string; of: (l: Landmarks) => Point }[] = [
  { name: "eye (image left)", of: (l) => l[0] },
  { name: "eye (image right)", of: (l) => l[1] },
  { name: "nose tip", of: (l) => l[2] },
  { name: "mouth centre", of: (l) => [(l[3][0] + l[4][0]) / 2, (l[3][1] + l[4][1]) / 2] },
];

/** Mean and median of one distance over the images where both detectors found a face. */
export interface DistanceStats {
  /** which point ("all four" is the per-image mean of the four) */
  point: string;
  /** mean distance, inter-ocular units */
  mean: number;
  /** median distance, inter-ocular units */
  median: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b), n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/**
 * Distances between two detectors' landmarks per point, in units of the reference's (first list's) inter-ocular
 * distance, over the images where both found a face; the mouth centre of five landmarks is the corners' midpoint.
 */
export function landmarkDistances(
  reference: readonly (Landmarks | null)[],
  other: readonly (Landmarks | null)[],
): { both: number; points: DistanceStats[] } {
  const perPoint: number[][] = POINTS.map(() => []), perImage: number[] = [];
  reference.forEach((a, i) => {
    const b = other[i];
    if (!a || !b) return;
    const ocular = Math.hypot(a[1][0] - a[0][0], a[1][1] - a[0][1]);
    const d = POINTS.map(({ of }) => Math.hypot(of(a)[0] - of(b)[0], of(a)[1] - of(b)[1]) / ocular);
    d.forEach((v, k) => perPoint[k].push(v));
    perImage.push(mean(d));
  });
  const stats = (point: string, values: number[]) => ({ point, mean: mean(values), median: median(values) });
  return {
    both: perImage.length,
    points: [...POINTS.map(({ name }, k) => stats(name, perPoint[k])), stats("all four", perImage)],
  };
}

/** One alignment's raw-pixel verification result. */
interface AccuracyRow {
  alignment: string;
  accuracyMean: number;
  accuracyStd: number;
  auc: number;
  rank1: number | null;
}

/** The raw-pixel reference row on ORL aligned by `detector` (padded without one). */
async function rawPixelAccuracy(alignment: string, detector?: LandmarkDetector): Promise<AccuracyRow> {
  const evalOptions = presetSchema.shape.eval.parse(undefined);
  const orl = await loadOrl(orlDir(), { detector });
  const { metrics } = testMetrics(orl, rawPixelEmbeddings(orl, evalOptions.flip), { eval: evalOptions });
  return { alignment, ...metrics };
}

/** The Markdown summary. */
function markdown(
  found: Record<string, number>,
  distances: ReturnType<typeof landmarkDistances>,
  accuracy: readonly AccuracyRow[],
): string {
  const pct = (v: number) => (100 * v).toFixed(2);
  return [
    `faces found (of 400): ${Object.entries(found).map(([k, v]) => `${k} ${v}`).join(", ")}; both ${distances.both}`,
    "",
    "| point | mean distance (IOD) | median (IOD) |",
    "|---|---:|---:|",
    ...distances.points.map((p) => `| ${p.point} | ${p.mean.toFixed(3)} | ${p.median.toFixed(3)} |`),
    "",
    "| ORL aligned by | raw pixels 28×28: accuracy % (± std over 10 folds) | AUC | rank-1 % |",
    "|---|---:|---:|---:|",
    ...accuracy.map((r) =>
      `| ${r.alignment} | ${pct(r.accuracyMean)} ± ${pct(r.accuracyStd)} | ${r.auc.toFixed(4)} | ` +
      `${r.rank1 === null ? "–" : pct(r.rank1)} |`
    ),
  ].join("\n");
}

async function run(options: { model?: string; json?: string }, log: ToolLog): Promise<void> {
  const images = await readOrlImages();
  const detectors = ["mtcnn", "blazeface"].map((name) =>
    createLandmarkDetector(name, { blazefaceModel: options.model })
  );
  try {
    const landmarks: (Landmarks | null)[][] = [];
    for (const detector of detectors) {
      log(`landmarks from ${detector.id}`);
      const result = await detectLandmarks(images, detector, {
        cachePath: landmarkCachePath("orl", detector.id),
        onProgress: consoleProgress(`${detector.id}: detecting`),
      });
      landmarks.push(result.landmarks);
    }
    const found = Object.fromEntries(detectors.map((d, k) => [d.id, landmarks[k].filter((l) => l).length]));
    const distances = landmarkDistances(landmarks[0], landmarks[1]);
    log("raw-pixel verification on ORL unaligned and aligned each way");
    const accuracy = [await rawPixelAccuracy("none (padded to 112×112)")];
    for (const detector of detectors) accuracy.push(await rawPixelAccuracy(detector.id, detector));
    console.log(markdown(found, distances, accuracy));
    if (options.json) {
      await writeFileAtomic(options.json, JSON.stringify({ found, distances, accuracy }, null, 2) + "\n");
    }
  } finally {
    for (const detector of detectors) await detector.close();
  }
}

function parse(args: string[]): { model?: string; json?: string } | null {
  const { values } = parseArgs({
    args,
    options: { model: { type: "string" }, json: { type: "string" }, help: { type: "boolean" } },
    strict: true,
  });
  return values.help ? null : { model: values.model, json: values.json };
}

if (import.meta.main) Deno.exit(await runTool("detector_compare", Deno.args, HELP, parse, run));
