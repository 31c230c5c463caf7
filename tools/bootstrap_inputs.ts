/**
 * Writes the fixed inputs of the bootstrap golden test, `fixtures/golden/bootstrap_inputs.json`: 300 pairs over 30
 * test identities, three cells ("strong", "close" — a near twin of strong — and "weak") with two training seeds
 * each, and the resample plan (B = 200) drawn by the project's RNG. tools/golden_bootstrap.py then computes every
 * statistic from it with numpy/scipy. Distances are rounded to 1e-3 so some tie, and every 11th lies exactly on a
 * threshold of the grid (e.g. 0.35000000000000003), where "same" (distance < threshold) flips.
 * Usage: `deno run --allow-write tools/bootstrap_inputs.ts`.
 * @module
 */
import { Rng } from "../src/core/rng.ts";
import { drawResamples } from "../src/eval/bootstrap.ts";
import { DISTANCE_THRESHOLDS } from "../src/eval/verification.ts";

const identities = 30, pairCount = 300, seeds = 2, resamples = 200;
const rng = new Rng(20261205, "golden-bootstrap");

const same = Array.from({ length: pairCount }, () => rng.int(2) === 0);
const leftIdentity = Int32Array.from(same, () => rng.int(identities));
const rightIdentity = Int32Array.from(
  same,
  (s, i) => s ? leftIdentity[i] : (leftIdentity[i] + 1 + rng.int(identities - 1)) % identities,
);
// identities that are hard for every model make the cells' errors correlated, as on real test sets
const hardness = Array.from({ length: identities }, () => rng.normal(0, 0.12));

function distances(shift: number, noise: number): number[] {
  return same.map((s, i) => {
    const hard = hardness[leftIdentity[i]] + (s ? 0 : hardness[rightIdentity[i]]);
    const d = (s ? 0.9 + shift + hard : 1.6 - shift - hard) + rng.normal(0, noise);
    const rounded = Math.round(Math.min(4, Math.max(0, d)) * 1000) / 1000;
    return i % 11 === 5 ? DISTANCE_THRESHOLDS[Math.min(399, Math.round(rounded * 100))] : rounded;
  });
}

const cells = {
  strong: [distances(0, 0.25), distances(0, 0.25)],
  close: [distances(0.02, 0.26), distances(0.02, 0.26)],
  weak: [distances(0.15, 0.3), distances(0.15, 0.3)],
};
const plan = drawResamples(identities, seeds, resamples, new Rng(2026, "bootstrap"));

const inputs = {
  folds: 10,
  identities,
  farTargets: [0.01, 0.1],
  same,
  leftIdentity: Array.from(leftIdentity),
  rightIdentity: Array.from(rightIdentity),
  cells,
  plan: {
    identityCounts: plan.identityCounts.map((c) => Array.from(c)),
    seedPicks: plan.seedPicks.map((p) => Array.from(p)),
  },
  mcnemarCases: [[0, 5], [1, 9], [3, 7], [12, 12], [40, 60], [499, 600], [4990, 5010], [49000, 51000], [0, 100000]],
  holmInput: [0.01, 0.04, 0.03, 0.005, 0.5, 0.04, 0.3],
};
const out = new URL("../fixtures/golden/bootstrap_inputs.json", import.meta.url);
await Deno.writeTextFile(out, JSON.stringify(inputs) + "\n");
console.log(`wrote ${out.pathname}`);
