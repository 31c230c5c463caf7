/**
 * The report's statistics section, computed from the rows' pair distances on the evaluation pairs:
 *
 * - every cell (over its seeds) and reference row gets a 95% interval of verification accuracy, AUC and TAR@FAR
 *   from a two-level bootstrap that resamples test identities (pairs sharing an identity are not independent)
 *   and, with several seeds, the seeds too (`src/eval/bootstrap.ts`);
 * - paired comparisons, all on the same resamples: every cell against the most accurate cell (ranking), every
 *   cell against its backbone untrained and against raw pixels (did it learn?), and every fine-tuned cell against
 *   the same cell trained from scratch (did pre-training help?), with a two-sided bootstrap z-test p-value of the
 *   accuracy difference (observed difference over the bootstrap standard error), Holm-corrected over every
 *   comparison the report makes, and the exact McNemar p on the first seed's pair decisions for readers used to it
 *   (it treats pairs as independent, so it is not used for the verdicts).
 *
 * The resamples are drawn from the project's seeded RNG, so the intervals are reproducible.
 * @module
 */
import { Rng } from "../core/rng.ts";
import {
  bootstrapMetrics,
  drawResamples,
  type EvaluatedPairs,
  pairedComparison,
  percentileInterval,
  type ResampledMetrics,
  resampleWeights,
} from "../eval/bootstrap.ts";
import { foldDecisions } from "../eval/verification.ts";
import { discordantCounts, holm, mcnemarExact } from "../eval/significance.ts";
import { mean, populationStd } from "../eval/stats.ts";
import { decodeDistances } from "./distances.ts";
import type { Cell, CellMetrics, CellStage, Evaluation, Reference, Report, Statistics } from "./schema.ts";

/** Bootstrap resamples per report. */
export const RESAMPLES = 1000;
/** Interval level. */
export const LEVEL = 0.95;
/** Family-wise error rate of the Holm-corrected comparisons. */
export const ALPHA = 0.05;

/** What the statistics are computed from. */
export interface StatisticsInput {
  /** cell rows, one per backbone × head × stage × seed */
  cells: readonly Cell[];
  /** reference rows */
  references: readonly Reference[];
  /** the evaluation pairs (null: no statistics) */
  evaluation: Evaluation | null;
  /** the run's seeds, in order */
  seeds: readonly number[];
}

/** What a comparison is for (see the schema's `purpose`). */
type Purpose = Statistics["comparisons"][number]["purpose"];

/** One evaluated model over its seeds, with its bootstrap distribution. */
export interface Row {
  /** cell key or reference key */
  key: string;
  /** metrics of each seed, in seed order */
  metrics: CellMetrics[];
  /** pair distances of each seed */
  distances: Float64Array[];
  /** the bootstrap replicates */
  resampled: ResampledMetrics;
  /** whether the k-fold protocol decides each pair correctly with the first seed (McNemar's input) */
  correct: boolean[];
}

/** Every row of a report with its bootstrap distribution on one shared resample plan. */
export interface ResampledRows {
  /** cell rows (one per backbone × head × stage, over the seeds), in report order */
  cells: Row[];
  /** reference rows */
  references: Row[];
}

/** Mean accuracy of a row over its seeds. */
export const rowAccuracy = (row: Row): number => mean(row.metrics.map((m) => m.accuracyMean));

function rowStatistics(row: Row) {
  const estimate = (value: number, values: Float64Array) => ({ value, ...percentileInterval(values, LEVEL) });
  return {
    key: row.key,
    seeds: row.metrics.length,
    accuracy: estimate(rowAccuracy(row), row.resampled.accuracy),
    accuracySeedStd: populationStd(row.metrics.map((m) => m.accuracyMean)),
    auc: estimate(mean(row.metrics.map((m) => m.auc)), row.resampled.auc),
    tarAtFar: row.metrics[0].tarAtFar.map((t, k) => ({
      far: t.far,
      ...estimate(mean(row.metrics.map((m) => m.tarAtFar[k].tar)), row.resampled.tarAtFar[k]),
    })),
  };
}

