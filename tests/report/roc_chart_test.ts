/**
 * The reference rows' ROC samples (`roc_chart.ts`) on a hand-computed case: four pairs, the same pairs at distances
 * 0.1 and 0.4, the different ones at 0.2 and 0.3, so the exact ROC is (0, ½), (½, ½), (1, ½), (1, 1): the best TAR is
 * ½ at every FAR below 1 and 1 at FAR 1. Also which rows are drawn (the first seed of a seeded row, rows that kept
 * their distances) and when there is no chart.
 */
import assert from "node:assert";
import { encodeDistances } from "../../src/report/distances.ts";
import { referenceRoc } from "../../src/report/roc_chart.ts";
import type { Reference, Report } from "../../src/report/schema.ts";
import { syntheticReport } from "./_fixture.ts";

/** A reference row with `distances` on the four pairs (metrics are not read by the ROC). */
function row(kind: Reference["kind"], backbone: string | null, seed: number | null, distances: number[] | null) {
  const metrics = { accuracyMean: 0.5, accuracyStd: 0, threshold: 0, auc: 0.5, tarAtFar: [], rank1: null };
  return { kind, backbone, seed, metrics, distances: distances && encodeDistances(distances), evalSets: [] };
}

function fourPairReport(references: Reference[]): Report {
  const report = syntheticReport();
  const evaluation = { identities: 4, folds: 2, leftIdentity: [0, 1, 2, 3], rightIdentity: [0, 2, 3, 3] };
  return { ...report, references, evaluation: { ...evaluation, same: [1, 0, 0, 1] } };
}

Deno.test("referenceRoc: the best TAR at log-spaced FARs from one false accept to 1, from the exact ROC", () => {
  const roc = referenceRoc(fourPairReport([row("onnx", "m", null, [0.1, 0.2, 0.3, 0.4])]))!;
  // two different pairs: FARs from 1/2 to 1, ceil(20 · log10 2) = 7 steps
  assert.strictEqual(roc.fars.length, 8);
  assert.strictEqual(roc.fars[0], 0.5);
  assert.strictEqual(roc.fars.at(-1), 1);
  assert.ok(roc.fars.every((f, k) => k === 0 || f > roc.fars[k - 1]), "ascending");
  assert.deepStrictEqual(roc.points.map((p) => p.tar), [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1]);
  assert.deepStrictEqual(roc.points.map((p) => p.far), roc.fars);
  assert.ok(roc.points.every((p) => p.row === "onnx:m"));
});

Deno.test("referenceRoc: seeded rows at the run's first seed, rows without distances left out; null without rows", () => {
  const seed = syntheticReport().run.seeds[0];
  const roc = referenceRoc(fourPairReport([
    row("raw_pixels", null, null, [0.3, 0.1, 0.2, 0.4]),
    row("untrained", "a", seed + 1, [0.1, 0.5, 0.6, 0.2]),
    row("untrained", "a", seed, [0.1, 0.3, 0.2, 0.4]),
    row("untrained", "b", seed, null),
  ]))!;
  assert.deepStrictEqual([...new Set(roc.points.map((p) => p.row))], ["raw_pixels", "untrained:a"]);
  const tars = (key: string) => roc.points.filter((p) => p.row === key).map((p) => p.tar);
  // raw pixels rank both different pairs first: TAR 0 until FAR 1
  assert.deepStrictEqual(tars("raw_pixels"), [0, 0, 0, 0, 0, 0, 0, 1]);
  // the first seed's row (the other seed's would give TAR 1 everywhere)
  assert.deepStrictEqual(tars("untrained:a"), [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1]);
  assert.strictEqual(roc.seed, seed);
  assert.strictEqual(referenceRoc(fourPairReport([row("untrained", "b", seed, null)])), null);
  assert.strictEqual(
    referenceRoc({ ...fourPairReport([row("onnx", "m", null, [1, 2, 3, 4])]), evaluation: null }),
    null,
  );
});
