/**
 * How a backend is named in report rows: its name, plus "-fast" for the relaxed-SIMD WASM build, so that baseline
 * comparisons never compare weight hashes across kernel builds that are not bit-identical.
 * @module
 */
import type { Backend } from "../core/backend.ts";

/** The backend label of report rows, e.g. "wasm", "wasm-fast", "webgpu". */
export function backendLabel(backend: Pick<Backend, "name" | "info">): string {
  return backend.info().details.mode === "fast" ? `${backend.name}-fast` : backend.name;
}
