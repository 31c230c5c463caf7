/**
 * The report's statistics section, computed from the rows' pair distances on the evaluation pairs:
 *
 * - every cell (over its seeds) and reference row gets a 95% interval of verification accuracy, AUC and TAR@FAR
 *   from a two-level bootstrap that resamples test identities (pairs sharing an identity are not independent)
 *   and, with several seeds, the seeds too (`src/eval/bootstrap.ts`);
 * - paired comparisons, all on the same resamples: every cell against the most accurate cell (ranking), every
 *   cell against its backbone untrained and against raw pixels (did it learn?), every fine-tuned cell against
 *   the same cell trained from scratch (did pre-training help?) and every distilled cell against the same cell
 *   trained without its teacher (did distillation help?), with a two-sided bootstrap z-test p-value of the
 *   accuracy difference (observed difference over the bootstrap standard error), Holm-corrected over every
 *   comparison the report makes, and the exact McNemar p on the first seed's pair decisions for readers used to it
 *   (it treats pairs as independent, so it is not used for the verdicts);
 * - on every further evaluation set (`Report.evalSets`), every cell and reference row gets the same intervals from
 *   the same bootstrap on that set's own pairs and resamples; and every row present on all sets gets its accuracy
 *   averaged over the primary and further sets, with an interval from the replicate-by-replicate mean of the sets'
 *   replicates (the sets are independent samples). Further sets get no comparisons or p-values: the verdicts stay
 *   those of the primary set.
 *
 * A set without identities (a `.bin` file, primary or further) has independent pairs: its bootstrap resamples pairs
 * instead of identities (and seeds). The resamples are drawn from the project's seeded RNG (one stream per
 * evaluation set), so the intervals are reproducible.
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
import type {
  Cell,
  CellMetrics,
  CellStage,
  Evaluation,
  FurtherEvalSet,
  Reference,
  Report,
  Statistics,
} from "./schema.ts";

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
  /** the primary evaluation set's pairs (null: no statistics) */
  evaluation: Evaluation | null;
  /** the further evaluation sets (`Report.evalSets`); every row's `evalSets` holds its results in this order */
  evalSets: readonly FurtherEvalSet[];
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

/** The key of a reference row in the statistics: "raw_pixels", "untrained:backbone" or "onnx:name". */
export const referenceKey = (r: Pick<Reference, "kind" | "backbone">): string =>
  r.kind === "raw_pixels" ? "raw_pixels" : `${r.kind}:${r.backbone}`;

/** One row's result on one evaluation set; null metrics: not evaluated there (a failed cell). */
interface SetResult {
  /** the metrics (per seed) */
  metrics: CellMetrics | null;
  /** the pair distances (null in baselines) */
  distances: string | null;
}

/** The rows of one evaluation set: its name (null: the primary set), its pairs, and every row's result on it. */
interface SetRows {
  name: string | null;
  evaluation: Evaluation | null;
  cells: readonly (Pick<Cell, "backbone" | "head" | "stage" | "seed"> & SetResult)[];
  references: readonly (Pick<Reference, "kind" | "backbone" | "seed"> & SetResult)[];
}

/**
 * Whether no identity of `evaluation` occurs in two pairs: a set without identities (`.bin`), whose pairs carry
 * bootstrap units instead (one per same pair, two per different pair). Its pairs are independent, so its bootstrap
 * resamples the pairs themselves; the identity bootstrap's weight m_a·m_b would give a different pair the variance
 * of a product of two multiplicities (about 3 instead of 1) and widen the intervals for nothing.
 */
function unitsArePairs(evaluation: Evaluation): boolean {
  const seen = new Set<number>();
  for (const [i, same] of evaluation.same.entries()) {
    for (
      const unit of same ? [evaluation.leftIdentity[i]] : [evaluation.leftIdentity[i], evaluation.rightIdentity[i]]
    ) {
      if (seen.has(unit)) return false;
      seen.add(unit);
    }
  }
  return true;
}

