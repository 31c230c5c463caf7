/**
 * The sections of a report in display order, each a title, an optional note and a table: one list that the
 * Markdown and HTML writers both render, so the two never disagree.
 * @module
 */
import type { EvalSetInfo, Report } from "./schema.ts";
import {
  accuracyMatrix,
  cellDetails,
  cellStatisticsTable,
  comparisonsTable,
  environmentTable,
  evalSetTable,
  marksLegend,
  primaryEvalName,
  referenceTable,
  type Table,
  throughputTable,
} from "./tables.ts";

/** One section of a report. */
export interface Section {
  /** heading */
  title: string;
  /** one paragraph under the heading, or null */
  note: string | null;
  /** the table */
  table: Table;
}

/** The note under the per-set table: what each set is, how its intervals were made, what the mean is. */
function evalSetNote(report: Report): string {
  const describe = (e: EvalSetInfo) => `${e.name} (${e.kind === "bin" ? ".bin" : e.kind} ${e.source})`;
  const primary = report.primaryEval ? describe(report.primaryEval) : `${primaryEvalName(report)} (test split)`;
  const unlabelled = [report.primaryEval, ...report.evalSets].flatMap((e) => e && !e.identitiesKnown ? [e.name] : []);
  const resampling = unlabelled.length === 0
    ? ""
    : ` ${unlabelled.join(", ")} ${unlabelled.length > 1 ? "carry" : "carries"} no identities: there the bootstrap ` +
      "resamples pairs instead (treating pairs that share an identity as independent).";
  return `Columns: ${primary}, the primary set, whose results the rest of this report shows; then ` +
    `${report.evalSets.map(describe).join(", ")}; then the accuracy averaged over the ${report.evalSets.length + 1} ` +
    "sets, its interval from the average of the sets' bootstrap replicates. Each set is resampled on its own." +
    `${resampling} Comparisons and verdicts use the primary set only.`;
}

/** The sections that have content in `report`. */
export function reportSections(report: Report): Section[] {
  const s = report.statistics;
  const seeds = report.run.seeds.length;
  // a report of external models only (`deno task eval --onnx`) has no cells: no matrix and no cell rows
  const sections: Section[] = report.cells.length === 0 ? [] : [{
    title: s
      ? `Verification accuracy, % [95% CI] (${seeds} seed${seeds > 1 ? "s" : ""})`
      : "Verification accuracy (10-fold, %)",
    note: s
      ? `Mean over seeds of the 10-fold accuracy with a ${100 * s.level}% interval from a bootstrap over ` +
        `${report.primaryEval?.identitiesKnown === false ? "pairs (the set has no identities)" : "test identities"}` +
        `${seeds > 1 ? " and seeds" : ""} (${s.resamples} resamples). Marks: ${marksLegend()}. ` +
        `Significance: paired bootstrap z-test on accuracy, Holm-corrected over ${s.comparisons.length} comparisons ` +
        `at α = ${s.alpha}.`
      : "Mean ± standard deviation over the 10 folds (no pair distances in this report, so no intervals).",
    table: accuracyMatrix(report),
  }];
  const perSet = evalSetTable(report);
  if (perSet) {
    sections.push({
      title: "Verification accuracy per evaluation set, % [95% CI]",
      note: evalSetNote(report),
      table: perSet,
    });
  }
  if (s && s.references.length > 0) {
    sections.push({
      title: "Reference rows",
      note: "The same pairs embedded by models this run did not train: raw pixels (grey, 28 × 28 block means, mean " +
        "removed, L2-normalised, flip-fused), every backbone at its initialisation (same init seed as its cells) and " +
        "external ONNX models (onnx:NAME, run in onnxruntime-web with the bench's flip fusion).",
      table: referenceTable(report),
    });
  }
  if (s && s.cells.length > 0) {
    sections.push({ title: "Cell statistics", note: null, table: cellStatisticsTable(report) });
  }
  if (s && s.comparisons.length > 0) {
    sections.push({
      title: "Paired comparisons",
      note: "Δ = a − b on the same resamples, with Δ ± 1.96 × its bootstrap standard error. p: two-sided z-test of " +
        "the accuracy difference over that standard error; p (Holm): adjusted over every comparison listed; " +
        "McNemar p: exact test on the first seed's k-fold pair decisions, shown for reference only (it treats pairs " +
        "as independent although they share identities).",
      table: comparisonsTable(report),
    });
  }
  if (report.cells.length > 0) {
    sections.push({ title: "Cells (one row per seed)", note: null, table: cellDetails(report) });
  }
  if (report.throughput.length > 0) {
    sections.push({ title: "Throughput", note: null, table: throughputTable(report) });
  }
  sections.push({ title: "Environment", note: null, table: environmentTable(report) });
  return sections;
}
