/**
 * `comparison.json`, `comparison.md` and `comparison.html` of a backend comparison run (`--backends`): the schema (zod, versioned;
 * JSON Schema in `fixtures/schemas/comparison.schema.json`), its Markdown tables, and the atomic writer. What the
 * numbers mean is computed and documented in `src/bench/backend_comparison.ts`.
 * @module
 */
import { join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { mebibytes, percent, pValueText, rate, signedIntervalText } from "./format.ts";
import { comparisonCharts } from "./comparison_charts.ts";
import { htmlPage } from "./html.ts";
import { markdownTable } from "./markdown.ts";
import { backendInfoSchema, estimateSchema, throughputSchema } from "./schema.ts";
import type { Section } from "./sections.ts";
import type { Table } from "./tables.ts";

/** Version of `comparison.json`. */
export const COMPARISON_VERSION = 2;

const count = z.number().int().nonnegative();
/** a value that is null where it could not be measured (a failed cell, weights not available); `note` says why */
const measured = z.number().nullable();

/** One backend of the comparison and its own report. */
export const comparedBackendSchema = z.object({
  /** label as in report rows, e.g. "wasm", "wasm-fast", "webgpu" */
  label: z.string(),
  /** what the backend said of itself (`Backend.info()`): adapter or threads and SIMD mode */
  info: backendInfoSchema.nullable(),
  /** its report, relative to comparison.json */
  report: z.string(),
  runId: z.string(),
  cells: count,
  failed: count,
}).strict();

/** Speed of one cell × seed on one backend, and its ratio to the reference backend. */
export const speedRowSchema = z.object({
  cell: z.string(),
  seed: z.number().int(),
  backend: z.string(),
  /** training images/s of the row */
  trainImagesPerSecond: measured,
  trainRatio: measured,
  /** forward images/s (flipped copies counted) embedding the reference backend's weights in the parity step */
  inferenceImagesPerSecond: measured,
  inferenceRatio: measured,
}).strict();

/**
 * One full-size throughput row of a compared report (the throughput section of `report.json`), with its ratios to
 * the first row of the same backbone and batch size (the reference report's rows come first).
 */
export const throughputComparisonRowSchema = throughputSchema.extend({
  /** label of the report the row comes from (the backend of that run, and its machine where labels need it) */
  from: z.string(),
  trainRatio: measured,
  inferenceRatio: measured,
}).strict();

/** One trained model (cell × seed, weights from one backend) embedded on one backend. */
export const parityRowSchema = z.object({
  cell: z.string(),
  seed: z.number().int(),
  /** the backend whose training produced the weights */
  weightsFrom: z.string(),
  /** the backend that embedded the evaluation set with them */
  runOn: z.string(),
  inferenceImagesPerSecond: measured,
  /** max |a − b| over every embedding value, against the reference backend's embeddings of the same weights */
  maxAbsDifference: measured,
  /** max over images of ‖a − b‖ / ‖b‖ (b: the reference backend's embedding) */
  maxRelativeDifference: measured,
  /** verification accuracy (k-fold mean) of these embeddings */
  accuracy: measured,
  /** pairs whose k-fold decision differs from the reference backend's */
  differingDecisions: count.nullable(),
  /** the first of those pairs (indices into the evaluation pairs) */
  differingPairs: z.array(count),
  note: z.string().nullable(),
}).strict();

/** Accuracy of one cell (over its seeds) on one backend against the reference backend: the paired test. */
export const equivalenceRowSchema = z.object({
  cell: z.string(),
  backend: z.string(),
  referenceAccuracy: measured,
  accuracy: measured,
  /** accuracy(backend) − accuracy(reference) with its 95% interval */
  difference: estimateSchema.nullable(),
  p: measured,
  pHolm: measured,
  /** significant after Holm over the comparison's tests: a finding, not a failure */
  differs: z.boolean().nullable(),
  note: z.string().nullable(),
}).strict();

/** How far one cell × seed's loss curve on a backend strays from the reference backend's. */
export const lossDivergenceRowSchema = z.object({
  cell: z.string(),
  seed: z.number().int(),
  backend: z.string(),
  /** steps present in both curves */
  steps: count,
  maxAbsDelta: measured,
  /** the first step where |Δloss| / |reference loss| exceeds the tolerance (null: never, unless `note`) */
  firstStepOverTolerance: z.number().int().nullable(),
  /** whether both runs ended with the same final weight hash (null: a hash or a run is missing) */
  sameWeights: z.boolean().nullable().default(null),
  note: z.string().nullable(),
}).strict();

/** `comparison.json`. */
export const comparisonSchema = z.object({
  version: z.literal(COMPARISON_VERSION),
  preset: z.string(),
  seeds: z.array(z.number().int()),
  createdAt: z.string(),
  command: z.string(),
  /** the reference backend (the first listed) */
  reference: z.string(),
  /** the evaluation set of the parity step (the primary set) and its pairs */
  evalSet: z.string(),
  pairs: count,
  alpha: z.number(),
  /** relative loss difference that counts as diverged */
  lossTolerance: z.number(),
  backends: z.array(comparedBackendSchema),
  speed: z.array(speedRowSchema),
  /** the compared reports' full-size throughput rows (only the first backend's run measures them in `--backends`) */
  throughput: z.array(throughputComparisonRowSchema),
  parity: z.array(parityRowSchema),
  equivalence: z.array(equivalenceRowSchema),
  lossDivergence: z.array(lossDivergenceRowSchema),
  /** failed cell rows over every backend (the run's exit code is 1 when there are any) */
  failedCells: count,
}).strict();

/** `comparison.json`. */
export type Comparison = z.infer<typeof comparisonSchema>;
/** A row of the parity table. */
export type ParityRow = z.infer<typeof parityRowSchema>;
/** A row of the training-equivalence table. */
export type EquivalenceRow = z.infer<typeof equivalenceRowSchema>;
/** A row of the loss-divergence table. */
export type LossDivergenceRow = z.infer<typeof lossDivergenceRowSchema>;
/** A row of the speed table. */
export type SpeedRow = z.infer<typeof speedRowSchema>;
/** A row of the full-size throughput table. */
export type ThroughputComparisonRow = z.infer<typeof throughputComparisonRowSchema>;

const num = (x: number | null, f: (x: number) => string) => (x === null ? "–" : f(x));
const times = (x: number | null) => num(x, (v) => `${v.toFixed(2)}×`);
const sci = (x: number | null) => num(x, (v) => (v === 0 ? "0" : v.toExponential(1)));
const withNote = (text: string, note: string | null) => (note ? `${text} (${note})` : text);

/** The backends with what they said of themselves. */
export function backendsTable(c: Comparison): Table {
  return {
    header: ["backend", "threads", "details", "cells ok / failed", "report"],
    rows: c.backends.map((b) => [
      b.label + (b.label === c.reference ? " (reference)" : ""),
      num(b.info?.threads ?? null, String),
      Object.entries(b.info?.details ?? {}).map(([k, v]) => `${k}: ${v}`).join(", "),
      `${b.cells - b.failed} / ${b.failed}`,
      b.report,
    ]),
  };
}

/** Training and inference images/s per cell × seed and backend, with the ratios to the reference backend. */
export function speedTable(c: Comparison): Table {
  return {
    header: ["cell", "seed", "backend", "train img/s", "× reference", "inference img/s", "× reference"],
    rows: c.speed.map((s) => [
      s.cell,
      String(s.seed),
      s.backend,
      rate(s.trainImagesPerSecond),
      times(s.trainRatio),
      rate(s.inferenceImagesPerSecond),
      times(s.inferenceRatio),
    ]),
  };
}

/** Full-size throughput rows of every compared report, with the ratios to the first row of the same backbone. */
export function throughputComparisonTable(c: Comparison): Table {
  return {
    header: [
      "from report",
      "backend",
      "threads",
      "backbone",
      "batch",
      "train img/s",
      "× first",
      "inference img/s",
      "× first",
      "peak memory",
    ],
    rows: c.throughput.map((t) => [
      t.from,
      t.backend,
      String(t.threads),
      t.backbone,
      String(t.batchSize),
      rate(t.trainImagesPerSecond),
      times(t.trainRatio),
      rate(t.inferenceImagesPerSecond),
      times(t.inferenceRatio),
      withNote(mebibytes(t.peakBytes), t.error),
    ]),
  };
}

/** Forward parity: every trained model embedded on every backend. */
export function parityTable(c: Comparison): Table {
  return {
    header: ["cell", "seed", "weights from", "run on", "max |Δ|", "max rel.", "accuracy (%)", "differing decisions"],
    rows: c.parity.map((p) => [
      p.cell,
      String(p.seed),
      p.weightsFrom,
      p.runOn,
      sci(p.maxAbsDifference),
      sci(p.maxRelativeDifference),
      num(p.accuracy, percent),
      withNote(
        num(
          p.differingDecisions,
          (n) =>
            `${n}${
              p.differingPairs.length > 0
                ? ` (pairs ${p.differingPairs.join(", ")}${n > p.differingPairs.length ? ", …" : ""})`
                : ""
            }`,
        ),
        p.note,
      ),
    ]),
  };
}

/** Accuracy per backend against the reference backend's, with the paired test and the flag. */
export function equivalenceTable(c: Comparison): Table {
  return {
    header: ["cell", "backend", `${c.reference} (%)`, "backend (%)", "Δ [95% CI]", "p (Holm)", "verdict"],
    rows: c.equivalence.map((e) => [
      e.cell,
      e.backend,
      num(e.referenceAccuracy, percent),
      num(e.accuracy, percent),
      e.difference ? signedIntervalText(e.difference) : "–",
      num(e.pHolm, pValueText),
      withNote(e.differs === null ? "–" : e.differs ? "DIFFERS" : "not significant", e.note),
    ]),
  };
}

/** The final weights (same hash or not) and loss-curve divergence per cell × seed and backend. */
export function lossDivergenceTable(c: Comparison): Table {
  return {
    header: [
      "cell",
      "seed",
      "backend",
      "final weights",
      "steps",
      "max |Δloss|",
      `first step over ${100 * c.lossTolerance}%`,
    ],
    rows: c.lossDivergence.map((d) => [
      d.cell,
      String(d.seed),
      d.backend,
      d.sameWeights === null ? "–" : d.sameWeights ? "identical" : "differ",
      String(d.steps),
      num(d.maxAbsDelta, (v) => v.toPrecision(3)),
      withNote(
        d.note || d.steps === 0 ? "–" : d.firstStepOverTolerance === null ? "never" : String(d.firstStepOverTolerance),
        d.note,
      ),
    ]),
  };
}

/** The one-line summary under the title: backends, reference, seeds, parity set, command, counts. */
function comparisonSummary(c: Comparison): string {
  const differs = c.equivalence.filter((e) => e.differs).length;
  const mismatched = c.parity.filter((p) => (p.differingDecisions ?? 0) > 0).length;
  return `Backends ${c.backends.map((b) => b.label).join(", ")}; reference ${c.reference}; seeds ${
    c.seeds.join(", ")
  }; ` +
    `parity on ${c.evalSet} (${c.pairs} pairs). Command: \`${c.command}\`. ${c.failedCells} failed cell row(s); ` +
    `${differs} accuracy difference(s) flagged; ${mismatched} parity row(s) with differing pair decisions.`;
}

/** The comparison's sections, each a table with a line on how to read it (Markdown and HTML show the same). */
export function comparisonSections(c: Comparison): Section[] {
  return [
    { title: "Backends", note: comparisonSummary(c), table: backendsTable(c) },
    {
      title: "Speed",
      note: "Training img/s from each backend's own run; inference img/s measured while embedding the reference " +
        "backend's weights in the parity step (flipped copies counted).",
      table: speedTable(c),
    },
    {
      title: "Full-size throughput",
      note: c.throughput.length === 0
        ? "Not measured: no compared report has a throughput section (run without --no-throughput)."
        : "The throughput section of each compared report (a `--backends` run measures it once, in the first " +
          "backend's run, over the preset's throughput backends); ratios are to the first row of the same backbone " +
          "and batch size.",
      table: throughputComparisonTable(c),
    },
    {
      title: "Forward parity on the trained model",
      note: c.parity.length === 0
        ? "Not measured: this comparison was built from saved reports (`compare-backends`), which keep no weights. " +
          "Run the backends in one `--backends` run for parity on the trained model."
        : `The weights trained on each backend, loaded on every backend, embed ${c.evalSet}; differences are ` +
          `against the reference backend's embeddings of the same weights. Backends sum in different orders, so ` +
          `small differences are expected; a differing k-fold pair decision is listed.`,
      table: parityTable(c),
    },
    {
      title: "Training equivalence",
      note: `Paired identity-bootstrap test of accuracy against ${c.reference}'s row of the same cell (same pairs, ` +
        `seeds and resamples), Holm over the ${c.equivalence.filter((e) => e.p !== null).length} tests, ` +
        `α = ${c.alpha}. "differs" is a finding about the backends, not a failure of the run.`,
      table: equivalenceTable(c),
    },
    { title: "Final weights and loss-curve divergence", note: null, table: lossDivergenceTable(c) },
  ];
}

/** `comparison.md`: the title, then every section. */
export function renderComparisonMarkdown(c: Comparison): string {
  const parts = [`# facebench backend comparison: preset ${c.preset}`];
  for (const section of comparisonSections(c)) {
    parts.push(`## ${section.title}`);
    if (section.note) parts.push(section.note);
    parts.push(markdownTable(section.table));
  }
  return parts.join("\n\n") + "\n";
}

/** `comparison.html`: the same sections as `comparison.md`, with the speed and accuracy charts after the first. */
export function renderComparisonHtml(c: Comparison): Promise<string> {
  return htmlPage(`facebench backend comparison: preset ${c.preset}`, comparisonSections(c), comparisonCharts(c));
}

/** Validates `comparison` and writes `comparison.json`, `.md` and `.html` into `dir`, each atomically. */
export async function writeComparison(
  dir: string,
  comparison: Comparison,
): Promise<{ json: string; markdown: string; html: string }> {
  const valid = comparisonSchema.parse(comparison);
  const files = {
    json: join(dir, "comparison.json"),
    markdown: join(dir, "comparison.md"),
    html: join(dir, "comparison.html"),
  };
  await writeFileAtomic(files.json, JSON.stringify(valid, null, 2) + "\n");
  await writeFileAtomic(files.markdown, renderComparisonMarkdown(valid));
  await writeFileAtomic(files.html, await renderComparisonHtml(valid));
  return files;
}
