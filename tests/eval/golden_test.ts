/** The verification protocol against arcface_torch's numpy code (fixtures/golden/verification.json, written by
 * tools/golden_verification.py). */
import assert from "node:assert";
import { rocAuc, rocCurve, tarAtFar } from "../../src/eval/roc.ts";
import { verifyDistances } from "../../src/eval/verification.ts";

interface GoldenCase {
  distances: number[];
  issame: boolean[];
  foldAccuracies: number[];
  foldThresholds: number[];
  accuracyMean: number;
  accuracyStd: number;
  threshold: number;
  auc: number;
  tarAtFar: { far: number; tar: number }[];
}

const golden: Record<string, GoldenCase> = JSON.parse(
  await Deno.readTextFile(new URL("../../fixtures/golden/verification.json", import.meta.url)),
);

const near = (got: number, want: number, what: string) =>
  assert.ok(Math.abs(got - want) < 1e-12, `${what}: ${got} vs ${want}`);

for (const [name, g] of Object.entries(golden)) {
  Deno.test(`verification golden ${name}: fold accuracies and thresholds equal arcface_torch's`, () => {
    const r = verifyDistances(g.distances, g.issame);
    assert.deepStrictEqual(r.foldThresholds, g.foldThresholds);
    assert.deepStrictEqual(r.foldAccuracies, g.foldAccuracies);
    near(r.accuracyMean, g.accuracyMean, "mean");
    near(r.accuracyStd, g.accuracyStd, "std");
    near(r.threshold, g.threshold, "threshold");
  });
  Deno.test(`verification golden ${name}: AUC (Mann-Whitney) and TAR@FAR (brute force) agree`, () => {
    const curve = rocCurve(g.distances, g.issame);
    near(rocAuc(curve), g.auc, "auc");
    assert.deepStrictEqual(
      tarAtFar(curve, g.tarAtFar.map((t) => t.far)).map(({ far, tar }) => ({ far, tar })),
      g.tarAtFar,
    );
  });
}
