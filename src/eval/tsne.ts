/**
 * t-SNE (van der Maaten & Hinton, "Visualizing Data using t-SNE", JMLR 9, 2008) of n points in d dimensions to a
 * 2-D map, with the **exact** O(n²) gradient (no Barnes-Hut): time and memory grow with n², so at most
 * {@link TSNE_MAX_POINTS} points are accepted (an n × n float64 matrix of 3,000 points is 72 MB).
 *
 * - Affinities: p_j|i ∝ exp(−β_i ‖x_i − x_j‖²) over squared Euclidean distances, β_i found by binary search so that
 *   row i's entropy (nats) equals log(perplexity) within 1e-5, at most 100 halvings/doublings (scikit-learn's
 *   `_binary_search_perplexity`); perplexity defaults to 30 and is lowered to (n − 1)/3 when larger (openTSNE).
 *   Joint P = (p_j|i + p_i|j) / 2n.
 * - Map: q_ij ∝ (1 + ‖y_i − y_j‖²)^−1; gradient 4 Σ_j (p_ij − q_ij)(1 + ‖y_i − y_j‖²)^−1 (y_i − y_j) (paper, eq. 5).
 * - Optimizer: early exaggeration 12 (P × 12) and momentum 0.5 for the first 250 iterations, then momentum 0.8
 *   (scikit-learn ≥ 1.2 and openTSNE defaults); learning rate max(n / 12 / 4, 50), scikit-learn ≥ 1.2's
 *   `learning_rate="auto"` (n / early exaggeration after Belkina et al., Nat. Commun. 10:5415, 2019, divided by 4
 *   for the factor 4 in this gradient; openTSNE's "auto" is the same step with a gradient without that factor);
 *   per-coordinate gains +0.2 when the gradient's sign differs from the last update's, × 0.8 otherwise, at least
 *   0.01, and the map re-centred every iteration, as in van der Maaten's reference `tsne.py`. One optimizer state
 *   runs through both phases; a fixed number of iterations (default 1,000), no early stop.
 * - Initialisation: normal with std 1e-4 from the seeded stream `new Rng(seed, "tsne")` (the paper's init).
 *
 * Deterministic: float64 throughout, no `Math.random`, every sum taken in one fixed loop order, so the same input,
 * options and seed give bit-identical output (across machines too, as far as the engine's `Math.exp`/`Math.log`
 * are portable; V8's are a software port of fdlibm).
 * @module
 */
import { Rng } from "../core/rng.ts";

/** The most points the exact O(n²) method accepts. */
export const TSNE_MAX_POINTS = 3000;

/** Factor P is multiplied by during the early-exaggeration phase. */
export const EARLY_EXAGGERATION = 12;

/** Iterations of the early-exaggeration phase (momentum 0.5); the rest use momentum 0.8. */
export const EXAGGERATION_ITERATIONS = 250;

/** Entropy tolerance (nats) of the perplexity binary search. */
export const PERPLEXITY_TOLERANCE = 1e-5;

const PERPLEXITY_STEPS = 100;
const MIN_GAIN = 0.01;
const INIT_STD = 1e-4;

/** Options of {@link tsne}. */
export interface TsneOptions {
  /** effective number of neighbours (default 30; clamped to (n − 1)/3) */
  perplexity?: number;
  /** gradient-descent iterations, the exaggeration phase included (default 1,000) */
  iterations?: number;
  /** seed of the initial map (default 0) */
  seed?: number;
  /** step size (default max(n / 12 / 4, 50)) */
  learningRate?: number;
  /** the KL divergence is recorded every this many iterations (default 50) */
  klEvery?: number;
}

/** A 2-D map and how well it fits. */
export interface TsneResult {
  /** n × 2, row-major */
  embedding: Float64Array;
  /** final KL(P ‖ Q) */
  kl: number;
  /** KL(P ‖ Q) (unexaggerated P) after every `klEvery` iterations and after the last */
  klTrace: { iteration: number; kl: number }[];
  /** the perplexity used (after clamping) */
  perplexity: number;
  /** the learning rate used */
  learningRate: number;
}

