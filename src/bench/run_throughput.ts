/**
 * The throughput section of a report: for each selected backend and full-size backbone, training images/s
 * and inference images/s of `benchSteps` (forward + ArcFace head + loss + backward + SGD; eval-mode forward), each on a fresh
 * backend so the peak memory belongs to that row. A failure is recorded in its row.
 * @module
 */
import { backendNames, type BackendOptions, createBackend } from "../backends/registry.ts";
import { backbones, globMatch } from "../models/mod.ts";
import type { Throughput } from "../report/schema.ts";
import { backendLabel } from "./backend_label.ts";
import { benchSteps } from "./bench_steps.ts";
import type { Preset } from "./presets.ts";
import { measureThroughput } from "./throughput.ts";

/**
 * One throughput row: backbone `backboneName` (any registered one) on a fresh backend `backendName`, with the batch
 * size and steps of `preset.throughput`; a failure is recorded in the row.
 */
export async function measureThroughputRow(
  backendName: string,
  backboneName: string,
  preset: Preset,
  backendOptions: BackendOptions,
): Promise<Throughput> {
  const options = preset.throughput!;
  const backend = await createBackend(backendName, backendOptions);
  const row: Throughput = {
    backend: backendLabel(backend),
    threads: backend.info().threads,
    backbone: backboneName,
    batchSize: options.batchSize,
    trainImagesPerSecond: null,
    inferenceImagesPerSecond: null,
    peakBytes: null,
    error: null,
  };
  try {
    const steps = benchSteps(backend, backboneName, {
      seed: preset.seed,
      batchSize: options.batchSize,
      optimizer: preset.train.optimizer,
    });
    const timing = { warmupSteps: options.warmupSteps, timedSteps: options.timedSteps, batchSize: options.batchSize };
    const train = await measureThroughput(backend, steps.train, timing);
    const infer = await measureThroughput(backend, steps.infer, timing);
    row.trainImagesPerSecond = train.imagesPerSecond;
    row.inferenceImagesPerSecond = infer.imagesPerSecond;
    row.peakBytes = backend.memory().peakBytes;
  } catch (error) {
    row.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } finally {
    backend.destroy();
  }
  return row;
}

/** Measures every selected backend × backbone (created with `backendOptions`); `log` receives one line per row. */
export async function runThroughput(
  preset: Preset,
  backendOptions: BackendOptions,
  log: (line: string) => void,
): Promise<Throughput[]> {
  const options = preset.throughput;
  if (!options) return [];
  const pick = (patterns: readonly string[], names: readonly string[]) =>
    names.filter((n) => patterns.some((p) => globMatch(p, n)));
  const backendList = pick(options.backends, backendNames());
  const backboneList = pick(
    options.backbones,
    backbones.list().filter((b) => !b.tags.includes("tiny")).map((b) => b.name),
  );
  const rows: Throughput[] = [];
  for (const backendName of backendList) {
    for (const backboneName of backboneList) {
      const row = await measureThroughputRow(backendName, backboneName, preset, backendOptions);
      rows.push(row);
      log(
        row.error
          ? `  throughput ${backendName} ${backboneName}: FAILED ${row.error}`
          : `  throughput ${backendName}/${row.threads}t ${backboneName}: train ${
            row.trainImagesPerSecond!.toFixed(2)
          } img/s, ` +
            `inference ${row.inferenceImagesPerSecond!.toFixed(2)} img/s, peak ${
              (row.peakBytes! / 2 ** 20).toFixed(0)
            } MiB`,
      );
    }
  }
  return rows;
}