/**
 * The rows of one evaluation set resampled on one plan, drawn from the stream "bootstrap" (the primary set) or
 * "bootstrap/NAME" (a further set): over identities, or over pairs where {@link unitsArePairs}; see
 * {@link resampleRows}.
 */
function resampleSet(set: SetRows, seeds: readonly number[]): ResampledRows | null {
  const { evaluation, name } = set;
  if (!evaluation) return null;
  if ([...set.cells, ...set.references].some((r) => r.metrics !== null && r.distances === null)) return null;
  const pairs: EvaluatedPairs = {
    same: evaluation.same.map((s) => s === 1),
    folds: evaluation.folds,
    leftIdentity: Int32Array.from(evaluation.leftIdentity),
    rightIdentity: Int32Array.from(evaluation.rightIdentity),
    identities: evaluation.identities,
  };
  const stream = name === null ? "bootstrap" : `bootstrap/${name}`;
  const count = evaluation.same.length;
  // pairs as units: the plan's "identities" are the pairs, each weighted by how often it is drawn
  const byPair = unitsArePairs(evaluation);
  const plan = drawResamples(
    byPair ? count : evaluation.identities,
    seeds.length,
    RESAMPLES,
    new Rng(seeds[0], stream),
  );
  const weights = byPair ? plan.identityCounts.map((c) => Float64Array.from(c)) : resampleWeights(pairs, plan);
  const on = name === null ? "" : ` on ${name}`;
  const build = (key: string, members: readonly SetResult[]) => {
    const distances = members.map((m, i) => decodeDistances(m.distances!, count, `${key} seed #${i + 1}${on}`));
    return {
      key,
      metrics: members.map((m) => m.metrics!),
      distances,
      resampled: bootstrapMetrics(pairs, distances, plan, members[0].metrics!.tarAtFar.map((t) => t.far), weights),
      correct: foldDecisions(distances[0], pairs.same, pairs.folds),
    };
  };
  const evaluated = (members: readonly (SetResult | undefined)[]): members is SetResult[] =>
    members.every((m) => m !== undefined && m.metrics !== null);
  const cells: Row[] = [];
  for (const [key, members] of Map.groupBy(set.cells, cellKey)) {
    const ordered = seeds.map((seed) => members.find((m) => m.seed === seed));
    if (evaluated(ordered)) cells.push(build(key, ordered));
  }
  const references: Row[] = [];
  for (const [key, members] of Map.groupBy(set.references, referenceKey)) {
    // raw pixels and external models do not depend on the seed: the same row stands for every seed
    const ordered = members[0].seed === null
      ? seeds.map(() => members[0])
      : seeds.map((seed) => members.find((m) => m.seed === seed));
    if (evaluated(ordered)) references.push(build(key, ordered));
  }
  return { cells, references };
}

/**
 * The rows of a report on its primary evaluation set, resampled on one plan, or null when it has no evaluation pairs
 * or a row lacks its distances (baselines, upgraded version-1 reports). A cell with a failed seed is left out (its
 * seeds no longer pair with the others).
 */
export function resampleRows(input: StatisticsInput): ResampledRows | null {
  return resampleSet({ ...input, name: null }, input.seeds);
}

/** The rows of a report on its further set `index`: each row's `evalSets[index]` on that set's pairs. */
function furtherSetRows(input: StatisticsInput, index: number): SetRows {
  const on = (r: { evalSets: readonly SetResult[] }): SetResult => {
    const { metrics, distances } = r.evalSets[index] ?? { metrics: null, distances: null };
    return { metrics, distances };
  };
  const { name, evaluation } = input.evalSets[index];
  return {
    name,
    evaluation,
    cells: input.cells.map((c) => ({ ...c, ...on(c) })),
    references: input.references.map((r) => ({ ...r, ...on(r) })),
  };
}

