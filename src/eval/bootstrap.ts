/**
 * Identity-cluster bootstrap of the verification metrics, percentile intervals and paired comparisons.
 *
 * Pairs that share a test identity are not independent, so the bootstrap resamples identities, not pairs
 * (the two-way "pigeonhole" cluster bootstrap): resample b draws every identity's multiplicity m_b (the identities
 * drawn with replacement) and weighs a same-identity pair of identity a by m_b[a], a different-identity pair (a, c)
 * by m_b[a]·m_b[c]. A cell trained with S seeds also resamples seeds: resample b draws S seed indices with
 * replacement and the cell's value is the mean of the weighted per-seed metrics over them (repeats included).
 *
 * Metrics per seed: the weighted k-fold accuracy of `verification.ts` (mean over the folds of positive weight),
 * and the weighted ROC AUC and TAR@FAR of `roc.ts`. Point estimates are the unweighted metrics averaged over seeds
 * (with unit weights the weighted metrics are the unweighted ones, bit for bit).
 * One {@link ResamplePlan}, drawn once per report, serves every cell, so differences between cells are paired.
 *
 * Intervals are percentile intervals with numpy's default `np.percentile` rule ("linear": virtual index
 * (B − 1)·q, then numpy's two-sided lerp). A paired comparison of two cells is a bootstrap z-test: with Δ̂ the
 * observed difference of the point estimates and se the sample standard deviation of the resampled differences
 * Δ_b, p = 2·P(Z > |Δ̂| / se) and the interval is Δ̂ ± z_(1−α/2)·se, so the interval excludes 0 exactly when
 * p < α. Unlike a count of resamples on either side of 0, whose smallest p is 2/(B + 1), it resolves the p-values
 * that a Holm correction over dozens of comparisons needs.
 * @module
 */
import type { Rng } from "../core/rng.ts";
import { mean, normalQuantile, normalSurvival, sampleStd } from "./stats.ts";
import { distanceOrder, rocAuc, rocCurve, tarAtFar } from "./roc.ts";
import { binDistances, type BinnedDistances, verifyBinned } from "./verification.ts";

/** The pairs of one test set, as every cell of a report evaluates them. */
export interface EvaluatedPairs {
  /** whether each pair shows one identity twice */
  same: readonly boolean[];
  /** number of contiguous folds of the k-fold accuracy (see `kFoldBounds`) */
  folds: number;
  /** test identity index (0 … identities − 1) of each pair's left image */
  leftIdentity: Int32Array;
  /** test identity index of each pair's right image (equal to the left one exactly for same pairs) */
  rightIdentity: Int32Array;
  /** number of test identities */
  identities: number;
}

/** Bootstrap resamples shared by all cells of a report: entry b of each list belongs to resample b. */
export interface ResamplePlan {
  /** how often each identity is drawn (length `identities`, summing to `identities`) */
  identityCounts: Int32Array[];
  /** which training seeds are drawn (length `seeds`, with repetition) */
  seedPicks: Int32Array[];
}

/** The bootstrap replicates of one cell's metrics: entry b belongs to resample b of the plan. */
export interface ResampledMetrics {
  /** k-fold verification accuracy */
  accuracy: Float64Array;
  /** area under the ROC curve */
  auc: Float64Array;
  /** TAR at each FAR target, in target order */
  tarAtFar: Float64Array[];
}

/** A percentile interval. */
export interface Interval {
  /** lower end */
  low: number;
  /** upper end */
  high: number;
}

/** Paired bootstrap interval of a difference between two cells, with its standard error and p-value. */
export interface PairedComparison extends Interval {
  /** bootstrap standard error of the difference */
  se: number;
  /** two-sided p-value of "no difference" (bootstrap z-test) */
  p: number;
}

