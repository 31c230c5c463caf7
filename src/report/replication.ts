/**
 * Do a report's significant findings replicate? Every comparison that is significant in a first report (after its
 * Holm correction) is tested again on a second report of the same pairs — typically the same preset with a
 * disjoint set of seeds — on the second report's own resamples, Holm-corrected over those re-tests. An ordering
 * replicates when the second report finds it significant in the same direction.
 * @module
 */
import { holm } from "../eval/significance.ts";
import { pValueText, signedIntervalText, signedText } from "./format.ts";
import type { Report } from "./schema.ts";
import { ALPHA, compareRows, rowsByKey } from "./statistics.ts";
import { primaryEvalName, type Table } from "./tables.ts";

/** One significant ordering of the first report and its re-test in the second. */
export interface ReplicationRow {
  /** what the first report compared it for */
  purpose: string;
  /** the better row in the first report */
  better: string;
  /** the worse row in the first report */
  worse: string;
  /** accuracy(better) − accuracy(worse) in the first report, and its Holm-adjusted p */
  first: { difference: number; pHolm: number };
  /** the same difference in the second report, its interval and Holm-adjusted p (over the re-tests) */
  second: { difference: number; low: number; high: number; pHolm: number };
  /** "replicated", "same direction, not significant" or "reversed" */
  verdict: string;
}

/** The re-tests, and how many orderings replicated. */
export interface Replication {
  /** one row per significant ordering of the first report */
  rows: ReplicationRow[];
  /** orderings significant in the second report in the same direction */
  replicated: number;
}

/**
 * Re-tests the significant orderings of `first` on `second`; both must be evaluated on the same pairs of the same
 * primary set. (Comparisons are made on the primary set only, so further evaluation sets play no part.)
 */
export function replicate(first: Report, second: Report, sources: [string, string] = ["first", "second"]): Replication {
  if (!first.statistics) throw new Error(`replicate: ${sources[0]} has no statistics`);
  // a report from before evaluation sets (primaryEval null) names its set by the dataset id and has no hash of it
  const hashes = [first.primaryEval?.hash, second.primaryEval?.hash];
  const sameSet = primaryEvalName(first) === primaryEvalName(second) &&
    (hashes.includes(undefined) || hashes[0] === hashes[1]);
  if (!sameSet || JSON.stringify(first.evaluation) !== JSON.stringify(second.evaluation) || first.evaluation === null) {
    throw new Error(`replicate: ${sources[0]} and ${sources[1]} are not evaluated on the same pairs`);
  }
  const rows = rowsByKey(second, `replicate: ${sources[1]}`);
  const significant = first.statistics.comparisons.filter((c) => c.significant);
  const tests = significant.map((c) => {
    const [better, worse] = c.accuracy.value > 0 ? [c.a, c.b] : [c.b, c.a];
    const a = rows.get(better), b = rows.get(worse);
    if (!a || !b) throw new Error(`replicate: ${sources[1]} has no row ${a ? worse : better}`);
    return { c, better, worse, again: compareRows(a, b) };
  });
  const adjusted = holm(tests.map((t) => t.again.p));
  const out = tests.map(({ c, better, worse, again }, i): ReplicationRow => {
    const replicated = adjusted[i] < ALPHA && again.accuracy.value > 0;
    return {
      purpose: c.purpose,
      better,
      worse,
      first: { difference: Math.abs(c.accuracy.value), pHolm: c.pHolm },
      second: {
        difference: again.accuracy.value,
        low: again.accuracy.low,
        high: again.accuracy.high,
        pHolm: adjusted[i],
      },
      verdict: replicated ? "replicated" : again.accuracy.value > 0 ? "same direction, not significant" : "reversed",
    };
  });
  return { rows: out, replicated: out.filter((r) => r.verdict === "replicated").length };
}

/** The replication as a table (differences in accuracy points). */
export function replicationTable(replication: Replication): Table {
  return {
    header: ["better", "worse", "for", "first Δ", "first p (Holm)", "second Δ [95% CI]", "second p (Holm)", "verdict"],
    rows: replication.rows.map((r) => [
      r.better,
      r.worse,
      r.purpose,
      signedText(r.first.difference),
      pValueText(r.first.pHolm),
      signedIntervalText({ value: r.second.difference, low: r.second.low, high: r.second.high }),
      pValueText(r.second.pHolm),
      r.verdict,
    ]),
  };
}
