/**
 * The backends of a comparison run (`--backends wasm,webgpu` or a preset's `backends`): each entry is a registered
 * backend name, or a WASM variant by the label its report rows carry: `wasm-fast` (the relaxed-SIMD build),
 * `wasm-winograd2x2` (F(2×2, 3×3) for every Winograd-eligible 3×3 convolution, no F(4×4, 3×3)) and `wasm-im2col`
 * (no Winograd convolutions). The first entry is the comparison's reference backend.
 * @module
 */
import { backendNames, type BackendOptions } from "../backends/registry.ts";

/** One backend of a comparison: its label (as in report rows) and how to create it. */
export interface BackendEntry {
  /** the label, e.g. "wasm", "wasm-fast", "webgpu" */
  label: string;
  /** the registry name */
  name: string;
  /** the WASM kernel build (undefined: the backend's default) */
  mode?: "deterministic" | "fast";
  /** the WASM 3×3 convolution algorithms (undefined: the backend's default, "auto") */
  winograd?: BackendOptions["winograd"];
}

/** The WASM variants a comparison accepts beside the registered backends, by label. */
const WASM_VARIANTS: Record<string, Omit<BackendEntry, "label">> = {
  "wasm-fast": { name: "wasm", mode: "fast" },
  "wasm-winograd2x2": { name: "wasm", winograd: "2x2" },
  "wasm-im2col": { name: "wasm", winograd: "off" },
};

/** The spellings a comparison accepts: every registered backend, and the WASM variants. */
export function comparisonBackendLabels(): string[] {
  return [...backendNames(), ...Object.keys(WASM_VARIANTS)];
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
  return labels.map((label) => ({ label, ...(WASM_VARIANTS[label] ?? { name: label }) }));
}