const positiveInteger = (where: string, name: string, value: number) => {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${where}: ${name} must be an integer >= 1, got ${value}`);
  }
};

/**
 * Draws `count` resamples: for each, in this order, `identities` draws `rng.int(identities)` (counted into the
 * multiplicities), then `seeds` draws `rng.int(seeds)`. Pass `new Rng(seed, "bootstrap")`.
 */
export function drawResamples(identities: number, seeds: number, count: number, rng: Rng): ResamplePlan {
  positiveInteger("drawResamples", "identities", identities);
  positiveInteger("drawResamples", "seeds", seeds);
  positiveInteger("drawResamples", "count", count);
  const plan: ResamplePlan = { identityCounts: [], seedPicks: [] };
  for (let b = 0; b < count; b++) {
    const counts = new Int32Array(identities);
    for (let i = 0; i < identities; i++) counts[rng.int(identities)]++;
    plan.identityCounts.push(counts);
    plan.seedPicks.push(Int32Array.from({ length: seeds }, () => rng.int(seeds)));
  }
  return plan;
}

function checkPairs(where: string, pairs: EvaluatedPairs): void {
  const { same, leftIdentity, rightIdentity, identities } = pairs;
  positiveInteger(where, "identities", identities);
  for (const [name, ids] of [["leftIdentity", leftIdentity], ["rightIdentity", rightIdentity]] as const) {
    if (ids.length !== same.length) {
      throw new RangeError(`${where}: ${same.length} pairs but ${ids.length} ${name} entries; expected equal`);
    }
    const bad = ids.findIndex((id) => id < 0 || id >= identities);
    if (bad >= 0) throw new RangeError(`${where}: ${name}[${bad}] = ${ids[bad]}, expected 0 … ${identities - 1}`);
  }
  const bad = same.findIndex((s, i) => s !== (leftIdentity[i] === rightIdentity[i]));
  if (bad >= 0) {
    throw new RangeError(
      `${where}: pair ${bad} is ${same[bad] ? "same" : "different"} but its identities are ` +
        `${leftIdentity[bad]} and ${rightIdentity[bad]}; expected same pairs to have equal identities and only they`,
    );
  }
}

/** Weight of every pair under identity multiplicities `counts`: m[a] for a same pair, m[a]·m[c] for a different one. */
export function pairWeights(pairs: EvaluatedPairs, counts: Int32Array): Float64Array {
  if (counts.length !== pairs.identities) {
    throw new RangeError(`pairWeights: ${counts.length} identity counts for ${pairs.identities} identities`);
  }
  const { same, leftIdentity, rightIdentity } = pairs;
  const weights = new Float64Array(same.length);
  for (let i = 0; i < weights.length; i++) {
    weights[i] = same[i] ? counts[leftIdentity[i]] : counts[leftIdentity[i]] * counts[rightIdentity[i]];
  }
  return weights;
}

/** One seed's distances, binned and sorted once for all resamples. */
interface PreparedSeed {
  distances: Float64Array;
  binned: BinnedDistances;
  order: Int32Array;
}

/** One seed's weighted metrics under one resample: accuracy, AUC, then TAR at each FAR target. */
function seedMetrics(
  seed: PreparedSeed,
  pairs: EvaluatedPairs,
  farTargets: readonly number[],
  weights: Float64Array,
): number[] {
  const curve = rocCurve(seed.distances, pairs.same, { weights, order: seed.order });
  return [
    verifyBinned(seed.binned, pairs.same, { folds: pairs.folds, weights }).accuracyMean,
    rocAuc(curve),
    ...tarAtFar(curve, farTargets).map((t) => t.tar),
  ];
}

/** The pair weights of every resample of `plan` ({@link pairWeights}), shared by every cell bootstrapped on it. */
export function resampleWeights(pairs: EvaluatedPairs, plan: ResamplePlan): Float64Array[] {
  return plan.identityCounts.map((counts) => pairWeights(pairs, counts));
}

/**
 * The bootstrap replicates of one cell: `distancesPerSeed[s][i]` is the squared distance of pair i for training
 * seed s; every resample of `plan` reweights the pairs and picks seeds as the module describes. (The point
 * estimates are the unweighted metrics of `evaluate.ts` averaged over seeds.) Throws if a resample leaves no same
 * or no different pair of positive weight, which takes a test set of very few identities. The pair weights of every
 * resample depend only on the pairs and the plan: a caller bootstrapping many cells computes them once with
 * {@link resampleWeights} and passes them in.
 */
export function bootstrapMetrics(
  pairs: EvaluatedPairs,
  distancesPerSeed: readonly Float64Array[],
  plan: ResamplePlan,
  farTargets: readonly number[] = [1e-3, 1e-2],
  weights: readonly Float64Array[] = resampleWeights(pairs, plan),
): ResampledMetrics {
  checkPairs("bootstrapMetrics", pairs);
  const seeds = distancesPerSeed.length;
  if (seeds === 0) throw new RangeError("bootstrapMetrics: distancesPerSeed is empty; expected one array per seed");
  const bad = distancesPerSeed.findIndex((d) => d.length !== pairs.same.length);
  if (bad >= 0) {
    throw new RangeError(
      `bootstrapMetrics: seed ${bad} has ${distancesPerSeed[bad].length} distances for ${pairs.same.length} pairs`,
    );
  }
  const count = plan.identityCounts.length;
  if (weights.length !== count) {
    throw new RangeError(`bootstrapMetrics: ${weights.length} weight vectors for ${count} resamples`);
  }
  if (count === 0 || plan.seedPicks.length !== count) {
    throw new RangeError(
      `bootstrapMetrics: plan has ${count} identity resamples and ${plan.seedPicks.length} seed resamples; ` +
        "expected the same number, at least 1",
    );
  }
  const badPick = plan.seedPicks.findIndex((p) => p.length !== seeds || p.some((s) => s < 0 || s >= seeds));
  if (badPick >= 0) {
    throw new RangeError(`bootstrapMetrics: seed picks of resample ${badPick} do not fit ${seeds} seeds`);
  }
  const prepared = distancesPerSeed.map((distances) => ({
    distances,
    binned: binDistances(distances),
    order: distanceOrder(distances),
  }));
  // values[m][b]: metric m (accuracy, AUC, TAR at each target) of resample b
  const values = Array.from({ length: 2 + farTargets.length }, () => new Float64Array(count));
  for (let b = 0; b < count; b++) {
    const perSeed: number[][] = [];
    const picks = Array.from(
      plan.seedPicks[b],
      (s) => perSeed[s] ??= seedMetrics(prepared[s], pairs, farTargets, weights[b]),
    );
    values.forEach((v, m) => v[b] = mean(picks.map((metrics) => metrics[m])));
  }
  const [accuracy, auc, ...tar] = values;
  return { accuracy, auc, tarAtFar: tar };
}

/** `np.percentile(values, q)` with numpy's default "linear" method, bit for bit; q in percent (0 … 100). */
export function percentile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) throw new RangeError("percentile: values is empty");
  if (!(q >= 0 && q <= 100)) throw new RangeError(`percentile: q must be in [0, 100], got ${q}`);
  const sorted = Float64Array.from(values).sort();
  if (Number.isNaN(sorted[sorted.length - 1])) throw new RangeError("percentile: values contain NaN");
  const index = (sorted.length - 1) * (q / 100);
  const below = Math.floor(index);
  const a = sorted[below], b = sorted[Math.min(below + 1, sorted.length - 1)];
  const t = index - below;
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
}

/** Central percentile interval holding `level` of the values (0.95: numpy's percentiles 2.5 and 97.5). */
export function percentileInterval(values: ArrayLike<number>, level = 0.95): Interval {
  if (!(level > 0 && level < 1)) throw new RangeError(`percentileInterval: level must be in (0, 1), got ${level}`);
  const tail = (100 - 100 * level) / 2; // in percent, so 0.95 gives exactly 2.5 and 97.5
  return { low: percentile(values, tail), high: percentile(values, 100 - tail) };
}

/**
 * Paired comparison of one metric of cells A and B bootstrapped with the same plan, given the observed difference
 * Δ̂ of their point estimates: the standard error of Δ_b = A_b − B_b, the z-test p-value and the normal interval
 * of the module doc (p = 1 when Δ̂ = 0; p = 0 when the resamples never differ but Δ̂ does).
 */
export function pairedComparison(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  observed: number,
  level = 0.95,
): PairedComparison {
  const count = a.length;
  if (b.length !== count || count < 2) {
    throw new RangeError(`pairedComparison: ${count} and ${b.length} replicates; expected the same number, at least 2`);
  }
  if (!Number.isFinite(observed)) throw new RangeError(`pairedComparison: observed must be finite, got ${observed}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`pairedComparison: level must be in (0, 1), got ${level}`);
  const se = sampleStd(Float64Array.from(a, (v, i) => v - b[i]));
  const p = observed === 0 ? 1 : se > 0 ? Math.min(1, 2 * normalSurvival(Math.abs(observed) / se)) : 0;
  const half = normalQuantile(1 - (1 - level) / 2) * se;
  return { low: observed - half, high: observed + half, se, p };
}
