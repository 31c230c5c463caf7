/**
 * 1:1 verification with the face.evoLVe / arcface_torch protocol: squared Euclidean distance between the two
 * (L2-normalised) embeddings of a pair, "same" when the distance is below a threshold; 10 contiguous folds
 * (sklearn `KFold(10, shuffle=False)`), the threshold picked on the 9 training folds from the grid 0.00, 0.01, …,
 * 3.99 (the first threshold of maximal training accuracy, like `np.argmax`), accuracy measured on the held-out fold.
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

function correctCount(
  distances: ArrayLike<number>,
  issame: readonly boolean[],
  threshold: number,
  skip: [number, number],
) {
  let correct = 0;
  for (let i = 0; i < distances.length; i++) {
    if (i >= skip[0] && i < skip[1]) continue;
    if ((distances[i] < threshold) === issame[i]) correct++;
  }
  return correct;
}

/** Runs the k-fold protocol on precomputed pair distances; `issame[i]` says whether pair i is one identity. */
export function verifyDistances(
  distances: ArrayLike<number>,
  issame: readonly boolean[],
  options: VerificationOptions = {},
): VerificationResult {
  const n = distances.length;
  if (issame.length !== n) {
    throw new RangeError(`verifyDistances: ${n} distances but ${issame.length} issame labels; expected equal`);
  }
  const thresholds = options.thresholds ?? DISTANCE_THRESHOLDS;
  if (thresholds.length === 0) throw new RangeError("verifyDistances: thresholds must not be empty");
  const foldAccuracies: number[] = [];
  const foldThresholds: number[] = [];
  for (const [start, end] of kFoldBounds(n, options.folds ?? 10)) {
    let best = thresholds[0];
    let bestCorrect = -1;
    for (const t of thresholds) {
      const c = correctCount(distances, issame, t, [start, end]);
      if (c > bestCorrect) [best, bestCorrect] = [t, c];
    }
    let correct = 0;
    for (let i = start; i < end; i++) if ((distances[i] < best) === issame[i]) correct++;
    foldAccuracies.push(correct / (end - start));
    foldThresholds.push(best);
  }
  return {
    accuracyMean: mean(foldAccuracies),
    accuracyStd: populationStd(foldAccuracies),
    threshold: mean(foldThresholds),
    foldAccuracies,
    foldThresholds,
  };
}
