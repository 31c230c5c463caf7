/**
 * One preset's bench run, in two phases. {@link prepareRun} checks everything that can be checked before a cell
 * trains — preset, model options, cell selection, baseline file and its identity, output folder, datasets, batch
 * size and folds against the data, backend — and turns any failure into an {@link InputError} (exit code 2).
 * {@link executeRun} then evaluates the reference rows, trains every cell × seed (finished rows go to the run's
 * journal at once, and rows already in it are reused: a re-run of an interrupted command resumes), measures
 * throughput, writes the report, prints a summary, and updates or checks the baseline. {@link runPreset} does both.
 * Everything printed goes to the run's {@link RunHost} (the console by default); the host's `guard` hook spans the
 * training (the command line stops on SIGINT/SIGTERM there). The entry point over presets, suites and backend
 * comparisons is `runBench` in `run.ts`.
 * @module
 */
import { dirname } from "node:path";
import type { Backend } from "../core/backend.ts";
import { createBackend } from "../backends/registry.ts";
import { backendLabel } from "./backend_label.ts";
import { type CellContext, runCell } from "./cell.ts";
import { CellJournal } from "./cell_journal.ts";
import { KeptModels } from "./kept_models.ts";
import { RunCheckpoints } from "./run_checkpoints.ts";
import { loadBenchDataset } from "./datasets.ts";
import { checkModelOptions } from "./model_options.ts";
import { type PretrainedBackbone, pretrainedBackbones } from "./pretrain.ts";
import { checkTeacher, teachers, type TeacherWeights } from "./teacher.ts";
import { presetCells } from "./preset_cells.ts";
import { applyFilters, loadPreset, type MatrixCell, type Preset, seedList } from "./presets.ts";
import { assembleReport, runReferences } from "./run_report.ts";
import { dataProblems, loadRunData, type RunData, tsneRequest } from "./run_data.ts";
import type { TsneRequest } from "./tsne_map.ts";
import { runThroughput } from "./run_throughput.ts";
import type { FaceDataset } from "../data/dataset.ts";
import { formatDuration } from "../io/progress.ts";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { baselineMismatch, compareReports, comparisonTable, toBaseline } from "../report/compare.ts";
import { gitCommit } from "../report/environment.ts";
import { percent } from "../report/format.ts";
import { markdownTable } from "../report/markdown.ts";
import type { Cell, Reference, Report, Tsne } from "../report/schema.ts";
import { readReport, type ReportFiles, writeReport } from "../report/write.ts";
import {
  asInputError,
  baselineTarget,
  checkWritable,
  consoleHost,
  DEFAULT_COMMAND,
  InputError,
  type RunHost,
  type RunOptions,
} from "./run_options.ts";
import { pretrainProgress, RunOverview, RunProgress, trainingBars } from "./run_progress.ts";

/** What one preset's run produced: the exit code, the report and its files. */
export interface BenchResult {
  /** 0 success, 1 a regression or a failed cell */
  code: number;
  /** the report written */
  report: Report;
  /** its files */
  files: ReportFiles;
}

/** Everything a run needs, checked before the first cell trains. */
export interface RunPlan {
  options: RunOptions;
  /** where the run's lines and progress go */
  host: RunHost;
  preset: Preset;
  seeds: number[];
  threads: number | undefined;
  cells: MatrixCell[];
  /** the training set and the evaluation sets */
  data: RunData;
  /** the cell mapped with t-SNE, if any */
  tsne: TsneRequest | null;
  backend: Backend;
  pretrained?: (name: string, seed: number) => Promise<PretrainedBackbone>;
  /** the teacher of each distilled cell and seed (a preset with a distill block) */
  teacher?: (cell: MatrixCell, seed: number) => Promise<TeacherWeights>;
  /** the baseline of `--check` (read and matched to this run) */
  baseline: Report | null;
  /** where `--update-baseline` writes (null: not asked) */
  baselineOut: string | null;
  journal: CellJournal;
  /**
   * where `--keep-models` keeps each trained cell's backbone; also moves the files of journal rows kept by an
   * interrupted run with `--keep-models` into the report folder
   */
  kept: KeptModels;
  /** mid-training checkpoints of pre-training and cells, beside the journal (a re-run resumes from them) */
  checkpoints: RunCheckpoints;
  /** receives each trained cell's final backbone weights (a backend comparison sets it) */
  onTrained?: CellContext["onTrained"];
}

