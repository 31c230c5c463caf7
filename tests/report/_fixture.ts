/**
 * A synthetic, schema-valid report for the report tests: 2 backbones × 3 heads (one cell failed), one seed, the
 * reference rows, 200 evaluation pairs over 40 identities with made-up distances (every metric computed from
 * them), statistics, throughput on two backends, loss and eval curves; optionally further evaluation sets, on which
 * every row is evaluated too (5 points of quality lower on each further set).
 * @module
 */
import { Rng } from "../../src/core/rng.ts";
import { evaluateDistances } from "../../src/eval/evaluate.ts";
import { decodeDistances, encodeDistances } from "../../src/report/distances.ts";
import type { Cell, CellMetrics, Evaluation, FurtherEvalSet, Reference, Report } from "../../src/report/schema.ts";
import { computeStatistics } from "../../src/report/statistics.ts";

const hash = (i: number) => i.toString(16).padStart(2, "0").repeat(32);

/**
 * 10 identity-disjoint folds of 20 pairs over identities 4f … 4f + 3: ten same pairs (identity 4f + k mod 4),
 * then ten different pairs (4f + k mod 4 with the next one).
 */
export const syntheticEvaluation: Evaluation = (() => {
  const pairs = Array.from({ length: 200 }, (_, i) => {
    const f = Math.floor(i / 20), k = i % 20, a = 4 * f + (k % 4);
    return k < 10 ? [a, a, 1] as const : [a, 4 * f + ((k + 1) % 4), 0] as const;
  });
  return {
    identities: 40,
    folds: 10,
    leftIdentity: pairs.map((p) => p[0]),
    rightIdentity: pairs.map((p) => p[1]),
    same: pairs.map((p) => p[2]),
  };
})();

/**
 * Made-up pair distances on `evaluation`: same pairs around 1.0, different pairs around 1.0 + 3·(quality − 0.5),
 * noise σ 0.35 (deterministic in `salt`), with the metrics computed from them.
 */
export function syntheticEvaluated(
  quality: number,
  salt: string,
  noiseSeed = 7,
  evaluation: Evaluation = syntheticEvaluation,
): { metrics: CellMetrics; distances: string } {
  const rng = new Rng(noiseSeed, salt);
  const distances = encodeDistances(
    evaluation.same.map((s) => Math.max(0, (s ? 1 : 1 + 3 * (quality - 0.5)) + rng.normal(0, 0.35))),
  );
  const m = evaluateDistances(
    decodeDistances(distances, evaluation.same.length, salt),
    evaluation.same.map((s) => s === 1),
    { farTargets: [1e-3, 1e-2] },
  );
  return {
    metrics: {
      accuracyMean: m.accuracyMean,
      accuracyStd: m.accuracyStd,
      threshold: m.threshold,
      auc: m.auc,
      tarAtFar: m.tarAtFar.map((t) => ({ far: t.far, tar: t.tar })),
      rank1: quality - 0.1,
    },
    distances,
  };
}

/** A row's made-up results on each of `further`: quality 0.05 lower on each next set; no rank-1 without identities. */
function furtherResults(quality: number, salt: string, noiseSeed: number, further: readonly FurtherEvalSet[]) {
  return further.map((set, i) => {
    const q = quality - 0.05 * (i + 1);
    const { metrics, distances } = syntheticEvaluated(q, `${salt}@${set.name}`, noiseSeed, set.evaluation ?? undefined);
    return { metrics: { ...metrics, rank1: set.identitiesKnown ? metrics.rank1 : null }, distances, q };
  });
}

/** The evaluation curve of a cell of `quality`. */
const evalCurve = (quality: number) => [{ step: 100, accuracy: quality - 0.1 }, { step: 200, accuracy: quality }];

