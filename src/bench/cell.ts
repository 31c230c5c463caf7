/**
 * One backbone × head cell of the benchmark matrix in one stage, with one seed: build both from the registries (with
 * the preset's options) from that seed, start the backbone from its initialisation or its pre-trained weights,
 * train them on the run's training set with the preset's schedule (not in the `pretrained` stage; in the `distilled`
 * stage with the preset's distillation terms against the cell's teacher, recorded in the row), evaluate on
 * every evaluation set of the run (during training too, for the per-set curves), and return the report row with
 * its pair distances and whether the loss fell, and the t-SNE map of its embeddings when the run asks for it. A
 * failure is caught and recorded in the row, so the matrix goes on.
 * @module
 */
import type { Backend } from "../core/backend.ts";
import { Rng } from "../core/rng.ts";
import type { TrainingSet } from "../data/dataset.ts";
import { backbones, heads } from "../models/mod.ts";
import { mean } from "../eval/stats.ts";
import { encodeDistances } from "../report/distances.ts";
import type { Cell, Tsne } from "../report/schema.ts";
import { type FileStore, restoreTensors } from "../train/checkpoint.ts";
import type { NamedArray } from "../train/safetensors.ts";
import { readTensors } from "../train/weight_hash.ts";
import { Trainer } from "../train/trainer.ts";
import { backendLabel } from "./backend_label.ts";
import { type BenchEvalSet, evaluateOnSets, type SetResults } from "./eval_sets.ts";
import { tsneOfCell, type TsneRequest, wantsTsne } from "./tsne_map.ts";
import { backboneEntries, backboneOptionsOf, headOptionsOf } from "./model_options.ts";
import type { PretrainedBackbone } from "./pretrain.ts";
import { buildTeacher, type TeacherWeights } from "./teacher.ts";
import { distillationTerm } from "../train/distill.ts";
import type { MatrixCell, Preset } from "./presets.ts";
import { savedStart, trainingRun, withHeadSampler } from "./training_plan.ts";

