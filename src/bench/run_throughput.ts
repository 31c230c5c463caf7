/**
 * The throughput section of a report: for each selected backend and full-size backbone, training images/s
 * (forward + ArcFace head + loss + backward + SGD) and inference images/s (eval-mode forward), each on a fresh
 * backend so the peak memory belongs to that row. A failure is recorded in its row.
 * @module
 */
import { backendNames, type BackendOptions, createBackend } from "../backends/registry.ts";
import { Rng } from "../core/rng.ts";
import { scopeAsync } from "../core/scope.ts";
import { noGrad } from "../core/tape.ts";
import { backward } from "../ops/backward.ts";
import { reduceMean, softmaxCrossEntropy, tensor } from "../ops/mod.ts";
import { backbones, globMatch, heads } from "../models/mod.ts";
import type { Throughput } from "../report/schema.ts";
import { Sgd } from "../train/optimizer.ts";
import { backendLabel } from "./backend_label.ts";
import type { Preset } from "./presets.ts";
import { measureThroughput } from "./throughput.ts";

/** Classes of the head used for training throughput (the loss layer's cost is negligible at this size). */
const CLASSES = 1000;

async function measureRow(backendName: string, backboneName: string, preset: Preset, backendOptions: BackendOptions) {
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
    const ctx = { backend, rng: new Rng(preset.seed, "init"), initialize: false };
    const backbone = backbones.get(backboneName).create({}, ctx);
    const head = heads.get("arcface").create({ embeddingSize: backbone.embeddingSize, numClasses: CLASSES }, ctx);
    const rng = new Rng(preset.seed, "throughput-input");
    const size = backbone.inputSize;
    const n = options.batchSize;
    const x = tensor(backend, Float32Array.from({ length: n * size * size * 3 }, () => rng.uniform(-1, 1)), [
      n,
      size,
      size,
      3,
    ]);
    const labels = tensor(backend, Int32Array.from({ length: n }, () => rng.int(CLASSES)), [n], "i32");
    const sgd = new Sgd([...backbone.parameters(), ...head.parameters()], preset.train.optimizer);
    const trainStep = () =>
      scopeAsync(async () => {
        sgd.zeroGrad();
        backward(reduceMean(softmaxCrossEntropy(head.forward(backbone.forward(x), labels).logits, labels)));
        sgd.step(0.01);
        await backend.sync();
      });
    const timing = { warmupSteps: options.warmupSteps, timedSteps: options.timedSteps, batchSize: n };
    const train = await measureThroughput(backend, trainStep, timing);
    backbone.train(false);
    const inferStep = () =>
      scopeAsync(async () => {
        noGrad(() => backbone.forward(x));
        await backend.sync();
      });
    const infer = await measureThroughput(backend, inferStep, timing);
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
      const row = await measureRow(backendName, backboneName, preset, backendOptions);
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
