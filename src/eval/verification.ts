/**
 * 1:1 verification with the face.evoLVe / arcface_torch protocol: squared Euclidean distance between the two
 * (L2-normalised) embeddings of a pair, "same" when the distance is below a threshold; 10 contiguous folds
 * (sklearn `KFold(10, shuffle=False)`), the threshold picked on the 9 training folds from the grid 0.00, 0.01, …,
 * 3.99 (the first threshold of maximal training accuracy, like `np.argmax`), accuracy measured on the held-out fold.
 *
 * Pairs may carry non-negative weights (the identity-cluster bootstrap of `bootstrap.ts` does): every count becomes a
 * weighted sum, the threshold maximises the weighted number of correct training decisions, a fold's accuracy is its
 * weighted correct / weighted total, and the summaries cover the folds of positive weight. With unit weights every
 * number is the unweighted one, bit for bit (integer weights keep every sum exact).
 *
 * Counting is O(pairs + thresholds) per fold: each pair is binned once by the number of thresholds ≤ its distance
 * (pair i is "same" under threshold j iff its bin ≤ j when the thresholds are sorted), weighted bin histograms per
 * fold and their prefix sums then give the correct count of every threshold.
 * @module
 */
import { rowCount, squaredDistance } from "./embeddings.ts";
import { mean, populationStd } from "./stats.ts";

/** Options of {@link verifyDistances}. */
export interface VerificationOptions {
  /** number of folds (default 10) */
  folds?: number;
  /** candidate thresholds on squared distance (default: 0.00 … 3.99 step 0.01) */
  thresholds?: readonly number[];
  /** non-negative weight of each pair (default 1 each) */
  weights?: ArrayLike<number>;
}

/** Result of the k-fold verification protocol. */
export interface VerificationResult {
  /** mean of the held-out fold accuracies */
  accuracyMean: number;
  /** population standard deviation of the held-out fold accuracies */
  accuracyStd: number;
  /** mean of the per-fold best thresholds (what face.evoLVe reports as "best threshold") */
  threshold: number;
  /** held-out accuracy of each fold, in fold order */
  foldAccuracies: number[];
  /** threshold picked on the training folds of each fold */
  foldThresholds: number[];
}

/**
 * The face.evoLVe / arcface_torch threshold grid `np.arange(0, 4, 0.01)`: 400 values computed as `i * 0.01` in
 * float64, exactly as numpy does (so 0.35 is 0.35000000000000003, as there).
 */
export const DISTANCE_THRESHOLDS: readonly number[] = Object.freeze(Array.from({ length: 400 }, (_, i) => i * 0.01));

/** Squared distance between row i of `left` and row i of `right`, for every pair. */
export function pairDistances(left: Float32Array, right: Float32Array, dim: number): Float64Array {
  const n = rowCount("pairDistances: left", left, dim);
  if (rowCount("pairDistances: right", right, dim) !== n) {
    throw new RangeError(`pairDistances: left has ${n} rows, right ${right.length / dim}; expected equal`);
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = squaredDistance(left, i, right, i, dim);
  return out;
}

/** Contiguous fold boundaries of sklearn `KFold(k, shuffle=False)`: the first `n % k` folds get one extra item. */
export function kFoldBounds(n: number, k: number): [number, number][] {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`kFoldBounds: folds must be an integer >= 2, got ${k}`);
  if (n < k) throw new RangeError(`kFoldBounds: ${n} pairs cannot be split into ${k} folds`);
  const bounds: [number, number][] = [];
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    bounds.push([start, start + size]);
    start += size;
  }
  return bounds;
}

/** Distances binned against a threshold grid by {@link binDistances}; reusable across weightings. */
export interface BinnedDistances {
  /** the grid, in the caller's order (ties between thresholds go to the first, as `np.argmax`) */
  thresholds: readonly number[];
  /** rank of each threshold in ascending order */
  rank: Int32Array;
  /** per pair, the number of thresholds ≤ its distance (all of them for NaN, which is never "same") */
  bins: Int32Array;
}

/** Bins every distance against `thresholds` (binary search, exact float comparisons). */
export function binDistances(
  distances: ArrayLike<number>,
  thresholds: readonly number[] = DISTANCE_THRESHOLDS,
): BinnedDistances {
  if (thresholds.length === 0) throw new RangeError("binDistances: thresholds must not be empty");
  if (thresholds.some(Number.isNaN)) throw new RangeError("binDistances: thresholds must not be NaN");
  const sortedIndex = Int32Array.from(thresholds.keys()).sort((a, b) => thresholds[a] - thresholds[b] || a - b);
  const sorted = Float64Array.from(sortedIndex, (i) => thresholds[i]);
  const rank = new Int32Array(thresholds.length);
  sortedIndex.forEach((t, r) => rank[t] = r);
  const bins = new Int32Array(distances.length);
  for (let i = 0; i < distances.length; i++) {
    const d = distances[i];
    let lo = 0, hi = sorted.length; // first sorted threshold t with d < t
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (d < sorted[mid]) hi = mid;
      else lo = mid + 1;
    }
    bins[i] = lo;
  }
  return { thresholds, rank, bins };
}

