/**
 * Throughput measurement: warm-up steps, a device sync, then timed steps with the device synced before the
 * clock stops (so queued GPU work is inside the timing), and the backend's peak memory.
 * @module
 */
import type { Backend } from "../core/backend.ts";

/** Options of {@link measureThroughput}. */
export interface ThroughputOptions {
  /** untimed steps first (compilation, allocation, caches) */
  warmupSteps: number;
  /** timed steps */
  timedSteps: number;
  /** images per step */
  batchSize: number;
  /** clock in milliseconds (default `performance.now`) */
  now?: () => number;
}

/** A throughput measurement. */
export interface ThroughputResult {
  /** batchSize · timedSteps / seconds */
  imagesPerSecond: number;
  /** wall time of the timed steps, sync included */
  seconds: number;
  /** the backend's peak storage bytes after the timed steps */
  peakBytes: number;
}

/** Runs `step` (one training or inference step of `batchSize` images) and measures images per second. */
export async function measureThroughput(
  backend: Pick<Backend, "sync" | "memory">,
  step: () => void | Promise<void>,
  options: ThroughputOptions,
): Promise<ThroughputResult> {
  if (!Number.isInteger(options.timedSteps) || options.timedSteps <= 0) {
    throw new RangeError(`measureThroughput: timedSteps must be a positive integer, got ${options.timedSteps}`);
  }
  const now = options.now ?? (() => performance.now());
  for (let i = 0; i < options.warmupSteps; i++) await step();
  await backend.sync();
  const start = now();
  for (let i = 0; i < options.timedSteps; i++) await step();
  await backend.sync();
  const seconds = (now() - start) / 1000;
  return {
    imagesPerSecond: (options.batchSize * options.timedSteps) / seconds,
    seconds,
    peakBytes: backend.memory().peakBytes,
  };
}
