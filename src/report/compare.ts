/**
 * The regression gate: compares a report with a baseline report, cell by cell and seed by seed (a cell trained
 * with several seeds has one row per seed). A cell regresses when it is missing or failed (a failed cell fails the
 * gate whether or not the baseline has it; a cell the baseline lacks fails unless new cells are allowed),
 * when its accuracy dropped by more than the tolerance, or when it ran on the same backend, thread count and
 * {@link determinismScope} as the baseline and its final-weight hash differs (runs are deterministic, so a different
 * hash means different math).
 * @module
 */
import { percent } from "./format.ts";
import type { Cell, Environment, Report, ReportedBackend } from "./schema.ts";
import { cellKey } from "./statistics.ts";
import type { Table } from "./tables.ts";

/** Tolerances of the comparison. */
export interface CompareOptions {
  /** largest allowed accuracy drop (fraction, e.g. 0.01 = one point) */
  accuracyTolerance: number;
  /** per-cell overrides keyed "backbone/head" (with "@stage" for a pre-trained stage) */
  cellTolerances?: Readonly<Record<string, number>>;
  /** let cells (or seeds) the baseline lacks pass; by default a cell the baseline cannot vouch for fails the gate */
  allowNewCells?: boolean;
}

/** Outcome of one cell. */
export type CellStatus = "pass" | "new" | "missing" | "failed" | "accuracy" | "hash";

/** One row of the diff. */
export interface CellDiff {
  /** "backbone/head/seedN" (with "@stage" after the head for a pre-trained stage) */
  key: string;
  /** outcome */
  status: CellStatus;
  /** baseline accuracy mean (null when absent) */
  baselineAccuracy: number | null;
  /** current accuracy mean (null when absent) */
  accuracy: number | null;
  /** tolerance applied */
  tolerance: number;
  /** "match", "differs", or why hashes were not compared */
  hash: string;
}

/** The comparison: one row per cell of either report, and whether the gate passes. */
export interface Comparison {
  /** true when no cell regressed */
  pass: boolean;
  /** rows in baseline order, then new cells */
  rows: CellDiff[];
}

const keyOf = (c: Cell) => `${cellKey(c)}/seed${c.seed}`;

/** A WebGPU adapter as its backend entry names it: vendor, architecture and description, the empty ones left out. */
export function adapterName(info: ReportedBackend): string {
  const { vendor, architecture, description } = info.details;
  return [vendor, architecture, description].filter((v) => v !== undefined && v !== "").join(" ");
}

/**
 * What else, beyond backend and thread count, a weight hash depends on: WebGPU results depend on the adapter (its
 * compiler and maths library), and the relaxed-SIMD WASM build on whether its multiply-add is fused (both roundings
 * are exact IEEE operations, so each gives the same bits on every CPU that does it; reports from before the
 * start-up probe do not say, and are scoped to their CPU model); the strict WASM build and the reference backend
 * give the same bits everywhere (""). `info` is the run's entry for the cell's backend, if the report has one.
 */
export function determinismScope(info: ReportedBackend | undefined, environment: Environment): string {
  if (!info) return "";
  if (info.name === "webgpu") return `adapter ${adapterName(info)}`;
  if (info.details.mode !== "fast") return "";
  const multiplyAdd = info.details.multiplyAdd;
  if (multiplyAdd === undefined) return `relaxed SIMD on ${environment.cpu.model ?? "an unknown CPU"}`;
  return `relaxed SIMD, ${multiplyAdd} multiply-add`;
}

const scopeOf = (cell: Cell, report: Report) =>
  determinismScope(
    report.environment.backends.find((b) => b.name === cell.backend && b.threads === cell.threads),
    report.environment,
  );

function hashVerdict(cell: Cell, current: Report, base: Cell, baseline: Report): string {
  if (cell.backend !== base.backend || cell.threads !== base.threads) {
    return `not compared (${cell.backend}/${cell.threads}t vs ${base.backend}/${base.threads}t)`;
  }
  const [now, then] = [scopeOf(cell, current), scopeOf(base, baseline)];
  if (now !== then) return `not compared (${now || "portable build"} vs ${then || "portable build"})`;
  if (!cell.weightHash || !base.weightHash) return "not compared (no hash)";
  return cell.weightHash === base.weightHash ? "match" : "differs";
}

/**
 * The baseline to commit for `report` (`--update-baseline`): the same report without the training curves, pair
 * distances, evaluation pairs and kept-model paths, on every evaluation set (they are not compared and would bloat the file; the
 * statistics computed from them stay). Refuses a report with failed cells, which would make every later run fail
 * the gate.
 */
