/**
 * Number and text formatting shared by the Markdown and HTML writers.
 * @module
 */

/** Accuracy as a percentage with two decimals, e.g. `97.53`. */
export function percent(x: number): string {
  return (100 * x).toFixed(2);
}

/** `mean ± std` in percent, e.g. `97.53 ± 0.41`. */
export function accuracyText(mean: number, std: number): string {
  return `${percent(mean)} ± ${percent(std)}`;
}

/**
 * A value with its interval, e.g. `97.53 [96.80, 98.12]`: scaled by `factor` (100 for fractions shown in %) with
 * `digits` decimals.
 */
export function intervalText(e: { value: number; low: number; high: number }, digits = 2, factor = 100): string {
  const f = (x: number) => (factor * x).toFixed(digits);
  return `${f(e.value)} [${f(e.low)}, ${f(e.high)}]`;
}

/** A signed value, e.g. `+1.25` / `-0.40`: scaled by `factor` (100: fractions shown in points) with `digits` decimals. */
export function signedText(x: number, digits = 2, factor = 100): string {
  return `${x >= 0 ? "+" : ""}${(factor * x).toFixed(digits)}`;
}

/** A signed difference with its interval, e.g. `+1.25 [+0.10, +2.40]` (see {@link signedText}). */
export function signedIntervalText(e: { value: number; low: number; high: number }, digits = 2, factor = 100): string {
  const f = (x: number) => signedText(x, digits, factor);
  return `${f(e.value)} [${f(e.low)}, ${f(e.high)}]`;
}

/** A p-value: four decimals, or one significant digit in exponent form below 1e-4. */
export function pValueText(p: number): string {
  return p < 1e-4 ? p.toExponential(1) : p.toFixed(4);
}

/** A rate with at most one decimal and thousands separators, e.g. `1,234.5`. */
export function rate(x: number | null): string {
  return x === null ? "–" : x.toLocaleString("en-US", { maximumFractionDigits: 1 });
}

/** Bytes in MiB with one decimal. */
export function mebibytes(bytes: number | null): string {
  return bytes === null ? "–" : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** The distinct values of `key` over `items`, in first-seen order. */
export function distinct<T>(items: readonly T[], key: (item: T) => string): string[] {
  return [...new Set(items.map(key))];
}