/**
 * Refuses what the data cannot serve (see `dataProblems`; and a pre-training batch larger than the pre-training
 * set), naming the preset field.
 */
function checkFeasible(preset: Preset, data: RunData, pretrainData: FaceDataset | null): void {
  const problems = dataProblems(preset, data);
  if (preset.pretrain && pretrainData && preset.pretrain.batchSize > pretrainData.train.count) {
    problems.push(
      `pretrain.batchSize ${preset.pretrain.batchSize} > the ${pretrainData.train.count} training images of ` +
        pretrainData.id,
    );
  }
  if (problems.length > 0) throw new InputError(`preset ${preset.name} on ${data.trainId}: ${problems.join("; ")}`);
}

/** The t-SNE request, refused unless its cell is one this run trains. */
function checkedTsne(
  preset: Preset,
  data: RunData,
  cells: readonly MatrixCell[],
  seed: number,
  log: (line: string) => void,
): TsneRequest | null {
  const request = tsneRequest(preset, data, seed, log);
  if (
    request &&
    !cells.some((c) => c.backbone === request.backbone && c.head === request.head && c.stage === request.stage)
  ) {
    throw new InputError(
      `tsne: the cell ${request.backbone} × ${request.head} (${request.stage}) is not among this run's cells`,
    );
  }
  return request;
}

/** The checks that need no data: preset, model options, cells, baseline file, output folders. */
async function checkInputs(options: RunOptions) {
  const preset = applyFilters(await loadPreset(options.preset), {
    backbones: options.backbones,
    heads: options.heads,
    backend: options.backend,
    seed: options.seed,
    seeds: options.seeds,
    trainSet: options.trainSet,
    evalSets: options.evalSets,
    tsne: options.tsne,
  });
  checkModelOptions(preset);
  checkTeacher(preset);
  const baselineOut = options.updateBaseline ? baselineTarget(options, preset.name) : null;
  if (baselineOut) await checkWritable(dirname(baselineOut), "--baseline-out");
  await checkWritable(options.out);
  return {
    preset,
    seeds: seedList(preset),
    threads: options.threads ?? preset.threads ?? undefined,
    cells: presetCells(preset, options.shard),
    baseline: options.check ? await readReport(options.check) : null,
    baselineOut,
  };
}

async function prepare(options: RunOptions, host: RunHost): Promise<RunPlan> {
  const { preset, seeds, threads, cells, baseline, baselineOut } = await checkInputs(options);
  const log = (line: string) => host.log(line);
  log(
    `facebench: preset "${preset.name}", ${cells.length} cells × ${seeds.length} seed(s) on ${preset.backend}, ` +
      `seeds ${seeds.join(", ")}`,
  );
  const onProgress = (label: string) => host.progress(label);
  const data = await loadRunData(preset, { onProgress, log });
  const pretrainData = preset.pretrain ? await loadBenchDataset(preset.pretrain.dataset, { onProgress, log }) : null;
  checkFeasible(preset, data, pretrainData);
  const tsne = checkedTsne(preset, data, cells, seeds[0], log);
  const mismatch = baseline
    ? baselineMismatch({ preset: preset.name, dataset: { id: data.trainId, hash: data.hash }, seeds }, baseline)
    : null;
  if (mismatch) throw new InputError(`--check ${options.check}: ${mismatch}`);
  const backend = await createBackend(preset.backend, { threads, mode: options.mode, winograd: options.winograd });
  const journal = await CellJournal.open(options.out, {
    preset,
    seeds,
    backend: backendLabel(backend),
    threads: threads ?? null,
    mode: options.mode ?? null,
    shard: options.shard ?? null,
    datasetHash: data.hash,
    gitCommit: await gitCommit(),
  });
  if (journal.size > 0 || journal.dropped > 0) {
    log(
      `resuming: ${journal.size} finished cell row(s) in ${journal.path} are reused` +
        (journal.dropped > 0 ? ` (${journal.dropped} damaged or failed row(s) dropped: trained again)` : ""),
    );
  }
  const checkpoints = new RunCheckpoints(journal.path.replace(/\.jsonl$/, ".checkpoints"));
  if (await checkpoints.present()) {
    log(`resuming: models in training continue from their checkpoints in ${checkpoints.root}`);
  }
  return {
    options,
    host,
    preset,
    seeds,
    threads,
    cells,
    data,
    tsne,
    backend,
    pretrained: preset.pretrain && pretrainData
      ? pretrainedBackbones({
        preset,
        backend,
        dataset: pretrainData,
        onStep: pretrainProgress(preset.pretrain.batchSize),
        storeFor: (name, seed) => checkpoints.pretraining(name, seed),
      })
      : undefined,
    teacher: preset.distill
      ? teachers({ preset, backend, train: data.train, onStep: trainingBars(preset.train.batchSize) })
      : undefined,
    baseline,
    baselineOut,
    journal,
    kept: new KeptModels(journal.path.replace(/\.jsonl$/, ".models")),
    checkpoints,
  };
}