function checkPositive(name: string, value: number, integer: boolean): void {
  if (!(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new RangeError(`tsne: ${name} must be a positive ${integer ? "integer" : "number"}, got ${value}`);
  }
}

/** Throws a RangeError naming the problem when `data` is not n finite points of `dim` values within the limits. */
function checkInput(data: Float32Array | Float64Array, n: number, dim: number): void {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`tsne: needs at least 2 points, got n = ${n}`);
  if (n > TSNE_MAX_POINTS) {
    throw new RangeError(
      `tsne: ${n} points exceed the exact method's limit of ${TSNE_MAX_POINTS} (O(n²) time and memory); subsample`,
    );
  }
  checkPositive("dim", dim, true);
  if (data.length !== n * dim) {
    throw new RangeError(`tsne: data has ${data.length} values, expected n × dim = ${n} × ${dim} = ${n * dim}`);
  }
  const bad = data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new RangeError(`tsne: point ${Math.floor(bad / dim)}, coordinate ${bad % dim} is ${data[bad]}`);
  }
}

/** Squared Euclidean distances of n points of `dim` values, n × n. */
export function squaredDistances(data: Float32Array | Float64Array, n: number, dim: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < dim; k++) sum += (data[i * dim + k] - data[j * dim + k]) ** 2;
      out[i * n + j] = out[j * n + i] = sum;
    }
  }
  return out;
}

/**
 * Conditional affinities p_j|i (row i, n × n, zero diagonal): each row's precision β_i is binary-searched until
 * the row's entropy is within {@link PERPLEXITY_TOLERANCE} of log(`perplexity`) or 100 steps have run. Distances
 * are shifted by the row's smallest one before exponentiating (the row's distribution is unchanged), so large
 * distances do not underflow.
 */
export function conditionalProbabilities(distances: Float64Array, n: number, perplexity: number): Float64Array {
  const target = Math.log(perplexity);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = out.subarray(i * n, (i + 1) * n);
    let nearest = Infinity;
    for (let j = 0; j < n; j++) if (j !== i) nearest = Math.min(nearest, distances[i * n + j]);
    let beta = 1, low = 0, high = Infinity;
    for (let step = 0; step < PERPLEXITY_STEPS; step++) {
      let sum = 0, weighted = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const shifted = distances[i * n + j] - nearest;
        row[j] = Math.exp(-beta * shifted);
        sum += row[j];
        weighted += shifted * row[j];
      }
      for (let j = 0; j < n; j++) row[j] /= sum;
      const entropy = Math.log(sum) + beta * weighted / sum;
      if (Math.abs(entropy - target) <= PERPLEXITY_TOLERANCE) break;
      if (entropy > target) {
        low = beta;
        beta = high === Infinity ? beta * 2 : (beta + high) / 2;
      } else {
        high = beta;
        beta = (beta + low) / 2;
      }
    }
  }
  return out;
}

/** Symmetric joint affinities P = (p_j|i + p_i|j) / 2n from the conditional ones (n × n). */
export function jointProbabilities(conditional: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      out[i * n + j] = out[j * n + i] = (conditional[i * n + j] + conditional[j * n + i]) / (2 * n);
    }
  }
  return out;
}

/** n of an n × 2 map, checked against the n × n matrix P. */
function mapSize(P: Float64Array, Y: Float64Array): number {
  const n = Y.length / 2;
  if (!Number.isInteger(n) || P.length !== n * n) {
    throw new RangeError(`tsne: P has ${P.length} values and Y ${Y.length}; expected n × n and n × 2`);
  }
  return n;
}

/**
 * The gradient of KL(exaggeration · P ‖ Q) with respect to the map Y into `grad`, using `kernel` (n × n) as
 * workspace for (1 + ‖y_i − y_j‖²)^−1.
 */
function gradientInto(
  P: Float64Array,
  Y: Float64Array,
  n: number,
  exaggeration: number,
  kernel: Float64Array,
  grad: Float64Array,
): void {
  let half = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const k = 1 / (1 + (Y[2 * i] - Y[2 * j]) ** 2 + (Y[2 * i + 1] - Y[2 * j + 1]) ** 2);
      kernel[i * n + j] = kernel[j * n + i] = k;
      half += k;
    }
  }
  const z = 2 * half;
  for (let i = 0; i < n; i++) {
    let gx = 0, gy = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const k = kernel[i * n + j];
      const m = (exaggeration * P[i * n + j] - k / z) * k;
      gx += m * (Y[2 * i] - Y[2 * j]);
      gy += m * (Y[2 * i + 1] - Y[2 * j + 1]);
    }
    grad[2 * i] = 4 * gx;
    grad[2 * i + 1] = 4 * gy;
  }
}

