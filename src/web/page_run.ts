/**
 * One preset's run inside a browser page, with the engine the command line uses: the preset (fetched through the
 * host), the run's data (synthetic sets rendered in the page by the same generator and checked against their
 * manifests), the reference rows, each chosen cell × seed trained by `runCell`, and the report assembled and
 * written through the host exactly as `executeRun` does (no journal, checkpoints or baseline update: a page keeps
 * no run state between visits, only the dataset cache; no t-SNE map). The throughput section, where chosen, is the `standard` preset's
 * (`runThroughput`, as the command line measures it) for the chosen backbones on the run's backend.
 * @module
 */
import { createBackend } from "../backends/registry.ts";
import { parseOrThrow } from "../core/validation.ts";
import { runCell } from "../bench/cell.ts";
import { checkModelOptions } from "../bench/model_options.ts";
import { presetCells } from "../bench/preset_cells.ts";
import { applyFilters, loadPreset, type MatrixCell, type Preset, presetSchema, seedList } from "../bench/presets.ts";
import { dataProblems, loadRunData } from "../bench/run_data.ts";
import { assembleReport, runReferences } from "../bench/run_report.ts";
import { runThroughput } from "../bench/run_throughput.ts";
import type { Progress } from "../io/progress.ts";
import type { Cell, Report } from "../report/schema.ts";
import { type ReportFiles, writeReport } from "../report/write.ts";
import type { ThroughputChoice } from "./messages.ts";

/** What to run in the page. */
export interface PageRunOptions {
  /** preset name (`benchmarks/presets/<name>.json`) */
  preset: string;
  /** comma-separated heads to keep (undefined: the preset's) */
  heads?: string;
  /** backend name (undefined: the preset's) */
  backend?: string;
  /** threads of the WASM backend */
  threads: number;
  /** the throughput section to measure after the cells (undefined: none) */
  throughput?: ThroughputChoice;
  /** the report's `command` */
  command: string;
  /** receives one line per notable fact */
  log(line: string): void;
  /** progress of long loading work, by label */
  onProgress(label: string): Progress;
  /** progress of a cell's training: after every iteration */
  onStep(cell: MatrixCell, step: number, steps: number, loss: number): void;
  /** called with each finished row */
  onRow(row: Cell): void;
}

/** The report of a page run and the paths the host holds its files under. */
export interface PageRunResult {
  report: Report;
  files: ReportFiles;
}

/** The `standard` preset with its throughput section narrowed to `choice` on `backend` (checked as a preset's). */
export async function throughputPreset(choice: ThroughputChoice, backend: string): Promise<Preset> {
  const standard = await loadPreset("standard");
  const section = standard.throughput!;
  const throughput = parseOrThrow(presetSchema.shape.throughput, {
    backbones: choice.backbones,
    backends: [backend],
    batchSize: choice.batchSize ?? section.batchSize,
    warmupSteps: choice.warmupSteps ?? section.warmupSteps,
    timedSteps: choice.timedSteps ?? section.timedSteps,
  }, "the page's throughput section");
  return { ...standard, throughput };
}

/** Runs `options.preset`'s cells (then the chosen throughput section) in the page and writes the report. */
export async function runInPage(options: PageRunOptions): Promise<PageRunResult> {
  const preset = applyFilters(await loadPreset(options.preset), { heads: options.heads, backend: options.backend });
  checkModelOptions(preset);
  const seeds = seedList(preset);
  const cells = presetCells(preset);
  const { log, onProgress } = options;
  log(`preset "${preset.name}": ${cells.length} cell(s) × ${seeds.length} seed(s) on ${preset.backend}`);
  const data = await loadRunData(preset, { onProgress, log });
  const problems = dataProblems(preset, data);
  if (problems.length > 0) throw new Error(`preset ${preset.name}: ${problems.join("; ")}`);
  const backend = await createBackend(preset.backend, { threads: options.threads });
  const references = await runReferences(backend, data, preset, cells, seeds);
  const rows: Cell[] = [];
  for (const cell of cells) {
    for (const seed of seeds) {
      const { row } = await runCell(
        { preset, train: data.train, evalSets: data.evalSets, backend, onStep: options.onStep },
        cell,
        seed,
      );
      rows.push(row);
      options.onRow(row);
    }
  }
  const results = { preset, seeds, data, rows, references, backendInfo: backend.info() };
  backend.destroy();
  const throughput = options.throughput
    ? await runThroughput(await throughputPreset(options.throughput, preset.backend), { threads: options.threads }, log)
    : [];
  if (options.throughput && throughput.length === 0) {
    log(`throughput: no full-size backbone matches ${options.throughput.backbones.join(", ")}; none measured`);
  }
  // a page maps no t-SNE embedding (see the module documentation)
  const report = await assembleReport({ ...results, command: options.command, shard: null, throughput, tsne: null });
  return { report, files: await writeReport(`reports/${report.run.id}`, report) };
}