/**
 * The checks of a run that need no data (preset, options, cells, baseline file, output folders), e.g. for every
 * part of a suite before the first one trains; any failure is an {@link InputError}.
 */
export async function precheckRun(options: RunOptions): Promise<void> {
  await asInputError(checkInputs(options));
}

/** Checks a run's inputs and builds its plan; any failure is an {@link InputError} (exit code 2). */
export function prepareRun(options: RunOptions, host: RunHost = consoleHost): Promise<RunPlan> {
  return asInputError(prepare(options, host));
}

function cellLine(c: Cell): string {
  const where = `${c.backbone} × ${c.head}${c.stage === "scratch" ? "" : ` (${c.stage})`} (seed ${c.seed})`;
  if (c.error) return `  ${where}: FAILED ${c.error}`;
  const m = c.metrics!;
  return `  ${where}: accuracy ${(100 * m.accuracyMean).toFixed(2)}% ± ${(100 * m.accuracyStd).toFixed(2)} ` +
    `AUC ${m.auc.toFixed(4)} (${c.steps} steps, ${c.wallSeconds.toFixed(0)} s, ${c.imagesPerSecond.toFixed(1)} img/s)`;
}

function referenceLine(r: Reference): string {
  const what = r.kind === "raw_pixels"
    ? "raw pixels"
    : r.kind === "onnx"
    ? `ONNX model ${r.backbone}`
    : `${r.backbone} untrained (seed ${r.seed})`;
  return `  reference ${what}: accuracy ${(100 * r.metrics.accuracyMean).toFixed(2)}% ` +
    `± ${(100 * r.metrics.accuracyStd).toFixed(2)} AUC ${r.metrics.auc.toFixed(4)}`;
}

/** Trains every cell × seed (or reuses its journaled outcome); returns the rows and the t-SNE map, if asked for. */
async function trainCells(plan: RunPlan): Promise<{ rows: Cell[]; tsne: Tsne | null }> {
  const { preset, seeds, cells, journal, host } = plan;
  const rows: Cell[] = [];
  let tsne: Tsne | null = null;
  const overview = new RunOverview(cells.length * seeds.length);
  for (const cell of cells) {
    for (const seed of seeds) {
      const reused = journal.finished({ ...cell, seed });
      if (reused) {
        rows.push(reused.row);
        tsne ??= reused.tsne;
        host.log(`${cellLine(reused.row)} [reused from the journal]`);
        host.log(overview.finished(null));
        continue;
      }
      let progress: RunProgress | null = null;
      const stage = cell.stage === "scratch" ? "" : ` ${cell.stage}`;
      const label = `[${rows.length + 1}/${overview.total}] ${cell.backbone} × ${cell.head}${stage} s${seed}`;
      const started = performance.now();
      let model: string | undefined;
      const outcome = await runCell(
        {
          preset,
          train: plan.data.train,
          evalSets: plan.data.evalSets,
          tsne: plan.tsne,
          backend: plan.backend,
          pretrained: plan.pretrained,
          teacher: plan.teacher,
          storeFor: (c, s) => plan.checkpoints.cell(c, s),
          onTrained: plan.onTrained || plan.options.keepModels
            ? async (trained, s, tensors) => {
              await plan.onTrained?.(trained, s, tensors);
              if (plan.options.keepModels) model = await plan.kept.save(trained, s, tensors);
            }
            : undefined,
          onStep: (_, step, steps, loss) => {
            progress ??= new RunProgress(label, steps, preset.train.batchSize);
            progress.update(step, loss);
          },
        },
        cell,
        seed,
      );
      (progress as RunProgress | null)?.finish();
      await plan.backend.trim(); // the cell's cached buffers go back, so the next model starts from free memory
      if (model !== undefined && outcome.row.error === null) outcome.row.model = model;
      if (outcome.row.error === null) {
        await journal.record(outcome);
        await plan.checkpoints.dropCell(cell, seed);
      }
      rows.push(outcome.row);
      tsne ??= outcome.tsne;
      host.log(cellLine(outcome.row));
      host.log(overview.finished((performance.now() - started) / 1000));
    }
  }
  return { rows, tsne };
}

