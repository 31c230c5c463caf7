/**
 * Significance tests for comparing models on the same pairs: McNemar's exact test on per-pair decisions and
 * Holm's step-down adjustment for many comparisons.
 *
 * McNemar: of the pairs where exactly one model is right, n01 favour A (A right, B wrong) and n10 favour B; under
 * "equally good" the split is Binomial(n01 + n10, ½), and the exact two-sided p-value is
 * min(1, 2·P[X ≤ min(n01, n10)]) (scipy's `binomtest(min, n, 0.5).pvalue`), 1 when no pair is discordant.
 * The binomial probabilities use Loader's saddle-point form (as R's `dbinom`), accurate to a few ulps for any n
 * without 2^-n underflow in intermediate steps.
 * @module
 */

const LN_2PI = Math.log(2 * Math.PI);

/** log(k!) − log(√(2πk)·(k/e)^k), the error of Stirling's formula (k ≥ 1). */
function stirlingError(k: number): number {
  if (k <= 15) {
    let logFactorial = 0;
    for (let i = 2; i <= k; i++) logFactorial += Math.log(i);
    return logFactorial - (k + 0.5) * Math.log(k) + k - LN_2PI / 2;
  }
  const kk = k * k;
  return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / 1188 / kk) / kk) / kk) / kk) / k;
}

/** x·log(x/m) + m − x without cancellation when x is near m (Loader's bd0). */
function deviance(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    let v = (x - m) / (x + m);
    let s = (x - m) * v;
    let term = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      term *= v;
      const next = s + term / (2 * j + 1);
      if (next === s) return s;
      s = next;
    }
  }
  return x * Math.log(x / m) + m - x;
}

/** P[X = k] for X ~ Binomial(n, ½). */
function binomialHalfPmf(k: number, n: number): number {
  if (k === 0 || k === n) return Math.exp(-n * Math.LN2);
  const lc = stirlingError(n) - stirlingError(k) - stirlingError(n - k) - deviance(k, n / 2) - deviance(n - k, n / 2);
  return Math.exp(lc - 0.5 * (LN_2PI + Math.log(k) + Math.log1p(-k / n)));
}

/** P[X ≤ k] for X ~ Binomial(n, ½) and k ≤ n / 2, summed down from P[X = k] by the ratio of neighbours. */
function binomialHalfLowerTail(k: number, n: number): number {
  let term = 1, sum = 1;
  for (let i = k; i > 0 && term > 1e-17 * sum; i--) {
    term *= i / (n - i + 1);
    sum += term;
  }
  return binomialHalfPmf(k, n) * sum;
}

/** Exact two-sided McNemar p-value from the discordant counts n01 (A right, B wrong) and n10 (A wrong, B right). */
export function mcnemarExact(n01: number, n10: number): number {
  for (const [name, v] of [["n01", n01], ["n10", n10]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`mcnemarExact: ${name} must be an integer >= 0, got ${v}`);
  }
  const n = n01 + n10;
  if (n === 0) return 1;
  return Math.min(1, 2 * binomialHalfLowerTail(Math.min(n01, n10), n));
}

/** Discordant counts of two models' per-pair "correct" flags: n01 = A right & B wrong, n10 = A wrong & B right. */
export function discordantCounts(
  correctA: readonly boolean[],
  correctB: readonly boolean[],
): { n01: number; n10: number } {
  if (correctA.length !== correctB.length) {
    throw new RangeError(`discordantCounts: ${correctA.length} and ${correctB.length} flags; expected equal`);
  }
  let n01 = 0, n10 = 0;
  correctA.forEach((a, i) => {
    if (a && !correctB[i]) n01++;
    if (!a && correctB[i]) n10++;
  });
  return { n01, n10 };
}

/**
 * Holm's step-down adjustment: the i-th smallest of m p-values becomes max over j ≤ i of min(1, (m − j)·p_(j))
 * (j from 0). Returns the adjusted p-values in input order.
 */
export function holm(pValues: readonly number[]): number[] {
  const bad = pValues.findIndex((p) => !(p >= 0 && p <= 1));
  if (bad >= 0) throw new RangeError(`holm: pValues[${bad}] = ${pValues[bad]}, expected a probability in [0, 1]`);
  const m = pValues.length;
  const order = Array.from(pValues.keys()).sort((a, b) => pValues[a] - pValues[b] || a - b);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((i, j) => {
    running = Math.max(running, Math.min(1, (m - j) * pValues[i]));
    adjusted[i] = running;
  });
  return adjusted;
}
