/**
 * The findings of a suite: each claim declared in `benchmarks/suites/<name>.json` ("row A is more accurate than row
 * B in the report of part P") is tested as a paired comparison on that report's own bootstrap resamples (the same
 * test as the report's statistics: Δ accuracy over its bootstrap standard error), and the p-values of all claims
 * are Holm-corrected together. A claim is **reproduced** when it is significant after that correction with Δ > 0,
 * **reversed** when significant with Δ < 0, and **not significant** otherwise. A claim whose better row did not
 * train by the report's criterion (loss halved) carries a note. `findings.json` is the source of truth;
 * `findings.md` renders it. The claim schema lives here (a suite file, `src/bench/suite.ts`, holds a list of them).
 * @module
 */
import { join } from "node:path";
import { z } from "zod";
import { holm } from "../eval/significance.ts";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { intervalText, pValueText, signedIntervalText } from "./format.ts";
import { markdownTable } from "./markdown.ts";
import { estimateSchema, type Report } from "./schema.ts";
import { ALPHA, compareRows, rowsByKey } from "./statistics.ts";
import type { Table } from "./tables.ts";

/** One claim of a suite: `better` is significantly more accurate than `worse` in the report of `part`. */
export const claimSchema = z.object({
  /** short id, e.g. "a-arcface" */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and dashes"),
  /** the claim in words */
  statement: z.string().min(1),
  /** where the field reports it (paper, table) */
  source: z.string().min(1),
  /** the preset (one of the suite's parts) whose report tests it */
  part: z.string().min(1),
  /** statistics key of the row claimed to be more accurate */
  better: z.string().min(1),
  /** statistics key of the row claimed to be less accurate */
  worse: z.string().min(1),
}).strict();

/** A claim of a suite. */
export type Claim = z.infer<typeof claimSchema>;

/** Version of `findings.json`. */
export const FINDINGS_VERSION = 1;

/** The outcome of one claim. */
export const claimResultSchema = z.object({
  id: z.string(),
  statement: z.string(),
  source: z.string(),
  part: z.string(),
  better: z.string(),
  worse: z.string(),
  /** accuracy of each row (mean over seeds) with its 95% interval */
  betterAccuracy: estimateSchema,
  worseAccuracy: estimateSchema,
  /** accuracy(better) − accuracy(worse) and its interval Δ ± 1.96 se */
  difference: estimateSchema,
  /** the same for AUC (shown, not used for the verdict) */
  aucDifference: estimateSchema,
  /** two-sided bootstrap z-test p, and Holm-adjusted over the suite's claims */
  p: z.number(),
  pHolm: z.number(),
  verdict: z.enum(["reproduced", "not significant", "reversed"]),
  /** caveats, e.g. a row that did not train */
  notes: z.array(z.string()),
}).strict();

/** The outcome of one claim. */
export type ClaimResult = z.infer<typeof claimResultSchema>;

/** `findings.json`. */
export const findingsSchema = z.object({
  version: z.literal(FINDINGS_VERSION),
  suite: z.string(),
  description: z.string(),
  createdAt: z.string(),
  command: z.string(),
  alpha: z.number(),
  /** the report of each part: preset, run id, path relative to findings.json, seeds */
  parts: z.array(
    z.object({
      preset: z.string(),
      runId: z.string(),
      report: z.string(),
      seeds: z.array(z.number().int()),
    }).strict(),
  ),
  claims: z.array(claimResultSchema),
}).strict();

/** `findings.json`. */
export type Findings = z.infer<typeof findingsSchema>;

/** A part's report and where it is. */
export interface PartReport {
  /** the report */
  report: Report;
  /** its path, relative to the findings file */
  path: string;
}

/** Why a row may not be trusted: a cell of `report` (any seed) whose training loss did not halve. */
function untrainedNote(report: Report, key: string): string | null {
  const stats = report.statistics?.cells.find((c) => c.key === key);
  return stats && !stats.trained ? `${key}: training loss did not halve` : null;
}

