/**
 * The maths of a backend comparison, from the per-backend reports and the parity step's embeddings:
 *
 * - **speed**: each row's training img/s and the parity step's inference img/s, as ratios to the reference backend;
 *   next to them, every compared report's full-size throughput rows, as ratios to the first row of the same backbone
 *   and batch size;
 * - **forward parity**: embeddings of the same weights on two backends differ by summation order only, so they are
 *   compared by max |Δ| and max per-image ‖Δ‖ / ‖reference‖, and by the k-fold pair decisions (which must agree to
 *   the last pair, or the differing pairs are listed);
 * - **training equivalence**: each backend's cell row against the reference backend's (both reports resample the
 *   same pairs with the same seeds, so `resampleRows` draws the same plan) with `compareRows`' paired test, Holm over
 *   every test of the comparison; a significant difference is flagged "differs";
 * - **loss divergence**: max |Δloss| over the steps of both curves and the first step whose relative difference
 *   exceeds {@link LOSS_TOLERANCE}, and whether the final weight hashes are identical.
 * @module
 */
import { holm } from "../eval/significance.ts";
import type {
  Comparison,
  EquivalenceRow,
  LossDivergenceRow,
  ParityRow,
  SpeedRow,
  ThroughputComparisonRow,
} from "../report/backend_comparison.ts";
import type { Cell, Report } from "../report/schema.ts";
import { ALPHA, cellKey, compareRows, resampleRows, type Row, rowAccuracy } from "../report/statistics.ts";

/** Relative loss difference from which a curve counts as diverged from the reference backend's. */
export const LOSS_TOLERANCE = 0.01;

/** Differing pairs listed by index in a parity row (the count is always complete). */
export const LISTED_PAIRS = 20;

/** The ratio value / reference, or null when either is missing or the reference is not positive. */
export function ratio(value: number | null, reference: number | null): number | null {
  return value === null || reference === null || !(reference > 0) ? null : value / reference;
}

/** Max |Δloss| over the steps present in both curves, and the first step where |Δ| / |reference| > `tolerance`. */
export function lossDivergence(
  reference: readonly { step: number; loss: number }[],
  other: readonly { step: number; loss: number }[],
  tolerance = LOSS_TOLERANCE,
): { steps: number; maxAbsDelta: number | null; firstStepOverTolerance: number | null } {
  const byStep = new Map(reference.map((p) => [p.step, p.loss]));
  let steps = 0, maxAbsDelta: number | null = null, first: number | null = null;
  for (const { step, loss } of other) {
    const ref = byStep.get(step);
    if (ref === undefined) continue;
    steps++;
    const delta = Math.abs(loss - ref);
    maxAbsDelta = Math.max(maxAbsDelta ?? 0, delta);
    if (first === null && !(delta <= tolerance * Math.abs(ref))) first = step;
  }
  return { steps, maxAbsDelta, firstStepOverTolerance: first };
}

/** Max |a − b| over all values and max over rows of ‖a − b‖ / ‖b‖ of two `rows × dim` embedding matrices. */
export function embeddingDifference(
  a: Float32Array,
  b: Float32Array,
  dim: number,
): { maxAbs: number; maxRelative: number } {
  if (a.length !== b.length || dim <= 0 || a.length % dim !== 0) {
    throw new RangeError(`embeddingDifference: ${a.length} vs ${b.length} values of dimension ${dim}`);
  }
  let maxAbs = 0, maxRelative = 0;
  for (let r = 0; r < a.length; r += dim) {
    let diff = 0, norm = 0;
    for (let i = r; i < r + dim; i++) {
      const d = a[i] - b[i];
      maxAbs = Math.max(maxAbs, Math.abs(d));
      diff += d * d;
      norm += b[i] * b[i];
    }
    maxRelative = Math.max(maxRelative, norm > 0 ? Math.sqrt(diff / norm) : diff > 0 ? Infinity : 0);
  }
  return { maxAbs, maxRelative };
}

/** Indices where two per-pair decision lists differ (they must be equally long). */
export function differingIndices(a: readonly boolean[], b: readonly boolean[]): number[] {
  if (a.length !== b.length) throw new RangeError(`differingIndices: ${a.length} vs ${b.length} decisions`);
  return a.flatMap((x, i) => (x === b[i] ? [] : [i]));
}

/** One backend's run for the comparison: its label and report. */
export interface BackendRun {
  /** label as in report rows */
  label: string;
  /** its report */
  report: Report;
}

/** One model embedded in the parity step (see `embedTrainedWeights`). */
export interface ParityEmbedding {
  /** cell key ("backbone/head[@stage]") */
  cell: string;
  seed: number;
  weightsFrom: string;
  runOn: string;
  /** the embeddings (rows × dim), or null with `note` saying why */
  embeddings: { data: Float32Array; dim: number } | null;
  /** verification accuracy of the embeddings */
  accuracy: number | null;
  /** k-fold decision correctness of each pair */
  decisions: boolean[] | null;
  inferenceImagesPerSecond: number | null;
  note: string | null;
}

