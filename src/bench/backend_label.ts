/**
 * How a backend is named in report rows: its name, plus "-fast" for the relaxed-SIMD WASM build where its
 * multiply-add is fused (FMA) and "-fast-unfused" where it is not, and "-winograd2x2" / "-im2col" for WASM's
 * non-default 3×3 convolution algorithms, so that baseline comparisons never compare weight hashes across kernels
 * that are not bit-identical.
 * @module
 */
import type { Backend } from "../core/backend.ts";

/** Label suffixes of WASM's non-default 3×3 convolution algorithms (`details.winograd`). */
const WINOGRAD_SUFFIX: Record<string, string> = { "2x2": "-winograd2x2", off: "-im2col" };

/** The backend label of report rows, e.g. "wasm", "wasm-fast", "wasm-im2col", "webgpu". */
export function backendLabel(backend: Pick<Backend, "name" | "info">): string {
  const { mode, multiplyAdd, winograd } = backend.info().details;
  const build = mode !== "fast" ? "" : multiplyAdd === "fused" ? "-fast" : "-fast-unfused";
  return `${backend.name}${build}${WINOGRAD_SUFFIX[String(winograd)] ?? ""}`;
}
