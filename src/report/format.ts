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