/**
 * The parity rows: each embedding against the reference backend's embedding of the same weights, grouped by cell,
 * seed and weights (in order of first appearance), the backends in their order within.
 */
export function parityRows(embedded: readonly ParityEmbedding[], reference: string): ParityRow[] {
  const model = (e: ParityEmbedding) => `${e.cell}#${e.seed}#${e.weightsFrom}`;
  const order = [...new Set(embedded.map(model))];
  const grouped = [...embedded].sort((a, b) => order.indexOf(model(a)) - order.indexOf(model(b)));
  return grouped.map((e) => {
    const base = embedded.find((r) =>
      r.cell === e.cell && r.seed === e.seed && r.weightsFrom === e.weightsFrom && r.runOn === reference
    );
    const row: ParityRow = {
      cell: e.cell,
      seed: e.seed,
      weightsFrom: e.weightsFrom,
      runOn: e.runOn,
      inferenceImagesPerSecond: e.inferenceImagesPerSecond,
      maxAbsDifference: null,
      maxRelativeDifference: null,
      accuracy: e.accuracy,
      differingDecisions: null,
      differingPairs: [],
      note: e.note,
    };
    if (!e.embeddings || !e.decisions) return row;
    if (!base?.embeddings || !base.decisions) return { ...row, note: `no ${reference} embeddings to compare with` };
    const { maxAbs, maxRelative } = embeddingDifference(e.embeddings.data, base.embeddings.data, e.embeddings.dim);
    const differing = differingIndices(e.decisions, base.decisions);
    return {
      ...row,
      maxAbsDifference: maxAbs,
      maxRelativeDifference: maxRelative,
      differingDecisions: differing.length,
      differingPairs: differing.slice(0, LISTED_PAIRS),
    };
  });
}

const rowKeyOf = (c: Pick<Cell, "backbone" | "head" | "stage" | "seed">) => `${cellKey(c)}#${c.seed}`;

/** The rows of every report by "cell#seed" key, in the reference report's order first. */
function rowPairs(reference: BackendRun, other: BackendRun): { ref: Cell | undefined; row: Cell | undefined }[] {
  const keys = [...new Set([...reference.report.cells, ...other.report.cells].map(rowKeyOf))];
  const find = (run: BackendRun, key: string) => run.report.cells.find((c) => rowKeyOf(c) === key);
  return keys.map((key) => ({ ref: find(reference, key), row: find(other, key) }));
}

/** Training and inference speed of every cell × seed on every backend, with the ratios to the reference backend. */
export function speedRows(runs: readonly BackendRun[], parity: readonly ParityRow[]): SpeedRow[] {
  const [reference] = runs;
  const inference = (label: string, c: Cell) =>
    parity.find((p) =>
      p.cell === cellKey(c) && p.seed === c.seed && p.weightsFrom === reference.label && p.runOn === label
    )?.inferenceImagesPerSecond ?? null;
  const trainSpeed = (c: Cell | undefined) => (c && c.error === null ? c.imagesPerSecond : null);
  return runs.flatMap((run) =>
    rowPairs(reference, run).map(({ ref, row }) => {
      const cell = row ?? ref!;
      const [train, trainRef] = [trainSpeed(row), trainSpeed(ref)];
      const [infer, inferRef] = [inference(run.label, cell), inference(reference.label, cell)];
      return {
        cell: cellKey(cell),
        seed: cell.seed,
        backend: run.label,
        trainImagesPerSecond: train,
        trainRatio: ratio(train, trainRef),
        inferenceImagesPerSecond: infer,
        inferenceRatio: ratio(infer, inferRef),
      };
    })
  );
}

/**
 * Every report's full-size throughput rows in run order, each labelled with its report and given its ratios to the
 * first successful row of the same backbone and batch size (the reference report's rows come first).
 */
export function throughputRows(runs: readonly BackendRun[]): ThroughputComparisonRow[] {
  const rows = runs.flatMap((run) => run.report.throughput.map((t) => ({ ...t, from: run.label })));
  const firstOf = (t: (typeof rows)[number]) =>
    rows.find((r) => r.backbone === t.backbone && r.batchSize === t.batchSize && r.error === null);
  return rows.map((t) => {
    const first = firstOf(t);
    return {
      ...t,
      trainRatio: ratio(t.trainImagesPerSecond, first?.trainImagesPerSecond ?? null),
      inferenceRatio: ratio(t.inferenceImagesPerSecond, first?.inferenceImagesPerSecond ?? null),
    };
  });
}

/** Why a cell × seed cannot be compared (failed or missing on either backend), or null. */
function unavailable(reference: string, ref: Cell | undefined, other: string, row: Cell | undefined): string | null {
  for (const [label, c] of [[reference, ref], [other, row]] as const) {
    if (!c) return `not run on ${label}`;
    if (c.error !== null) return `failed on ${label}`;
  }
  return null;
}

