/**
 * Comparing JSON values: a canonical text (object keys sorted) for digests and equality, and the list of fields
 * where two values differ, for errors that name what changed.
 * @module
 */

/** JSON text of `value` with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * The fields (dotted paths below `path`) where `before` and `after` differ, each as
 * `"<path>: <before> → <after>"`; objects are compared key by key, anything else (arrays included) as a whole.
 */
export function jsonDifferences(before: unknown, after: unknown, path = ""): string[] {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => jsonDifferences(before[k], after[k], path ? `${path}.${k}` : k));
  }
  const [a, b] = [before, after].map((v) => (v === undefined ? "(none)" : canonicalJson(v)));
  return a === b ? [] : [`${path || "(value)"}: ${a} → ${b}`];
}