/** What every cell of a run shares. */
export interface CellContext {
  /** validated preset (after command-line filters) */
  preset: Preset;
  /** the training set (in memory or streamed from a raw cache file) */
  train: TrainingSet;
  /** the evaluation sets, the primary first */
  evalSets: readonly BenchEvalSet[];
  /** the cell whose embeddings are mapped with t-SNE, if any */
  tsne?: TsneRequest | null;
  /** the backend every cell trains on */
  backend: Backend;
  /** checkpoint storage for a cell and seed, if checkpoints are wanted */
  storeFor?: (cell: MatrixCell, seed: number) => FileStore;
  /** progress of a cell: called after every iteration */
  onStep?: (cell: MatrixCell, step: number, steps: number, loss: number) => void;
  /** the pre-trained backbone `name` for `seed` (needed by the `pretrained` and `finetuned` stages) */
  pretrained?: (name: string, seed: number) => Promise<PretrainedBackbone>;
  /** the teacher of a cell and seed (needed by the `distilled` stage) */
  teacher?: (cell: MatrixCell, seed: number) => Promise<TeacherWeights>;
  /** receives the final backbone weights of a cell that trained (e.g. a backend comparison keeps them) */
  onTrained?: (cell: MatrixCell, seed: number, backbone: NamedArray[]) => void | Promise<void>;
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

/** A cell's report row and, for the cell the run maps, its t-SNE map. */
export interface CellOutcome {
  /** the report row */
  row: Cell;
  /** the t-SNE map of its final embeddings (null unless {@link CellContext.tsne} names this cell and seed) */
  tsne: Tsne | null;
}

/** Trains and evaluates one cell with one seed; never throws (the error is in the row). */
export async function runCell(ctx: CellContext, cell: MatrixCell, seed: number): Promise<CellOutcome> {
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
    evalSets: [],
    error: null,
  };
  let final: SetResults | null = null;
  try {
    const trained = await trainAndEvaluate(ctx, cell, seed);
    final = trained.final;
    Object.assign(row, trained.row);
  } catch (error) {
    row.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  row.wallSeconds = (performance.now() - started) / 1000;
  const tsne = final && ctx.tsne && wantsTsne(ctx.tsne, cell, seed) ? tsneOfCell(ctx.tsne, ctx.evalSets, final) : null;
  return { row, tsne };
}

/** The row fields of a model's results on every set: the primary's metrics and distances, the further sets'. */
function resultFields(
  final: SetResults,
  curves: readonly { step: number; accuracy: number }[][],
): Pick<Cell, "metrics" | "distances" | "evalSets"> {
  const [primary, ...further] = final.results;
  return {
    metrics: primary.metrics,
    distances: encodeDistances(primary.distances),
    evalSets: further.map((r, k) => ({
      metrics: r.metrics,
      evalCurve: curves[k] ?? [],
      distances: encodeDistances(r.distances),
    })),
  };
}

async function trainAndEvaluate(
  ctx: CellContext,
  cell: MatrixCell,
  seed: number,
): Promise<{ row: Partial<Cell>; final: SetResults }> {
  const { preset, backend } = ctx;
  const init = new Rng(seed, "init");
  const dropout = new Rng(seed, "dropout");
  const moduleContext = { backend, rng: init, dropoutRng: dropout };
  const backbone = backbones.get(cell.backbone).create(backboneOptionsOf(preset, cell.backbone), moduleContext);
  const measure = () => evaluateOnSets(backend, backbone, ctx.evalSets, preset);
  const handOver = async () => {
    if (ctx.onTrained) await ctx.onTrained(cell, seed, await readTensors(backboneEntries(backbone)));
  };
  if (cell.stage === "pretrained" || cell.stage === "finetuned") {
    if (!ctx.pretrained) throw new Error(`stage ${cell.stage} needs a pre-trained backbone; none was provided`);
    const pre = await ctx.pretrained(cell.backbone, seed);
    restoreTensors(backboneEntries(backbone), pre.tensors, "pre-training");
    if (cell.stage === "pretrained") {
      try {
        const final = await measure();
        await handOver();
        return {
          final,
          row: {
            steps: pre.steps,
            imagesPerSecond: pre.imagesPerSecond,
            ...resultFields(final, []),
            trained: trainedByLoss(pre.lossCurve),
            lossCurve: pre.lossCurve,
            weightHash: pre.weightHash,
          },
        };
      } finally {
        backbone.dispose();
      }
    }
  }
  const head = heads.get(cell.head).create(
    headOptionsOf(preset, cell.head, { embeddingSize: backbone.embeddingSize, numClasses: ctx.train.numClasses }),
    moduleContext,
  );
  const teacherWeights = cell.stage === "distilled" ? await teacherOf(ctx, cell, seed) : null;
  const teacher = teacherWeights && buildTeacher(backend, preset, teacherWeights, ctx.train.numClasses);
  const store = ctx.storeFor?.(cell, seed);
  const start = await savedStart(store);
  const { loader, steps, config } = trainingRun(
    withHeadSampler(preset, cell.head),
    ctx.train,
    preset.train,
    seed,
    start,
  );
  let latest: SetResults | null = null;
  let step = 0;
  // accuracy on each further set at every evaluation (the trainer keeps the primary's curve)
  const furtherCurves: { step: number; accuracy: number }[][] = ctx.evalSets.slice(1).map(() => []);
  const evaluateNow = async () => {
    latest = await measure();
    latest.results.slice(1).forEach((r, k) => furtherCurves[k].push({ step, accuracy: r.metrics.accuracyMean }));
    return latest.results[0].metrics.accuracyMean;
  };
  const trainer = new Trainer({
    backend,
    backbone,
    head,
    data: loader,
    streams: [dropout],
    store,
    config: config({ evalEpochs: preset.train.evalEveryEpochs, checkpointEpochs: preset.train.checkpointEveryEpochs }),
    auxiliaryLoss: teacher ? distillationTerm(teacher, preset.distill!.terms) : undefined,
    evaluate: evaluateNow,
    onStep: (at, loss) => {
      step = at;
      ctx.onStep?.(cell, at, steps, loss);
    },
  });
  try {
    await trainer.resume();
    const resumedAt = trainer.step;
    const trainStart = performance.now();
    const result = await trainer.run();
    const trainSeconds = (performance.now() - trainStart) / 1000;
    // The trainer evaluates after its last iteration; only a run resumed at its very end has not.
    const final: SetResults = latest ?? (await measure());
    await handOver();
    const lossCurve = result.lossCurve.map((p) => ({ step: p.step, loss: p.value }));
    return {
      final,
      row: {
        steps: result.steps,
        imagesPerSecond: ((result.steps - resumedAt) * preset.train.batchSize) / Math.max(trainSeconds, 1e-9),
        ...resultFields(final, furtherCurves),
        trained: trainedByLoss(lossCurve),
        lossCurve,
        evalCurve: result.evalCurve.map((p) => ({ step: p.step, accuracy: p.value })),
        weightHash: result.weightHash,
        ...(teacherWeights ? { teacher: teacherWeights.info } : {}),
      },
    };
  } finally {
    loader.close();
    trainer.dispose();
    for (const m of [backbone, head, teacher?.backbone, teacher?.head]) m?.dispose();
  }
}

/** The teacher of a distilled cell and seed. */
function teacherOf(ctx: CellContext, cell: MatrixCell, seed: number): Promise<TeacherWeights> {
  if (!ctx.teacher) throw new Error("stage distilled needs a teacher; none was provided");
  return ctx.teacher(cell, seed);
}