/** The head of a cell with "@stage" for a pre-trained stage, e.g. "arcface@finetuned": a column of the matrix. */
export const headStageKey = (c: { head: string; stage: CellStage }): string =>
  `${c.head}${c.stage === "scratch" ? "" : `@${c.stage}`}`;

/** The key of a cell row in the statistics: "backbone/head", with "@stage" for a pre-trained stage. */
export const cellKey = (c: { backbone: string; head: string; stage: CellStage }): string =>
  `${c.backbone}/${headStageKey(c)}`;

/** The key of a reference row in the statistics: "raw_pixels" or "untrained:backbone". */
export const referenceKey = (r: Pick<Reference, "kind" | "backbone">): string =>
  r.kind === "raw_pixels" ? "raw_pixels" : `untrained:${r.backbone}`;

/**
 * The rows of a report resampled on one plan, or null when it has no evaluation pairs or a row lacks its distances
 * (baselines, upgraded version-1 reports). A cell with a failed seed is left out (its seeds no longer pair with the
 * others).
 */
export function resampleRows(input: StatisticsInput): ResampledRows | null {
  const { evaluation, seeds } = input;
  if (!evaluation) return null;
  if ([...input.cells, ...input.references].some((r) => r.metrics !== null && r.distances === null)) return null;
  const pairs: EvaluatedPairs = {
    same: evaluation.same.map((s) => s === 1),
    folds: evaluation.folds,
    leftIdentity: Int32Array.from(evaluation.leftIdentity),
    rightIdentity: Int32Array.from(evaluation.rightIdentity),
    identities: evaluation.identities,
  };
  const plan = drawResamples(evaluation.identities, seeds.length, RESAMPLES, new Rng(seeds[0], "bootstrap"));
  const count = evaluation.same.length;
  const weights = resampleWeights(pairs, plan);
  const build = (key: string, members: readonly { metrics: CellMetrics | null; distances: string | null }[]) => {
    const distances = members.map((m, i) => decodeDistances(m.distances!, count, `${key} seed #${i + 1}`));
    return {
      key,
      metrics: members.map((m) => m.metrics!),
      distances,
      resampled: bootstrapMetrics(pairs, distances, plan, members[0].metrics!.tarAtFar.map((t) => t.far), weights),
      correct: foldDecisions(distances[0], pairs.same, pairs.folds),
    };
  };
  const cells: Row[] = [];
  for (const [key, members] of Map.groupBy(input.cells, cellKey)) {
    const ordered = seeds.map((seed) => members.find((m) => m.seed === seed));
    if (ordered.some((m) => !m || m.metrics === null)) continue;
    cells.push(build(key, ordered as Cell[]));
  }
  const references: Row[] = [];
  for (const [key, members] of Map.groupBy(input.references, referenceKey)) {
    // raw pixels do not depend on the seed: the same row stands for every seed
    const ordered = members[0].kind === "raw_pixels"
      ? seeds.map(() => members[0])
      : seeds.map((seed) => members.find((m) => m.seed === seed));
    if (ordered.some((m) => !m)) continue;
    references.push(build(key, ordered as Reference[]));
  }
  return { cells, references };
}

/**
 * Every row of a report with its bootstrap replicates, by key; `what` names the report in the error thrown when it
 * has no pair distances (a baseline or an upgraded version-1 report).
 */
export function rowsByKey(report: Report, what: string): Map<string, Row> {
  const resampled = resampleRows({
    cells: report.cells,
    references: report.references,
    evaluation: report.evaluation,
    seeds: report.run.seeds,
  });
  if (!resampled) throw new Error(`${what} has no pair distances (a baseline or a version-1 report?)`);
  return new Map([...resampled.cells, ...resampled.references].map((r) => [r.key, r]));
}

