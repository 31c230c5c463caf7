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
