/**
 * Summary statistics used by the evaluation protocols.
 * @module
 */

/** Arithmetic mean; NaN for an empty list. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((s, v) => s + v, 0) / values.length;
}

/** Population standard deviation (numpy's default `ddof=0`, as arcface_torch reports); NaN for an empty list. */
export function populationStd(values: readonly number[]): number {
  const m = mean(values);
  return Math.sqrt(mean(values.map((v) => (v - m) ** 2)));
}