/**
 * Every row of a report with its bootstrap replicates, by key; `what` names the report in the error thrown when it
 * has no pair distances (a baseline or an upgraded version-1 report).
 */
export function rowsByKey(report: Report, what: string): Map<string, Row> {
  const resampled = resampleRows({ ...report, seeds: report.run.seeds });
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

/** The scratch cell a fine-tuned or distilled cell is compared with, and what that comparison is for. */
function scratchTwin(cell: Row, cells: readonly Row[]): { row: Row; purpose: Purpose } | undefined {
  const stages = { finetuned: "pretraining", distilled: "distillation" } as const;
  for (const [stage, purpose] of Object.entries(stages)) {
    const row = cell.key.endsWith(`@${stage}`) ? cells.find((c) => `${c.key}@${stage}` === cell.key) : undefined;
    if (row) return { row, purpose };
  }
  return undefined;
}

/**
 * The comparisons a report makes, in cell order (see the module documentation), and the best cell. A pair is
 * tested once: when a fine-tuned (distilled) cell's scratch twin is the best cell, its pre-training (distillation) comparison serves the
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
    const twin = scratchTwin(cell, cells);
    const scratch = twin?.row;
    if (best && cell !== best && best !== scratch) planned.push({ purpose: "best", a: cell, b: best });
    const untrained = references.find((r) => r.key === `untrained:${cell.key.split("/")[0]}`);
    if (untrained) planned.push({ purpose: "untrained", a: cell, b: untrained });
    if (rawPixels) planned.push({ purpose: "raw_pixels", a: cell, b: rawPixels });
    if (twin) planned.push({ purpose: twin.purpose, a: cell, b: twin.row });
  }
  return { best, planned };
}

/**
 * Accuracy averaged over evaluation sets (the primary first), for every row resampled on all of them, cells then
 * references: the mean of the sets' point estimates, and the percentile interval of the replicate-by-replicate mean
 * of their bootstrap replicates (the sets are independent samples, each with its own resamples). Empty with one set.
 */
function meanAccuracy(sets: readonly ResampledRows[]): Statistics["meanAccuracy"] {
  if (sets.length < 2) return [];
  const rowsOf = (set: ResampledRows) => [...set.cells, ...set.references];
  return rowsOf(sets[0]).flatMap(({ key }) => {
    const rows = sets.map((set) => rowsOf(set).find((r) => r.key === key)).filter((r): r is Row => r !== undefined);
    if (rows.length < sets.length) return [];
    const replicates = rows[0].resampled.accuracy.map((_, b) => mean(rows.map((r) => r.resampled.accuracy[b])));
    return [{ key, value: mean(rows.map(rowAccuracy)), ...percentileInterval(replicates, LEVEL) }];
  });
}

/** The statistics of a report, or null when {@link resampleRows} has none on its primary set. */
export function computeStatistics(input: StatisticsInput): Statistics | null {
  const resampled = resampleRows(input);
  if (!resampled || resampled.cells.length + resampled.references.length === 0) return null;
  const { cells, references } = resampled;
  const further = input.evalSets.map((set, i) => ({
    name: set.name,
    rows: resampleSet(furtherSetRows(input, i), input.seeds) ?? { cells: [], references: [] },
  }));
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
      "over all comparisons" +
      (unitsArePairs(input.evaluation!) ? "; the set has no identities: pairs resampled instead" : "") +
      (further.length > 0
        ? "; on each further evaluation set the same bootstrap on its own pairs and resamples (pairs resampled " +
          "where it has no identities), no comparisons; the mean over sets averages the sets' replicates"
        : ""),
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
    evalSets: further.map(({ name, rows }) => ({
      name,
      cells: rows.cells.map(rowStatistics),
      references: rows.references.map(rowStatistics),
    })),
    meanAccuracy: meanAccuracy([resampled, ...further.map((f) => f.rows)]),
  };
}
