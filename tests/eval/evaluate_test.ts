import assert from "node:assert";
import { evaluatePairs } from "../../src/eval/evaluate.ts";

Deno.test("evaluatePairs: accuracy, AUC and TAR@FAR from row-aligned embeddings", () => {
  // 4 pairs of 2-d unit vectors: squared distances 0 (same), 2 (different), 0.5858 (same), 4 (different)
  const s = Math.SQRT1_2;
  const left = new Float32Array([1, 0, 1, 0, 1, 0, 1, 0]);
  const right = new Float32Array([1, 0, 0, 1, s, s, -1, 0]);
  const m = evaluatePairs(left, right, 2, [true, false, true, false], { folds: 2, farTargets: [0] });
  // fold 0 trains on pairs 2, 3 (0.586 same, 4 diff): first perfect threshold 0.59, and pairs 0, 1 pass.
  // fold 1 trains on pairs 0, 1 (0 same, 2 diff): threshold 0.01, which rejects the same pair 2 (0.586): 1/2.
  assert.deepStrictEqual(m.foldThresholds, [0.59, 0.01]);
  assert.deepStrictEqual(m.foldAccuracies, [1, 0.5]);
  assert.strictEqual(m.accuracyMean, 0.75);
  assert.strictEqual(m.accuracyStd, 0.25);
  assert.ok(Math.abs(m.threshold - 0.3) < 1e-12);
  assert.strictEqual(m.auc, 1);
  assert.strictEqual(m.tarAtFar[0].tar, 1);
});