/** A cell with made-up distances of `quality` (also on each of `further`); null makes it a failed cell. */
export function syntheticCell(
  index: number,
  backbone: string,
  head: string,
  quality: number | null,
  noiseSeed = 7,
  further: readonly FurtherEvalSet[] = [],
): Cell {
  const salt = `${backbone}/${head}`;
  const evaluated = quality === null ? null : syntheticEvaluated(quality, salt, noiseSeed);
  return {
    index,
    backbone,
    head,
    stage: "scratch",
    seed: 1337,
    backend: "wasm",
    threads: 2,
    steps: 200,
    wallSeconds: 31.5 + index,
    imagesPerSecond: 410.25 - index,
    metrics: evaluated?.metrics ?? null,
    trained: quality === null ? null : true,
    lossCurve: Array.from({ length: 5 }, (_, s) => ({ step: 40 * s, loss: 9 - s - index / 10 })),
    evalCurve: quality === null ? [] : evalCurve(quality),
    weightHash: quality === null ? null : hash(index),
    distances: evaluated?.distances ?? null,
    evalSets: quality === null
      ? []
      : furtherResults(quality, salt, noiseSeed, further).map(({ metrics, distances, q }) => ({
        metrics,
        evalCurve: evalCurve(q),
        distances,
      })),
    error: quality === null ? "Error: loss became NaN at step 17 <script>" : null,
  };
}

/**
 * The synthetic report; another `noiseSeed` draws other distances from the same qualities (a "second run"). With
 * `further` sets, every row is evaluated on them too (see the module documentation); `primaryEval` stays null.
 */
export function syntheticReport(noiseSeed = 7, further: readonly FurtherEvalSet[] = []): Report {
  const cells: Cell[] = [];
  const qualities = [0.98, 0.93, 0.9, 0.8, null, 0.7];
  for (const backbone of ["ir_se_50_tiny", "mobilefacenet_tiny"]) {
    for (const head of ["arcface", "cosface", "softmax"]) {
      cells.push(syntheticCell(cells.length, backbone, head, qualities[cells.length], noiseSeed, further));
    }
  }
  const reference = (kind: Reference["kind"], backbone: string | null, quality: number): Reference => ({
    kind,
    backbone,
    seed: backbone === null ? null : 1337,
    ...syntheticEvaluated(quality, `${kind}/${backbone}`, noiseSeed),
    evalSets: furtherResults(quality, `${kind}/${backbone}`, noiseSeed, further).map(({ metrics, distances }) => ({
      metrics,
      distances,
    })),
  });
  const references = [
    reference("raw_pixels", null, 0.55),
    reference("untrained", "ir_se_50_tiny", 0.65),
    reference("untrained", "mobilefacenet_tiny", 0.68),
  ];
  return {
    version: 2,
    run: {
      id: "2026-11-29T04-00-00Z-quick",
      preset: "quick",
      seeds: [1337],
      createdAt: "2026-11-29T04:00:00Z",
      command: "deno task bench",
      shards: [],
    },
    environment: {
      deno: "2.9.6",
      v8: "14.0",
      typescript: "5.9",
      os: "linux",
      arch: "x86_64",
      cpu: { model: "Test CPU", cores: 2 },
      gitCommit: "a2304f0",
      gitDirty: false,
      backends: [{ name: "wasm", threads: 2, details: { simd: true } }],
      dataset: { id: "synthface-ci", hash: "ab".repeat(32), trainImages: 2000, trainIdentities: 100, evalPairs: 600 },
    },
    cells,
    references,
    evaluation: syntheticEvaluation,
    primaryEval: null,
    evalSets: [...further],
    statistics: computeStatistics({
      cells,
      references,
      evaluation: syntheticEvaluation,
      evalSets: further,
      seeds: [1337],
    }),
    throughput: [
      {
        backend: "wasm",
        threads: 2,
        backbone: "ir_50",
        batchSize: 8,
        trainImagesPerSecond: 3.5,
        inferenceImagesPerSecond: 11.25,
        peakBytes: 734003200,
        error: null,
      },
      {
        backend: "webgpu",
        threads: 1,
        backbone: "ir_50",
        batchSize: 8,
        trainImagesPerSecond: null,
        inferenceImagesPerSecond: null,
        peakBytes: null,
        error: "no WebGPU adapter",
      },
    ],
    tsne: null,
  };
}

/**
 * A report as `deno task eval --onnx` writes it: no cells and no throughput, one external ONNX row
 * ("onnx:mobilefacenet", made-up distances of quality 0.68, rank-1 0.58) on the synthetic pairs, with its statistics.
 */
export function evalOnlyReport(): Report {
  const report = syntheticReport();
  const row: Reference = { ...report.references[2], kind: "onnx", backbone: "mobilefacenet", seed: null };
  const evaluation = report.evaluation!;
  return {
    ...report,
    run: { ...report.run, preset: "eval-onnx" },
    cells: [],
    references: [row],
    throughput: [],
    statistics: computeStatistics({ cells: [], references: [row], evaluation, evalSets: [], seeds: report.run.seeds }),
  };
}