/** Runs the k-fold protocol on precomputed pair distances; `issame[i]` says whether pair i is one identity. */
export function verifyDistances(
  distances: ArrayLike<number>,
  issame: readonly boolean[],
  options: VerificationOptions = {},
): VerificationResult {
  if (issame.length !== distances.length) {
    throw new RangeError(
      `verifyDistances: ${distances.length} distances but ${issame.length} issame labels; expected equal`,
    );
  }
  return verifyBinned(binDistances(distances, options.thresholds), issame, options);
}

/** {@link verifyDistances} on distances binned once by {@link binDistances} (`options.thresholds` is ignored). */
export function verifyBinned(
  binned: BinnedDistances,
  issame: readonly boolean[],
  options: VerificationOptions = {},
): VerificationResult {
  const { bins, rank, thresholds } = binned;
  const { weights } = options;
  const n = bins.length;
  if (issame.length !== n) throw new RangeError(`verifyBinned: ${n} distances but ${issame.length} issame labels`);
  if (weights && weights.length !== n) {
    throw new RangeError(`verifyBinned: ${n} distances but ${weights.length} weights`);
  }
  const bounds = kFoldBounds(n, options.folds ?? 10);
  const width = thresholds.length + 1;
  // pos/neg[f * width + k]: weight of fold f's same/different pairs in bin k; row `folds` holds all folds.
  // posSum/negSum[f]: the same over all bins.
  const folds = bounds.length, all = folds * width;
  const pos = new Float64Array((folds + 1) * width), neg = new Float64Array(pos.length);
  const posSum = new Float64Array(folds + 1), negSum = new Float64Array(folds + 1);
  for (let f = 0; f < folds; f++) {
    for (let i = bounds[f][0]; i < bounds[f][1]; i++) {
      const w = weights ? weights[i] : 1;
      if (issame[i]) {
        pos[f * width + bins[i]] += w;
        posSum[f] += w;
      } else {
        neg[f * width + bins[i]] += w;
        negSum[f] += w;
      }
    }
    for (let k = 0; k < width; k++) {
      pos[all + k] += pos[f * width + k];
      neg[all + k] += neg[f * width + k];
    }
    posSum[folds] += posSum[f];
    negSum[folds] += negSum[f];
  }
  const trainCorrect = new Float64Array(width - 1);
  const foldAccuracies: number[] = [];
  const foldThresholds: number[] = [];
  for (let f = 0; f < folds; f++) {
    const row = f * width;
    // correct(j) = same pairs with bin ≤ j + different pairs with bin > j, over the training folds
    let samesAccepted = 0, differentsAccepted = 0;
    const trainNegatives = negSum[folds] - negSum[f];
    for (let j = 0; j + 1 < width; j++) {
      samesAccepted += pos[all + j] - pos[row + j];
      differentsAccepted += neg[all + j] - neg[row + j];
      trainCorrect[j] = samesAccepted + (trainNegatives - differentsAccepted);
    }
    let best = 0;
    for (let t = 1; t < thresholds.length; t++) if (trainCorrect[rank[t]] > trainCorrect[rank[best]]) best = t;
    let correct = negSum[f];
    for (let k = 0; k <= rank[best]; k++) correct += pos[row + k] - neg[row + k];
    const weight = posSum[f] + negSum[f];
    foldAccuracies.push(weight > 0 ? correct / weight : NaN);
    foldThresholds.push(thresholds[best]);
  }
  const kept = bounds.map((_, f) => f).filter((f) => !Number.isNaN(foldAccuracies[f]));
  const keptAccuracies = kept.map((f) => foldAccuracies[f]);
  return {
    accuracyMean: mean(keptAccuracies),
    accuracyStd: populationStd(keptAccuracies),
    threshold: mean(kept.map((f) => foldThresholds[f])),
    foldAccuracies,
    foldThresholds,
  };
}

/**
 * Whether the k-fold protocol decides each pair correctly on its held-out fold (with the threshold chosen on the
 * other folds): the per-pair outcomes that McNemar's test compares between two models.
 */
export function foldDecisions(distances: ArrayLike<number>, issame: readonly boolean[], folds = 10): boolean[] {
  const { foldThresholds } = verifyDistances(distances, issame, { folds });
  const correct: boolean[] = new Array(distances.length);
  kFoldBounds(distances.length, folds).forEach(([start, end], f) => {
    for (let i = start; i < end; i++) correct[i] = (distances[i] < foldThresholds[f]) === issame[i];
  });
  return correct;
}