/** Analytic gradient of {@link klDivergence} with respect to Y (n × 2), for a symmetric P that sums to 1. */
export function tsneGradient(P: Float64Array, Y: Float64Array, exaggeration = 1): Float64Array {
  const n = mapSize(P, Y);
  const grad = new Float64Array(2 * n);
  gradientInto(P, Y, n, exaggeration, new Float64Array(n * n), grad);
  return grad;
}

/** KL(P ‖ Q) = Σ_{i≠j} p_ij log(p_ij / q_ij) of the map Y (n × 2); terms with p_ij = 0 contribute 0. */
export function klDivergence(P: Float64Array, Y: Float64Array): number {
  const n = mapSize(P, Y);
  const logKernel = (i: number, j: number) =>
    -Math.log1p((Y[2 * i] - Y[2 * j]) ** 2 + (Y[2 * i + 1] - Y[2 * j + 1]) ** 2);
  let half = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) half += Math.exp(logKernel(i, j));
  const logZ = Math.log(2 * half);
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const p = P[i * n + j];
      if (j !== i && p > 0) kl += p * (Math.log(p) - logKernel(i, j) + logZ);
    }
  }
  return kl;
}

/**
 * 2-D t-SNE map of `n` points of `dim` values (row-major `data`). Throws a RangeError on n < 2, n above
 * {@link TSNE_MAX_POINTS}, a length other than n × dim, a non-finite value or a non-positive option.
 */
export function tsne(data: Float32Array | Float64Array, n: number, dim: number, options: TsneOptions = {}): TsneResult {
  checkInput(data, n, dim);
  const requested = options.perplexity ?? 30;
  checkPositive("perplexity", requested, false);
  const perplexity = Math.min(requested, (n - 1) / 3);
  const iterations = options.iterations ?? 1000;
  checkPositive("iterations", iterations, true);
  const klEvery = options.klEvery ?? 50;
  checkPositive("klEvery", klEvery, true);
  const learningRate = options.learningRate ?? Math.max(n / EARLY_EXAGGERATION / 4, 50);
  checkPositive("learningRate", learningRate, false);

  const P = jointProbabilities(conditionalProbabilities(squaredDistances(data, n, dim), n, perplexity), n);
  const rng = new Rng(options.seed ?? 0, "tsne");
  const Y = Float64Array.from({ length: 2 * n }, () => rng.normal(0, INIT_STD));
  const update = new Float64Array(2 * n), gains = new Float64Array(2 * n).fill(1), grad = new Float64Array(2 * n);
  const kernel = new Float64Array(n * n);
  const klTrace: TsneResult["klTrace"] = [];
  for (let it = 0; it < iterations; it++) {
    const exploring = it < EXAGGERATION_ITERATIONS;
    gradientInto(P, Y, n, exploring ? EARLY_EXAGGERATION : 1, kernel, grad);
    const momentum = exploring ? 0.5 : 0.8;
    for (let k = 0; k < 2 * n; k++) {
      gains[k] = (grad[k] > 0) !== (update[k] > 0) ? gains[k] + 0.2 : Math.max(gains[k] * 0.8, MIN_GAIN);
      update[k] = momentum * update[k] - learningRate * gains[k] * grad[k];
      Y[k] += update[k];
    }
    for (let axis = 0; axis < 2; axis++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += Y[2 * i + axis];
      for (let i = 0; i < n; i++) Y[2 * i + axis] -= sum / n;
    }
    if ((it + 1) % klEvery === 0 || it + 1 === iterations) klTrace.push({ iteration: it + 1, kl: klDivergence(P, Y) });
  }
  return { embedding: Y, kl: klTrace[klTrace.length - 1].kl, klTrace, perplexity, learningRate };
}
