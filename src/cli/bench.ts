/**
 * `deno task bench`: trains and evaluates every selected backbone × head cell of a preset, measures throughput,
 * and writes `reports/<run-id>/report.{json,md,html}`; optionally compares with a baseline (`--check`) or
 * rewrites it (`--update-baseline`). `deno task bench merge a.json b.json …` joins shard reports;
 * `deno task bench replicate first.json second.json` re-tests the significant orderings of one run on another.
 * `--preset NAME` also runs a suite (`benchmarks/suites/NAME.json`: several presets, then its claims tested on their
 * reports into `findings.{json,md}`); `deno task bench claims SUITE report.json …` tests the claims on earlier runs.
 * Exit codes: 0 ok, 1 regression or failed cells under --check, 2 bad input.
 * @module
 */
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { createBackend } from "../backends/registry.ts";
import { runCell } from "../bench/cell.ts";
import { datasetHash, loadBenchDataset, withoutLowShot } from "../bench/datasets.ts";
import { evaluationOf, normalizedTestImages } from "../bench/evaluate_model.ts";
import { checkModelOptions } from "../bench/model_options.ts";
import { pretrainedBackbones } from "../bench/pretrain.ts";
import { rawPixelReference, untrainedReference } from "../bench/references.ts";
import { mergeReports } from "../bench/merge.ts";
import {
  applyFilters,
  loadPreset,
  parseShard,
  type Preset,
  presetNames,
  seedList,
  type Shard,
} from "../bench/presets.ts";
import { presetCells } from "../bench/preset_cells.ts";
import { loadSuite, type Suite, suiteNames } from "../bench/suite.ts";
import { runThroughput } from "../bench/run_throughput.ts";
import { consoleProgress } from "../data/progress.ts";
import { baselineMismatch, compareReports, comparisonTable, toBaseline } from "../report/compare.ts";
import { collectEnvironment } from "../report/environment.ts";
import { markdownTable } from "../report/markdown.ts";
import {
  claimsTable,
  evaluateClaims,
  type Findings,
  FINDINGS_VERSION,
  type PartReport,
  writeFindings,
} from "../report/claims.ts";
import { type Cell, type Reference, type Report, REPORT_VERSION } from "../report/schema.ts";
import { replicate, replicationTable } from "../report/replication.ts";
import { ALPHA, computeStatistics } from "../report/statistics.ts";
import { readReport, type ReportFiles, writeReport } from "../report/write.ts";
import { writeFileAtomic } from "../report/atomic_write.ts";
import { Progress } from "./progress.ts";

const USAGE = `Usage:
  deno task bench [--preset NAME|path.json] [--backbones GLOBS] [--heads GLOBS]
                  [--backend NAME] [--threads N] [--mode deterministic|fast] [--seed N] [--seeds N]
                  [--shard i/n] [--out DIR]
                  [--check BASELINE.json [--allow-new-cells]] [--update-baseline] [--no-throughput]
  deno task bench merge SHARD_REPORT.json... [--out DIR]
  deno task bench replicate FIRST_REPORT.json SECOND_REPORT.json
  deno task bench claims SUITE|suite.json PART_REPORT.json... [--out DIR]
  deno task bench --help`;

/** A command-line mistake: printed with the usage, exit code 2. */
class UsageError extends Error {}

interface BenchArgs {
  preset: string;
  backbones?: string;
  heads?: string;
  backend?: string;
  threads?: number;
  mode?: "deterministic" | "fast";
  seed?: number;
  seeds?: number;
  shard?: Shard;
  out: string;
  check?: string;
  updateBaseline: boolean;
  allowNewCells: boolean;
  throughput: boolean;
}

