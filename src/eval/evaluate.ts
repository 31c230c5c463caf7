/**
 * The verification metrics of one report cell from pair embeddings or pair distances: k-fold accuracy,
 * threshold, ROC AUC and TAR at FAR.
 * @module
 */
import { rocAuc, rocCurve, type TarAtFar, tarAtFar } from "./roc.ts";
import { pairDistances, type VerificationOptions, type VerificationResult, verifyDistances } from "./verification.ts";

/** Everything a report cell needs about 1:1 verification. */
export interface VerificationMetrics extends VerificationResult {
  /** area under the ROC curve */
  auc: number;
  /** TAR at each FAR target */
  tarAtFar: TarAtFar[];
}

/** Options of {@link evaluatePairs}. */
export interface EvaluatePairsOptions extends VerificationOptions {
  /** FAR targets (default 1e-3, 1e-2) */
  farTargets?: readonly number[];
}

/** Evaluates precomputed pair distances (squared Euclidean between L2-normalised embeddings). */
export function evaluateDistances(
  distances: ArrayLike<number>,
  issame: readonly boolean[],
  options: EvaluatePairsOptions = {},
): VerificationMetrics {
  const curve = rocCurve(distances, issame);
  return {
    ...verifyDistances(distances, issame, options),
    auc: rocAuc(curve),
    tarAtFar: tarAtFar(curve, options.farTargets),
  };
}

/**
 * Evaluates pairs given as two row-aligned embedding matrices (row i of `left` and of `right` form pair i),
 * already flip-fused and L2-normalised (see `fuseFlip`).
 */
export function evaluatePairs(
  left: Float32Array,
  right: Float32Array,
  dim: number,
  issame: readonly boolean[],
  options: EvaluatePairsOptions = {},
): VerificationMetrics {
  return evaluateDistances(pairDistances(left, right, dim), issame, options);
}