/**
 * The loss-curve divergence of every cell × seed on every backend but the reference, and whether its final weights
 * are bitwise the reference's (same weight hash; this holds where curves are missing, as in committed baselines).
 */
export function lossDivergenceRows(runs: readonly BackendRun[]): LossDivergenceRow[] {
  const [reference, ...others] = runs;
  return others.flatMap((run) =>
    rowPairs(reference, run).map(({ ref, row }) => {
      const cell = row ?? ref!;
      const note = unavailable(reference.label, ref, run.label, row);
      const divergence = note
        ? { steps: 0, maxAbsDelta: null, firstStepOverTolerance: null }
        : lossDivergence(ref!.lossCurve, row!.lossCurve);
      const hashes = note ? [] : [ref!.weightHash, row!.weightHash];
      const sameWeights = hashes.length === 2 && !hashes.includes(null) ? hashes[0] === hashes[1] : null;
      return { cell: cellKey(cell), seed: cell.seed, backend: run.label, ...divergence, sameWeights, note };
    })
  );
}

/** Every cell row of a report over its seeds, resampled on the report's plan, by cell key. */
function resampledCells(report: Report): Map<string, Row> {
  const rows = resampleRows({ ...report, seeds: report.run.seeds });
  return new Map((rows?.cells ?? []).map((r) => [r.key, r]));
}

/**
 * Each backend's cell rows against the reference backend's: the paired bootstrap test, Holm over every test, and
 * "differs" where significant. The reports must share their evaluation pairs and seeds (same resample plan); a
 * report without pairs (a committed baseline) is not tested, and its rows say so.
 */
export function trainingEquivalence(runs: readonly BackendRun[]): EquivalenceRow[] {
  const [reference, ...others] = runs;
  const withoutPairs = runs.filter((run) => run.report.evaluation === null).map((run) => run.label);
  for (const run of others) {
    const pairs = run.report.evaluation === null || reference.report.evaluation === null ||
      JSON.stringify(run.report.evaluation) === JSON.stringify(reference.report.evaluation);
    if (!pairs || run.report.run.seeds.join() !== reference.report.run.seeds.join()) {
      throw new Error(`the reports of ${reference.label} and ${run.label} differ in pairs or seeds`);
    }
  }
  const refRows = resampledCells(reference.report);
  const cellKeys = [...new Set(reference.report.cells.map(cellKey))];
  const tested = others.flatMap((run) => {
    const rows = resampledCells(run.report);
    const noPairs = [reference.label, run.label].filter((label) => withoutPairs.includes(label));
    return [...new Set([...cellKeys, ...run.report.cells.map(cellKey)])].map((cell) => {
      const [a, b] = [rows.get(cell), refRows.get(cell)];
      const missing = [[run.label, a], [reference.label, b]].filter(([, r]) => !r).map(([label]) => label);
      return { cell, backend: run.label, a, b, missing, noPairs };
    });
  });
  const compared = tested.map((t) => (t.a && t.b ? compareRows(t.a, t.b) : null));
  const adjusted = holm(compared.filter((c) => c !== null).map((c) => c.p));
  let next = 0;
  return tested.map((t, i) => {
    const c = compared[i];
    if (!c) {
      return {
        cell: t.cell,
        backend: t.backend,
        referenceAccuracy: null,
        accuracy: null,
        difference: null,
        p: null,
        pHolm: null,
        differs: null,
        note: t.noPairs.length > 0
          ? `no evaluation pairs in the report of ${t.noPairs.join(" and ")} (a baseline keeps none)`
          : `no complete row on ${t.missing.join(" and ")} (a failed seed?)`,
      };
    }
    const pHolm = adjusted[next++];
    return {
      cell: t.cell,
      backend: t.backend,
      referenceAccuracy: rowAccuracy(t.b!),
      accuracy: rowAccuracy(t.a!),
      difference: c.accuracy,
      p: c.p,
      pHolm,
      differs: pHolm < ALPHA,
      note: null,
    };
  });
}

/** The parts of a comparison computed here (the caller adds the run's identity and the backends' reports). */
export function compareBackends(
  runs: readonly BackendRun[],
  embedded: readonly ParityEmbedding[],
): Pick<
  Comparison,
  "speed" | "throughput" | "parity" | "equivalence" | "lossDivergence" | "failedCells" | "alpha" | "lossTolerance"
> {
  const parity = parityRows(embedded, runs[0].label);
  return {
    alpha: ALPHA,
    lossTolerance: LOSS_TOLERANCE,
    speed: speedRows(runs, parity),
    throughput: throughputRows(runs),
    parity,
    equivalence: trainingEquivalence(runs),
    lossDivergence: lossDivergenceRows(runs),
    failedCells: runs.reduce((n, r) => n + r.report.cells.filter((c) => c.error !== null).length, 0),
  };
}