/** Tests every claim of `suite` on the reports of its parts (by preset name); Holm over all claims. */
export function evaluateClaims(
  suite: { readonly claims: readonly Claim[] },
  reports: ReadonlyMap<string, PartReport>,
): ClaimResult[] {
  const tested = suite.claims.map((claim: Claim) => {
    const part = reports.get(claim.part);
    if (!part) throw new Error(`claim ${claim.id}: no report of part ${claim.part}`);
    const rows = rowsByKey(part.report, `claim ${claim.id}: report ${part.path}`);
    const [better, worse] = [claim.better, claim.worse].map((key) => {
      const row = rows.get(key);
      if (!row) throw new Error(`claim ${claim.id}: report ${part.path} has no row ${key} (a failed cell?)`);
      return row;
    });
    const accuracyOf = (key: string) => {
      const s = part.report.statistics;
      const found = [...(s?.cells ?? []), ...(s?.references ?? [])].find((r) => r.key === key);
      if (!found) throw new Error(`claim ${claim.id}: report ${part.path} has no statistics of ${key}`);
      return found.accuracy;
    };
    return {
      claim,
      comparison: compareRows(better, worse),
      betterAccuracy: accuracyOf(claim.better),
      worseAccuracy: accuracyOf(claim.worse),
      notes: [claim.better, claim.worse].map((k) => untrainedNote(part.report, k)).filter((n) => n !== null),
    };
  });
  const adjusted = holm(tested.map((t) => t.comparison.p));
  return tested.map(({ claim, comparison, betterAccuracy, worseAccuracy, notes }, i) => {
    const significant = adjusted[i] < ALPHA;
    const verdict = !significant ? "not significant" : comparison.accuracy.value > 0 ? "reproduced" : "reversed";
    return {
      ...claim,
      betterAccuracy,
      worseAccuracy,
      difference: comparison.accuracy,
      aucDifference: comparison.auc,
      p: comparison.p,
      pHolm: adjusted[i],
      verdict,
      notes,
    };
  });
}

/** The claims as a table (accuracy in %, differences in points). */
export function claimsTable(claims: readonly ClaimResult[]): Table {
  return {
    header: ["claim", "part", "better", "worse", "Δ accuracy [95% CI]", "p (Holm)", "verdict"],
    rows: claims.map((c) => [
      c.id,
      c.part,
      `${c.better} ${intervalText(c.betterAccuracy)}`,
      `${c.worse} ${intervalText(c.worseAccuracy)}`,
      signedIntervalText(c.difference),
      pValueText(c.pHolm),
      c.verdict + (c.notes.length > 0 ? ` (${c.notes.join("; ")})` : ""),
    ]),
  };
}

/** `findings.md`: the claims table, each claim in words with its source, and the part reports. */
export function renderFindingsMarkdown(findings: Findings): string {
  const reproduced = findings.claims.filter((c) => c.verdict === "reproduced").length;
  return [
    `# facebench findings: suite ${findings.suite}`,
    findings.description,
    `${reproduced} of ${findings.claims.length} claims reproduced (paired identity-bootstrap z-test on accuracy, ` +
    `Holm over the ${findings.claims.length} claims, α = ${findings.alpha}). Command: \`${findings.command}\`.`,
    markdownTable(claimsTable(findings.claims)),
    "## Claims",
    findings.claims.map((c) => `- **${c.id}**: ${c.statement} (${c.source})`).join("\n"),
    "## Part reports",
    findings.parts.map((p) => `- ${p.preset}: [${p.report}](${p.report}) (seeds ${p.seeds.join(", ")})`).join("\n"),
  ].join("\n\n") + "\n";
}

/** Validates `findings` and writes `findings.json` and `findings.md` into `dir`, each atomically. */
export async function writeFindings(dir: string, findings: Findings): Promise<{ json: string; markdown: string }> {
  const valid = findingsSchema.parse(findings);
  const files = { json: join(dir, "findings.json"), markdown: join(dir, "findings.md") };
  await writeFileAtomic(files.json, JSON.stringify(valid, null, 2) + "\n");
  await writeFileAtomic(files.markdown, renderFindingsMarkdown(valid));
  return files;
}
