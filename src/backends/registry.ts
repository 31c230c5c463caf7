/**
 * Creating backends by name, the way the CLI and the tests select them (`--backend webgpu|wasm|reference`).
 * @module
 */
import type { Backend } from "../core/backend.ts";
import type { KernelProfile } from "../core/kernel_profile.ts";
import { ReferenceBackend } from "./reference/backend.ts";
import { WasmBackend } from "./wasm/backend.ts";
import type { WinogradChoice } from "./wasm/kernels/linalg.ts";
import { WebGpuBackend } from "./webgpu/backend.ts";

/** Options understood by every backend factory (each uses the ones that apply to it). */
export interface BackendOptions {
  /** worker threads for CPU kernels (default: available cores) */
  threads?: number;
  /** reference backend storage precision */
  precision?: "f32" | "f64";
  /** WASM kernels: "deterministic" (default, same bits on every CPU) or "fast" (relaxed SIMD) */
  mode?: "deterministic" | "fast";
  /** WASM only: times every kernel call into this profile */
  profile?: KernelProfile;
  /** WASM only: which 3×3 convolutions run as Winograd convolutions (default "auto") */
  winograd?: WinogradChoice;
}

/** A backend created by name; `await using` releases it (threads, device) at the end of the block. */
export type DisposableBackend = Backend & AsyncDisposable;

/** A factory that builds one backend, or throws an error that says why it is unavailable. */
export type BackendFactory = (options: BackendOptions) => Promise<DisposableBackend>;

/** Rejects a kernel profile for a backend that cannot be profiled (only WASM's kernels are timed). */
function unprofiled(name: string, options: BackendOptions): Promise<void> {
  return options.profile
    ? Promise.reject(new Error(`backend "${name}": kernel profiles are supported on the wasm backend only`))
    : Promise.resolve();
}

const factories = new Map<string, BackendFactory>([
  ["reference", (o) => unprofiled("reference", o).then(() => new ReferenceBackend({ precision: o.precision }))],
  ["webgpu", (o) => unprofiled("webgpu", o).then(() => WebGpuBackend.create())],
  ["wasm", (o) => WasmBackend.create({ threads: o.threads, mode: o.mode, profile: o.profile, winograd: o.winograd })],
]);

/** Names of all registered backends. */
export function backendNames(): string[] {
  return [...factories.keys()];
}

/** Creates the backend `name`; throws naming the known backends when `name` is unknown. */
export function createBackend(name: string, options: BackendOptions = {}): Promise<DisposableBackend> {
  const factory = factories.get(name);
  if (!factory) {
    return Promise.reject(new Error(`Unknown backend "${name}": expected one of ${backendNames().join(", ")}`));
  }
  return factory(options);
}
