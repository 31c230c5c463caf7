/**
 * The backends of a comparison run (`--backends wasm,webgpu` or a preset's `backends`): each entry is a registered
 * backend name, or `wasm-fast` for the WASM backend's relaxed-SIMD build (the report rows' label of that build).
 * The first entry is the comparison's reference backend.
 * @module
 */
import { backendNames } from "../backends/registry.ts";

/** One backend of a comparison: its label (as in report rows) and how to create it. */
export interface BackendEntry {
  /** the label, e.g. "wasm", "wasm-fast", "webgpu" */
  label: string;
  /** the registry name */
  name: string;
  /** the WASM kernel build (undefined: the backend's default) */
  mode?: "deterministic" | "fast";
}

/** The spellings a comparison accepts: every registered backend, and `wasm-fast`. */
export function comparisonBackendLabels(): string[] {
  return [...backendNames(), "wasm-fast"];
}

/**
 * The entries of `labels`, in order; throws naming the known spellings on an unknown one, and on a list with fewer
 * than two backends or one listed twice.
 */
export function parseBackendList(labels: readonly string[]): BackendEntry[] {
  const known = comparisonBackendLabels();
  const unknown = labels.filter((l) => !known.includes(l));
  if (unknown.length > 0) {
    throw new Error(`unknown backend(s) ${unknown.map((l) => `"${l}"`).join(", ")} (known: ${known.join(", ")})`);
  }
  if (labels.length < 2) {
    throw new Error(`a comparison needs at least two backends, got ${labels.join(", ") || "none"}`);
  }
  const twice = labels.find((l, i) => labels.indexOf(l) !== i);
  if (twice) throw new Error(`backend "${twice}" is listed twice`);
  return labels.map((
    label,
  ) => (label === "wasm-fast" ? { label, name: "wasm", mode: "fast" } : { label, name: label }));
}
