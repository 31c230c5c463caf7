/**
 * The synthetic report evaluated on two further sets (as the seed paper's Table 3 does): "orl", the synthetic pairs
 * again with their identities, and "lfw", a `.bin`-like set of 120 pairs without identities, whose bootstrap units
 * are pairs (a same pair is one unit, a different pair two). Every row is 5 points of quality lower on each next set;
 * the report carries a t-SNE map of three identities.
 * @module
 */
import type { Evaluation, FurtherEvalSet, Report } from "../../src/report/schema.ts";
import { syntheticEvaluation, syntheticReport } from "./_fixture.ts";

/**
 * 10 folds of 12 pairs as a `.bin` file holds them: 6 same pairs, then 6 different pairs; units numbered in pair
 * order (one per same pair, two per different pair).
 */
export const binEvaluation: Evaluation = (() => {
  const left: number[] = [], right: number[] = [], same: (0 | 1)[] = [];
  for (let i = 0; i < 120; i++) {
    const isSame = i % 12 < 6;
    const unit = left.length === 0 ? 0 : Math.max(left.at(-1)!, right.at(-1)!) + 1;
    left.push(unit);
    right.push(isSame ? unit : unit + 1);
    same.push(isSame ? 1 : 0);
  }
  return { identities: right.at(-1)! + 1, folds: 10, leftIdentity: left, rightIdentity: right, same };
})();

/** The two further sets, in report order. */
export const FURTHER_EVAL_SETS: readonly FurtherEvalSet[] = [
  {
    name: "orl",
    source: "orl",
    kind: "dataset",
    hash: "cd".repeat(32),
    identitiesKnown: true,
    evaluation: syntheticEvaluation,
  },
  {
    name: "lfw",
    source: "data/lfw.bin",
    kind: "bin",
    hash: "ef".repeat(32),
    identitiesKnown: false,
    evaluation: binEvaluation,
  },
];

/** The synthetic report with {@link FURTHER_EVAL_SETS}, its primary set named, and a t-SNE map. */
export function evalSetsReport(): Report {
  const report = syntheticReport(7, FURTHER_EVAL_SETS);
  return {
    ...report,
    primaryEval: {
      name: "synthface-ci",
      source: "synthface-ci",
      kind: "dataset",
      hash: "ab".repeat(32),
      identitiesKnown: true,
    },
    tsne: {
      cell: "ir_se_50_tiny/arcface",
      seed: 1337,
      evalSet: "synthface-ci",
      perplexity: 5,
      iterations: 250,
      points: Array.from({ length: 12 }, (_, i) => ({
        x: Math.cos(i) + 3 * (i % 3),
        y: Math.sin(i) + 2 * (i % 3),
        identity: 4 * (i % 3),
      })),
    },
  };
}
