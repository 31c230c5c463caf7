/**
 * The messages between the page (`page.ts`, the main thread: UI only, since a page's main thread may not block in
 * `Atomics.wait` as the WASM backend's dispatcher does) and its run worker (`run_worker.ts`, where the engine runs).
 * @module
 */
import type { BuildFacts } from "../io/browser_host.ts";
import type { Cell, Throughput } from "../report/schema.ts";
import type { WebGpuCheck } from "./webgpu_check.ts";

/** The page asks the worker to compile every WGSL shader with the browser's WebGPU device. */
export interface ShaderCheckRequest {
  kind: "compile-shaders";
  /** the site root the shaders are served under */
  root: string;
}

/** The throughput section the page measures: the `standard` preset's, for these backbones on the run's backend. */
export interface ThroughputChoice {
  /** full-size backbone names or globs */
  backbones: string[];
  /** images per step (undefined: the standard preset's) */
  batchSize?: number;
  /** untimed steps (undefined: the standard preset's) */
  warmupSteps?: number;
  /** timed steps (undefined: the standard preset's) */
  timedSteps?: number;
}

/** The small WebGPU figure the page measures (`webgpu_check.ts`). */
export interface WebGpuCheckChoice {
  /** a registered backbone (tiny ones too) */
  backbone: string;
  /** images per throughput step */
  batchSize: number;
  /** untimed throughput steps */
  warmupSteps: number;
  /** timed throughput steps */
  timedSteps: number;
  /** images embedded on both backends for the parity check */
  parityImages: number;
}

/** The page asks the worker for the WebGPU figure. */
export interface WebGpuCheckRequest {
  kind: "webgpu-check";
  /** the site root the repository's files are served under */
  root: string;
  /** facts of the build (`dist/build.json`) */
  build: BuildFacts;
  /** WASM threads of the parity check's reference side */
  threads: number;
  /** what to measure */
  choice: WebGpuCheckChoice;
}

/** The page asks the worker to run. */
export interface RunRequest {
  kind: "run";
  /** the site root the repository's files are served under */
  root: string;
  /** facts of the build (`dist/build.json`) */
  build: BuildFacts;
  /** preset name */
  preset: string;
  /** comma-separated heads to keep (undefined: the preset's) */
  heads?: string;
  /** backend name */
  backend: string;
  /** WASM threads */
  threads: number;
  /** the throughput section to measure after the cells (undefined: none) */
  throughput?: ThroughputChoice;
  /** the report's `command` */
  command: string;
}

/** The checks the worker makes after a run. */
export interface RunChecks {
  /**
   * per synthetic split: the SHA-256 of the pixels the run used, whether it equals the manifest's, and where they
   * came from (rendered in this visit, or kept in the browser's cache by an earlier one)
   */
  pixels: { split: string; sha256: string; matches: boolean; from: "rendered" | "kept" }[];
  /** per row: the committed baseline's weight hash of the same cell and seed (null: not in the baseline) */
  baselineHashes: (string | null)[];
}

/** What the worker reports. */
export type RunMessage =
  | { kind: "log"; line: string }
  | { kind: "stage"; text: string; done: number; total: number }
  | { kind: "row"; row: Cell }
  | {
    kind: "done";
    rows: Cell[];
    throughput: Throughput[];
    checks: RunChecks;
    files: { name: string; bytes: Uint8Array }[];
  }
  | { kind: "failed"; error: string }
  | { kind: "shaders"; compiled: number; problems: string[] }
  | { kind: "webgpu-check"; check: WebGpuCheck };