/** The closing lines of a run: cells ok/failed, wall time, the most accurate cell, the report files. */
function summaryLines(report: Report, files: ReportFiles, seconds: number): string[] {
  const failed = report.cells.filter((c) => c.error !== null).length;
  // every cell failed: the statistics may still hold the reference rows, and no cell to name
  const cells = report.statistics?.cells ?? [];
  const best = cells.length === 0 ? undefined : cells.reduce((b, c) => (c.accuracy.value > b.accuracy.value ? c : b));
  return [
    `done: ${report.cells.length - failed} cell row(s) ok, ${failed} failed, in ${formatDuration(seconds)}` +
    (best ? `; most accurate: ${best.key} ${percent(best.accuracy.value)}%` : ""),
    `report: ${files.json}`,
    `        ${files.markdown}`,
    `        ${files.html}`,
  ];
}

/** Runs a prepared plan: references, cells, throughput, report, summary, then the baseline update or check. */
export async function executeRun(plan: RunPlan): Promise<BenchResult> {
  const { options, host, preset, seeds, data, backend } = plan;
  const started = performance.now();
  const release = host.guard?.(plan.journal) ?? (() => {});
  try {
    const references = await runReferences(backend, data, preset, plan.cells, seeds);
    for (const r of references) host.log(referenceLine(r));
    const { rows, tsne } = await trainCells(plan);
    const throughput = options.throughput && preset.throughput && !options.shard
      ? await runThroughput(preset, { threads: plan.threads, mode: options.mode }, (line) => host.log(line))
      : [];
    const backendInfo = backend.info();
    backend.destroy();
    const report = await assembleReport({
      preset,
      seeds,
      data,
      command: options.command ?? DEFAULT_COMMAND,
      shard: options.shard ?? null,
      backendInfo,
      rows,
      references,
      throughput,
      tsne,
    });
    const files = await writeReport(`${options.out}/${report.run.id}`, report);
    await plan.kept.moveInto(`${options.out}/${report.run.id}`, rows);
    await plan.checkpoints.remove();
    await plan.journal.remove();
    for (const line of summaryLines(report, files, (performance.now() - started) / 1000)) host.log(line);
    return { code: await settleBaseline(plan, report), report, files };
  } finally {
    release();
  }
}

/** `--update-baseline` and `--check` after the report is written; returns the exit code. */
async function settleBaseline(plan: RunPlan, report: Report): Promise<number> {
  const failed = report.cells.filter((r) => r.error !== null);
  if (plan.baselineOut) {
    if (failed.length > 0) {
      plan.host.error(`--update-baseline refused: ${failed.length} cell(s) failed`);
      return 1;
    }
    await writeFileAtomic(plan.baselineOut, JSON.stringify(toBaseline(report), null, 2) + "\n");
    plan.host.log(`baseline written: ${plan.baselineOut}`);
  }
  if (plan.baseline) {
    const comparison = compareReports(report, plan.baseline, {
      accuracyTolerance: plan.preset.accuracyTolerance,
      allowNewCells: plan.options.allowNewCells,
    });
    plan.host.log(markdownTable(comparisonTable(comparison)));
    plan.host.log(comparison.pass ? "regression check: PASS" : "regression check: FAIL");
    return comparison.pass ? 0 : 1;
  }
  return failed.length > 0 ? 1 : 0;
}

/** Prepares and executes one preset's run. */
export async function runPreset(options: RunOptions, host: RunHost = consoleHost): Promise<BenchResult> {
  return await executeRun(await prepareRun(options, host));
}