/** The paired comparison a − b of two rows resampled on the same plan, before any multiple-testing correction. */
export function compareRows(a: Row, b: Row) {
  const point = (r: Row, metric: "accuracyMean" | "auc") => mean(r.metrics.map((m) => m[metric]));
  const observed = { accuracy: rowAccuracy(a) - rowAccuracy(b), auc: point(a, "auc") - point(b, "auc") };
  const accuracy = pairedComparison(a.resampled.accuracy, b.resampled.accuracy, observed.accuracy);
  const auc = pairedComparison(a.resampled.auc, b.resampled.auc, observed.auc);
  const { n01, n10 } = discordantCounts(a.correct, b.correct);
  return {
    a: a.key,
    b: b.key,
    accuracy: { value: observed.accuracy, low: accuracy.low, high: accuracy.high },
    auc: { value: observed.auc, low: auc.low, high: auc.high },
    p: accuracy.p,
    mcnemarP: mcnemarExact(n01, n10),
  };
}

/**
 * The comparisons a report makes, in cell order (see the module documentation), and the best cell. A pair is
 * tested once: when a fine-tuned cell's scratch twin is the best cell, its pre-training comparison serves the
 * ranking too (Holm would otherwise count the same test twice).
 */
function plannedComparisons(
  cells: readonly Row[],
  references: readonly Row[],
): { best: Row | null; planned: { purpose: Purpose; a: Row; b: Row }[] } {
  const best = cells.reduce<Row | null>((b, r) => (b === null || rowAccuracy(r) > rowAccuracy(b) ? r : b), null);
  const rawPixels = references.find((r) => r.key === "raw_pixels");
  const planned: { purpose: Purpose; a: Row; b: Row }[] = [];
  for (const cell of cells) {
    const scratch = cell.key.endsWith("@finetuned") ? cells.find((c) => `${c.key}@finetuned` === cell.key) : undefined;
    if (best && cell !== best && best !== scratch) planned.push({ purpose: "best", a: cell, b: best });
    const untrained = references.find((r) => r.key === `untrained:${cell.key.split("/")[0]}`);
    if (untrained) planned.push({ purpose: "untrained", a: cell, b: untrained });
    if (rawPixels) planned.push({ purpose: "raw_pixels", a: cell, b: rawPixels });
    if (scratch) planned.push({ purpose: "pretraining", a: cell, b: scratch });
  }
  return { best, planned };
}

/** The statistics of a report, or null when {@link resampleRows} has none. */
export function computeStatistics(input: StatisticsInput): Statistics | null {
  const resampled = resampleRows(input);
  if (!resampled || resampled.cells.length + resampled.references.length === 0) return null;
  const { cells, references } = resampled;
  const { best, planned } = plannedComparisons(cells, references);
  const raw = planned.map(({ purpose, a, b }) => ({ purpose, ...compareRows(a, b) }));
  const adjusted = holm(raw.map((c) => c.p));
  const comparisons = raw.map((c, i) => ({ ...c, pHolm: adjusted[i], significant: adjusted[i] < ALPHA }));
  const verdict = (purpose: Purpose, key: string) => comparisons.find((c) => c.purpose === purpose && c.a === key);
  const beats = (c: { significant: boolean; accuracy: { value: number } } | undefined) =>
    c ? c.significant && c.accuracy.value > 0 : null;
  return {
    method: "two-level bootstrap over test identities (pair weight m_a for a same-identity pair, m_a·m_b for " +
      "a different-identity pair) and seeds; k-fold thresholds re-chosen on every resample; percentile intervals; " +
      "paired two-sided z-test p-values on the accuracy difference (bootstrap standard error), Holm-corrected " +
      "over all comparisons",
    resamples: RESAMPLES,
    level: LEVEL,
    alpha: ALPHA,
    cells: cells.map((row) => {
      const members = input.cells.filter((c) => cellKey(c) === row.key);
      const versusBest = comparisons.find((c) => c.a === row.key && c.b === best?.key);
      return {
        ...rowStatistics(row),
        trained: members.every((c) => c.trained === true),
        beatsUntrained: beats(verdict("untrained", row.key)),
        beatsRawPixels: beats(verdict("raw_pixels", row.key)),
        indistinguishableFromBest: !versusBest || !versusBest.significant,
      };
    }),
    references: references.map(rowStatistics),
    comparisons,
  };
}