export function toBaseline(report: Report): Report {
  const failed = report.cells.filter((c) => c.error !== null || c.metrics === null).map(keyOf);
  if (failed.length > 0) {
    throw new Error(`cannot make a baseline from a report with failed cells: ${failed.join(", ")}`);
  }
  return {
    ...report,
    cells: report.cells.map(({ model: _model, ...c }) => ({
      ...c,
      lossCurve: [],
      evalCurve: [],
      distances: null,
      evalSets: c.evalSets.map((e) => ({ ...e, evalCurve: [], distances: null })),
    })),
    references: report.references.map((r) => ({
      ...r,
      distances: null,
      evalSets: r.evalSets.map((e) => ({ ...e, distances: null })),
    })),
    evaluation: null,
    evalSets: report.evalSets.map((e) => ({ ...e, evaluation: null })),
  };
}

/** Compares `current` against `baseline`. */
export function compareReports(current: Report, baseline: Report, options: CompareOptions): Comparison {
  const now = new Map(current.cells.map((c) => [keyOf(c), c]));
  const rows: CellDiff[] = baseline.cells.map((base) => {
    const key = keyOf(base);
    const cell = now.get(key);
    const tolerance = options.cellTolerances?.[cellKey(base)] ?? options.accuracyTolerance;
    const baselineAccuracy = base.metrics?.accuracyMean ?? null;
    if (!cell) return { key, status: "missing", baselineAccuracy, accuracy: null, tolerance, hash: "–" };
    const accuracy = cell.metrics?.accuracyMean ?? null;
    const hash = hashVerdict(cell, current, base, baseline);
    let status: CellStatus = "pass";
    if (cell.error !== null || accuracy === null) status = "failed";
    else if (baselineAccuracy !== null && baselineAccuracy - accuracy > tolerance) status = "accuracy";
    else if (hash === "differs") status = "hash";
    return { key, status, baselineAccuracy, accuracy, tolerance, hash };
  });
  const known = new Set(baseline.cells.map(keyOf));
  for (const cell of current.cells) {
    if (known.has(keyOf(cell))) continue;
    const accuracy = cell.metrics?.accuracyMean ?? null;
    rows.push({
      key: keyOf(cell),
      status: cell.error !== null || accuracy === null ? "failed" : "new",
      baselineAccuracy: null,
      accuracy,
      tolerance: options.accuracyTolerance,
      hash: "–",
    });
  }
  const passes = (r: CellDiff) => r.status === "pass" || (r.status === "new" && options.allowNewCells === true);
  return { pass: rows.every(passes), rows };
}

/** What a baseline must share with a run: preset, dataset (id and content hash) and seed list. */
export interface RunIdentity {
  /** preset name */
  preset: string;
  /** dataset id and hash */
  dataset: { id: string; hash: string };
  /** training seeds, in order */
  seeds: readonly number[];
}

/** The identity of a report's run (see {@link RunIdentity}). */
export function runIdentity(report: Report): RunIdentity {
  return { preset: report.run.preset, dataset: report.environment.dataset, seeds: report.run.seeds };
}

/**
 * Why `baseline` cannot gate a run of `current` — another preset, dataset or seed list — or null when it can.
 * One line naming each difference, instead of a "cell missing" row per cell. Known before any cell trains.
 */
export function baselineMismatch(current: RunIdentity, baseline: Report): string | null {
  const then = runIdentity(baseline);
  const differences = [
    ["preset", current.preset, then.preset],
    ["dataset", current.dataset.id, then.dataset.id],
    ["dataset hash", current.dataset.hash.slice(0, 16), then.dataset.hash.slice(0, 16)],
    ["seeds", current.seeds.join(","), then.seeds.join(",")],
  ].filter(([, now, before]) => now !== before);
  if (differences.length === 0) return null;
  return `the baseline is for another run: ${
    differences.map(([what, now, before]) => `${what} ${before} (this run: ${now})`).join("; ")
  }`;
}

const VERDICT: Record<CellStatus, string> = {
  pass: "ok",
  new: "NEW: not in the baseline (--allow-new-cells lets it pass)",
  missing: "REGRESSION: cell missing",
  failed: "REGRESSION: cell failed",
  accuracy: "REGRESSION: accuracy dropped",
  hash: "REGRESSION: weight hash differs",
};

/** The diff as a table (accuracies in %, delta in points). */
export function comparisonTable(comparison: Comparison): Table {
  const pct = (x: number | null) => (x === null ? "–" : percent(x));
  return {
    header: ["cell", "baseline %", "now %", "Δ points", "tolerance", "weights", "verdict"],
    rows: comparison.rows.map((r) => [
      r.key,
      pct(r.baselineAccuracy),
      pct(r.accuracy),
      r.accuracy !== null && r.baselineAccuracy !== null ? (100 * (r.accuracy - r.baselineAccuracy)).toFixed(2) : "–",
      percent(r.tolerance),
      r.hash,
      VERDICT[r.status],
    ]),
  };
}