function integer(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name}: expected a non-negative integer, got "${text}"`);
  return n;
}

function wasmMode(text: string | undefined): BenchArgs["mode"] {
  if (text === undefined || text === "deterministic" || text === "fast") return text;
  throw new UsageError(`--mode: expected deterministic or fast, got "${text}"`);
}

function parseBenchArgs(args: string[]): BenchArgs {
  const { values } = parseArgs({
    args,
    options: {
      preset: { type: "string", default: "quick" },
      backbones: { type: "string" },
      heads: { type: "string" },
      backend: { type: "string" },
      threads: { type: "string" },
      mode: { type: "string" },
      seed: { type: "string" },
      seeds: { type: "string" },
      shard: { type: "string" },
      out: { type: "string", default: "reports" },
      check: { type: "string" },
      "update-baseline": { type: "boolean", default: false },
      "allow-new-cells": { type: "boolean", default: false },
      "no-throughput": { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    preset: values.preset,
    backbones: values.backbones,
    heads: values.heads,
    backend: values.backend,
    threads: integer("threads", values.threads),
    mode: wasmMode(values.mode),
    seed: integer("seed", values.seed),
    seeds: integer("seeds", values.seeds),
    shard: values.shard === undefined ? undefined : parseShard(values.shard),
    out: values.out,
    check: values.check,
    updateBaseline: values["update-baseline"],
    allowNewCells: values["allow-new-cells"],
    throughput: !values["no-throughput"],
  };
}

function runId(preset: Preset, shard: Shard | undefined): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const seeds = preset.seeds > 1 ? `seeds${preset.seed}-${preset.seed + preset.seeds - 1}` : `seed${preset.seed}`;
  return `${preset.name}-${seeds}-${stamp}${shard ? `-shard${shard.index}of${shard.count}` : ""}`;
}

function cellLine(c: Cell): string {
  const where = `${c.backbone} × ${c.head}${c.stage === "scratch" ? "" : ` (${c.stage})`} (seed ${c.seed})`;
  if (c.error) return `  ${where}: FAILED ${c.error}`;
  const m = c.metrics!;
  return `  ${where}: accuracy ${(100 * m.accuracyMean).toFixed(2)}% ± ${(100 * m.accuracyStd).toFixed(2)} ` +
    `AUC ${m.auc.toFixed(4)} (${c.steps} steps, ${c.wallSeconds.toFixed(0)} s, ${c.imagesPerSecond.toFixed(1)} img/s)`;
}

function referenceLine(r: Reference): string {
  const what = r.kind === "raw_pixels" ? "raw pixels" : `${r.backbone} untrained (seed ${r.seed})`;
  return `  reference ${what}: accuracy ${(100 * r.metrics.accuracyMean).toFixed(2)}% ` +
    `± ${(100 * r.metrics.accuracyStd).toFixed(2)} AUC ${r.metrics.auc.toFixed(4)}`;
}

/** The progress bar of one training run, with images per second measured from its first reported step. */
class RunProgress {
  readonly #progress: Progress;
  #first: { step: number; time: number } | null = null;

  constructor(label: string, steps: number, readonly batchSize: number) {
    this.#progress = new Progress(label, steps);
  }

  update(step: number, loss: number): void {
    const time = performance.now();
    this.#first ??= { step, time };
    const seconds = (time - this.#first.time) / 1000;
    const imagesPerSecond = seconds > 0 ? ((step - this.#first.step) * this.batchSize) / seconds : 0;
    this.#progress.update({ step, loss, imagesPerSecond });
  }

  finish(): void {
    this.#progress.finish();
  }
}

/** Progress of the pre-training runs: one bar per backbone and seed. */
function pretrainProgress(batchSize: number) {
  let current: { key: string; progress: RunProgress } | null = null;
  return (backbone: string, seed: number, step: number, steps: number, loss: number) => {
    const key = `${backbone}/${seed}`;
    if (current?.key !== key) {
      current = { key, progress: new RunProgress(`pre-training ${backbone} s${seed}`, steps, batchSize) };
    }
    current.progress.update(step, loss);
    if (step === steps) current.progress.finish();
  };
}

/** What one preset's run produced: the exit code, the report and its files. */
interface BenchResult {
  code: number;
  report: Report;
  files: ReportFiles;
}

async function bench(args: BenchArgs): Promise<BenchResult> {
  const preset = applyFilters(await loadPreset(args.preset), {
    backbones: args.backbones,
    heads: args.heads,
    backend: args.backend,
    seed: args.seed,
    seeds: args.seeds,
  });
  if (args.seeds === 0) throw new UsageError("--seeds: expected at least 1");
  checkModelOptions(preset);
  const seeds = seedList(preset);
  const threads = args.threads ?? preset.threads ?? undefined;
  const cells = presetCells(preset, args.shard);
  console.log(
    `facebench: preset "${preset.name}", ${cells.length} cells × ${seeds.length} seed(s) on ${preset.backend}, ` +
      `seeds ${seeds.join(", ")}`,
  );
  const loaded = await loadBenchDataset(preset.dataset, { onProgress: consoleProgress, log: console.log });
  const dataset = withoutLowShot(loaded, preset.data.numMin);
  if (dataset !== loaded) {
    console.log(
      `data.numMin ${preset.data.numMin}: kept ${dataset.train.numClasses} of ${loaded.train.numClasses} training ` +
        `identities (${dataset.train.count} of ${loaded.train.count} images)`,
    );
  }
  const backend = await createBackend(preset.backend, { threads, mode: args.mode });
  const testImages = normalizedTestImages(dataset);
  const pretrained = preset.pretrain
    ? pretrainedBackbones({
      preset,
      backend,
      dataset: await loadBenchDataset(preset.pretrain.dataset, { onProgress: consoleProgress, log: console.log }),
      onStep: pretrainProgress(preset.pretrain.batchSize),
    })
    : undefined;
  const references: Reference[] = [rawPixelReference(dataset, preset)];
  for (const name of new Set(cells.map((c) => c.backbone))) {
    for (const seed of seeds) {
      references.push(await untrainedReference(backend, dataset, testImages, preset, name, seed));
    }
  }
  for (const r of references) console.log(referenceLine(r));
  const rows: Cell[] = [];
  const total = cells.length * seeds.length;
  for (const cell of cells) {
    for (const seed of seeds) {
      let progress: RunProgress | null = null;
      const stage = cell.stage === "scratch" ? "" : ` ${cell.stage}`;
      const label = `[${rows.length + 1}/${total}] ${cell.backbone} × ${cell.head}${stage} s${seed}`;
      const row = await runCell(
        {
          preset,
          dataset,
          testImages,
          backend,
          pretrained,
          onStep: (_, step, steps, loss) => {
            progress ??= new RunProgress(label, steps, preset.train.batchSize);
            progress.update(step, loss);
          },
        },
        cell,
        seed,
      );
      (progress as RunProgress | null)?.finish();
      rows.push(row);
      console.log(cellLine(row));
    }
  }
  const throughput = args.throughput && preset.throughput && !args.shard
    ? await runThroughput(preset, { threads, mode: args.mode }, (line) => console.log(line))
    : [];
  const backendInfo = backend.info();
  backend.destroy();
  const evaluation = evaluationOf(dataset, preset);
  const report: Report = {
    version: REPORT_VERSION,
    run: {
      id: runId(preset, args.shard),
      preset: preset.name,
      seeds,
      createdAt: new Date().toISOString(),
      command: ["deno task bench", ...Deno.args].join(" "),
      shards: args.shard ? [args.shard] : [{ index: 1, count: 1 }],
    },
    environment: await collectEnvironment([backendInfo], {
      id: dataset.id,
      hash: await datasetHash(dataset),
      trainImages: dataset.train.count,
      trainIdentities: dataset.train.numClasses,
      evalPairs: dataset.pairs.left.length,
    }),
    cells: rows,
    references,
    evaluation,
    statistics: computeStatistics({ cells: rows, references, evaluation, seeds }),
    throughput,
  };
  const files = await writeReport(`${args.out}/${report.run.id}`, report);
  console.log(`report: ${files.json}\n        ${files.markdown}\n        ${files.html}`);
  if (args.updateBaseline) {
    const failed = rows.filter((r) => r.error);
    if (failed.length > 0) {
      console.error(`--update-baseline refused: ${failed.length} cell(s) failed`);
      return { code: 1, report, files };
    }
    const path = `fixtures/baselines/${preset.name}.json`;
    await writeFileAtomic(path, JSON.stringify(toBaseline(report), null, 2) + "\n");
    console.log(`baseline written: ${path}`);
  }
  if (args.check) {
    const baseline = await readReport(args.check);
    const mismatch = baselineMismatch(report, baseline);
    if (mismatch) {
      console.log(`regression check: FAIL (${args.check}: ${mismatch})`);
      return { code: 1, report, files };
    }
    const comparison = compareReports(report, baseline, {
      accuracyTolerance: preset.accuracyTolerance,
      allowNewCells: args.allowNewCells,
    });
    console.log(markdownTable(comparisonTable(comparison)));
    console.log(comparison.pass ? "regression check: PASS" : "regression check: FAIL");
    return { code: comparison.pass ? 0 : 1, report, files };
  }
  return { code: 0, report, files };
}

async function merge(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { out: { type: "string", default: "reports" } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length === 0) throw new UsageError("merge: give at least one shard report.json");
  const inputs = await Promise.all(positionals.map(async (source) => ({ source, report: await readReport(source) })));
  const first = inputs[0].report.run;
  const merged = mergeReports(inputs, `${first.preset}-seed${first.seeds[0]}-merged-${Date.now()}`);
  const files = await writeReport(`${values.out}/${merged.run.id}`, merged);
  console.log(`merged ${inputs.length} shard reports: ${files.json}`);
  return 0;
}

async function replicateCommand(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  if (positionals.length !== 2) throw new UsageError("replicate: give two report.json files (first, second)");
  const [first, second] = await Promise.all(positionals.map((path) => readReport(path)));
  const replication = replicate(first, second, [positionals[0], positionals[1]]);
  console.log(markdownTable(replicationTable(replication)));
  console.log(
    `${replication.replicated} of ${replication.rows.length} significant orderings of ${positionals[0]} ` +
      `replicated in ${positionals[1]} (Holm over the re-tests, α = ${ALPHA})`,
  );
  return 0;
}

/** Evaluates the suite's claims on its part reports, writes findings.{json,md} into `dir` and prints the table. */
async function writeSuiteFindings(suite: Suite, dir: string, reports: Map<string, PartReport>): Promise<void> {
  const findings: Findings = {
    version: FINDINGS_VERSION,
    suite: suite.name,
    description: suite.description,
    createdAt: new Date().toISOString(),
    command: ["deno task bench", ...Deno.args].join(" "),
    alpha: ALPHA,
    parts: suite.parts.map((preset) => {
      const part = reports.get(preset);
      if (!part) throw new UsageError(`suite ${suite.name}: no report of part ${preset}`);
      return { preset, runId: part.report.run.id, report: part.path, seeds: part.report.run.seeds };
    }),
    claims: evaluateClaims(suite, reports),
  };
  const files = await writeFindings(dir, findings);
  console.log(markdownTable(claimsTable(findings.claims)));
  console.log(`findings: ${files.json}\n          ${files.markdown}`);
}

/**
 * Runs every part of a suite as its own preset (reports in `<out>/<suite run>/<part run>/`), then tests the
 * suite's claims on their reports. With `--check DIR`, each part is gated against `DIR/<part>.json`.
 */
async function runSuite(args: BenchArgs): Promise<number> {
  if (args.shard || args.backbones || args.heads) {
    throw new UsageError(`--preset ${args.preset} is a suite: --shard, --backbones and --heads apply to presets only`);
  }
  const { suite } = await loadSuite(args.preset);
  const dir = join(args.out, `${suite.name}-${new Date().toISOString().replace(/[:.]/g, "-")}`);
  console.log(`facebench: suite "${suite.name}": parts ${suite.parts.join(", ")}; ${suite.claims.length} claims`);
  const reports = new Map<string, PartReport>();
  let code = 0;
  for (const part of suite.parts) {
    const check = args.check === undefined ? undefined : join(args.check, `${part}.json`);
    const result = await bench({ ...args, preset: part, out: dir, check });
    code = Math.max(code, result.code);
    reports.set(part, { report: result.report, path: relative(dir, result.files.json) });
  }
  await writeSuiteFindings(suite, dir, reports);
  return code;
}

/** `deno task bench claims SUITE REPORT.json...`: tests a suite's claims on part reports made earlier. */
async function claimsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { out: { type: "string", default: "reports" } },
    allowPositionals: true,
    strict: true,
  });
  const [name, ...paths] = positionals;
  if (!name || paths.length === 0) throw new UsageError("claims: give a suite name and its part reports (report.json)");
  const { suite } = await loadSuite(name);
  const dir = join(values.out, `${suite.name}-claims-${new Date().toISOString().replace(/[:.]/g, "-")}`);
  const reports = new Map<string, PartReport>();
  for (const path of paths) {
    const report = await readReport(path);
    if (reports.has(report.run.preset)) throw new UsageError(`claims: two reports of preset ${report.run.preset}`);
    reports.set(report.run.preset, { report, path: relative(dir, path) });
  }
  await writeSuiteFindings(suite, dir, reports);
  return 0;
}

/** Runs the command line; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(
      `${USAGE}\nPresets (benchmarks/presets/NAME.json; default quick): ${presetNames().join(", ")}\n` +
        `Suites (benchmarks/suites/NAME.json, run with --preset NAME; --check takes a directory of part baselines): ` +
        suiteNames().join(", "),
    );
    return 0;
  }
  try {
    if (argv[0] === "merge") return await merge(argv.slice(1));
    if (argv[0] === "replicate") return await replicateCommand(argv.slice(1));
    if (argv[0] === "claims") return await claimsCommand(argv.slice(1));
    const args = parseBenchArgs(argv);
    return suiteNames().includes(args.preset) ? await runSuite(args) : (await bench(args)).code;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    console.error(`error: ${message}${usage ? `\n${USAGE}` : ""}`);
    return usage ? 2 : 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
