/**
 * One backbone × head cell of the benchmark matrix in one stage, with one seed: build both from the registries (with
 * the preset's options) from that seed, start the backbone from its initialisation or its pre-trained weights,
 * train them on the dataset's training split with the preset's schedule (not in the `pretrained` stage), evaluate
 * on the test split, and return the report row with its pair distances and whether the loss fell. A failure is
 * caught and recorded in the row, so the matrix goes on.
 * @module
 */
import type { Backend } from "../backends/backend.ts";
import { Rng } from "../core/rng.ts";
import type { FaceDataset } from "../data/dataset.ts";
import type { LoaderState } from "../data/loader.ts";
import { backbones, heads } from "../models/mod.ts";
import { mean } from "../eval/stats.ts";
import { encodeDistances } from "../report/distances.ts";
import type { Cell } from "../report/schema.ts";
import { type FileStore, restoreTensors } from "../train/checkpoint.ts";
import { Trainer } from "../train/trainer.ts";
import { backendLabel } from "./backend_label.ts";
import { embedTestSet, type normalizedTestImages, testMetrics, type TestResult } from "./evaluate_model.ts";
import { backboneOptionsOf, headOptionsOf } from "./model_options.ts";
import type { PretrainedBackbone } from "./pretrain.ts";
import type { MatrixCell, Preset } from "./presets.ts";
import { trainingRun } from "./training_plan.ts";

/** What every cell of a run shares. */
export interface CellContext {
  /** validated preset (after command-line filters) */
  preset: Preset;
  /** the dataset, loaded once */
  dataset: FaceDataset;
  /** test images as floats, computed once */
  testImages: ReturnType<typeof normalizedTestImages>;
  /** the backend every cell trains on */
  backend: Backend;
  /** checkpoint storage for a cell and seed, if checkpoints are wanted */
  storeFor?: (cell: MatrixCell, seed: number) => FileStore;
  /** progress of a cell: called after every iteration */
  onStep?: (cell: MatrixCell, step: number, steps: number, loss: number) => void;
  /** the pre-trained backbone `name` for `seed` (needed by the `pretrained` and `finetuned` stages) */
  pretrained?: (name: string, seed: number) => Promise<PretrainedBackbone>;
}

/** Share of the first and of the last iterations whose mean losses {@link trainedByLoss} compares. */
const LOSS_WINDOW = 0.1;

/**
 * Whether a run trained: the mean loss of its last 10% of iterations is at most half the mean loss of its first
 * 10% (at least one iteration each). A margin head's loss starts inflated by its margin and scale, so halving it
 * means the target logits rose well past the others; a cell whose loss stays near its start has not learned.
 */
export function trainedByLoss(lossCurve: readonly { loss: number }[]): boolean {
  const n = Math.max(1, Math.round(LOSS_WINDOW * lossCurve.length));
  if (lossCurve.length < 2) return false;
  const meanLoss = (points: readonly { loss: number }[]) => mean(points.map((p) => p.loss));
  return meanLoss(lossCurve.slice(-n)) <= 0.5 * meanLoss(lossCurve.slice(0, n));
}

/** Trains and evaluates one cell with one seed; never throws (the error is in the row). */
export async function runCell(ctx: CellContext, cell: MatrixCell, seed: number): Promise<Cell> {
  const { backend } = ctx;
  const started = performance.now();
  const row: Cell = {
    index: cell.index,
    backbone: cell.backbone,
    head: cell.head,
    stage: cell.stage,
    seed,
    backend: backendLabel(backend),
    threads: backend.info().threads,
    steps: 0,
    wallSeconds: 0,
    imagesPerSecond: 0,
    metrics: null,
    trained: null,
    lossCurve: [],
    evalCurve: [],
    weightHash: null,
    distances: null,
    error: null,
  };
  try {
    Object.assign(row, await trainAndEvaluate(ctx, cell, seed));
  } catch (error) {
    row.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  row.wallSeconds = (performance.now() - started) / 1000;
  return row;
}

async function trainAndEvaluate(ctx: CellContext, cell: MatrixCell, seed: number): Promise<Partial<Cell>> {
  const { preset, dataset, backend } = ctx;
  const init = new Rng(seed, "init");
  const dropout = new Rng(seed, "dropout");
  const moduleContext = { backend, rng: init, dropoutRng: dropout };
  const backbone = backbones.get(cell.backbone).create(backboneOptionsOf(preset, cell.backbone), moduleContext);
  const measure = async () =>
    testMetrics(dataset, await embedTestSet(backend, backbone, ctx.testImages, preset), preset);
  if (cell.stage !== "scratch") {
    if (!ctx.pretrained) throw new Error(`stage ${cell.stage} needs a pre-trained backbone; none was provided`);
    const pre = await ctx.pretrained(cell.backbone, seed);
    restoreTensors([...backbone.state()].map(([path, tensor]) => ({ path, tensor })), pre.tensors, "pre-training");
    if (cell.stage === "pretrained") {
      try {
        const { metrics, distances } = await measure();
        return {
          steps: pre.steps,
          imagesPerSecond: pre.imagesPerSecond,
          metrics,
          trained: trainedByLoss(pre.lossCurve),
          distances: encodeDistances(distances),
          lossCurve: pre.lossCurve,
          weightHash: pre.weightHash,
        };
      } finally {
        for (const t of backbone.state().values()) t.dispose();
      }
    }
  }
  const head = heads.get(cell.head).create(
    headOptionsOf(preset, cell.head, { embeddingSize: backbone.embeddingSize, numClasses: dataset.train.numClasses }),
    moduleContext,
  );
  const store = ctx.storeFor?.(cell, seed);
  const start = store ? ((await Trainer.savedDataPosition(store)) as LoaderState | null) : null;
  const { loader, steps, config } = trainingRun(preset, dataset.train, preset.train, seed, start);
  let latest: TestResult | null = null;
  const evaluateNow = async () => {
    latest = await measure();
    return latest.metrics.accuracyMean;
  };
  const trainer = new Trainer({
    backend,
    backbone,
    head,
    data: loader,
    streams: [dropout],
    store,
    config: config({ evalEpochs: preset.train.evalEveryEpochs, checkpointEpochs: preset.train.checkpointEveryEpochs }),
    evaluate: evaluateNow,
    onStep: (step, loss) => ctx.onStep?.(cell, step, steps, loss),
  });
  try {
    await trainer.resume();
    const resumedAt = trainer.step;
    const trainStart = performance.now();
    const result = await trainer.run();
    const trainSeconds = (performance.now() - trainStart) / 1000;
    // The trainer evaluates after its last iteration; only a run resumed at its very end has not.
    const { metrics, distances } = latest ?? (await measure());
    const lossCurve = result.lossCurve.map((p) => ({ step: p.step, loss: p.value }));
    return {
      steps: result.steps,
      imagesPerSecond: ((result.steps - resumedAt) * preset.train.batchSize) / Math.max(trainSeconds, 1e-9),
      metrics,
      trained: trainedByLoss(lossCurve),
      distances: encodeDistances(distances),
      lossCurve,
      evalCurve: result.evalCurve.map((p) => ({ step: p.step, accuracy: p.value })),
      weightHash: result.weightHash,
    };
  } finally {
    loader.close();
    trainer.dispose();
    for (const t of [...backbone.state().values(), ...head.state().values()]) t.dispose();
  }
}
