/**
 * A backend comparison on the command line (`--backends wasm,webgpu` or a preset's `backends`): the preset runs once
 * per backend, in order, each as an ordinary run with its own report in `<out>/<comparison>/<backend>/<run id>/`
 * (the throughput section only in the first), keeping every trained cell's backbone weights in memory; then the
 * parity step embeds the primary evaluation set with every model on every backend, and `comparison.{json,md}` are
 * written to `<out>/<comparison>/`. The folder name has no time stamp, so a re-run of an interrupted command resumes
 * the backend it stopped in (cells reused from its journal have no weights: their parity rows say so).
 * @module
 */
import { join, relative } from "node:path";
import { type BackendEntry, parseBackendList } from "../bench/backend_list.ts";
import { type BackendRun, compareBackends } from "../bench/backend_comparison.ts";
import { embedTrainedWeights } from "../bench/backend_parity.ts";
import { loadPreset, type MatrixCell } from "../bench/presets.ts";
import { createBackend } from "../backends/registry.ts";
import {
  type Comparison,
  COMPARISON_VERSION,
  equivalenceTable,
  parityTable,
  writeComparison,
} from "../report/backend_comparison.ts";
import { markdownTable } from "../report/markdown.ts";
import { cellKey } from "../report/statistics.ts";
import type { NamedArray } from "../train/safetensors.ts";
import { type BenchArgs, UsageError } from "./bench_args.ts";
import { asInputError, executeRun, precheckRun, prepareRun, type RunPlan } from "./bench_run.ts";

/**
 * The backends a run compares: `--backends`, else the preset's `backends` unless `--backend` names one; null for
 * an ordinary run. Bad names are an input error (exit code 2).
 */
export async function comparedBackends(args: BenchArgs): Promise<BackendEntry[] | null> {
  if (args.backends) return parseBackendList(args.backends);
  if (args.backend) return null;
  const { backends } = await asInputError(loadPreset(args.preset));
  return backends ? parseBackendList(backends) : null;
}

const weightKey = (cell: Pick<MatrixCell, "backbone" | "head" | "stage">, seed: number) => `${cellKey(cell)}#${seed}`;

/** Checks every backend's run and that every backend can be created, before anything trains. */
async function precheck(args: BenchArgs, entries: readonly BackendEntry[], parts: readonly BenchArgs[]) {
  const clashing = [
    args.mode && "--mode (spell the relaxed-SIMD build wasm-fast)",
    args.shard && "--shard",
    args.check && "--check",
    args.updateBaseline && "--update-baseline",
  ].filter((f) => f);
  if (clashing.length > 0) throw new UsageError(`a backend comparison cannot take ${clashing.join(", ")}`);
  for (const part of parts) await precheckRun(part);
  for (const entry of entries) {
    const backend = await asInputError(createBackend(entry.name, { threads: args.threads, mode: entry.mode }));
    backend.destroy();
  }
}

/** Runs the comparison; returns the exit code (1 when a cell failed on any backend, else 0). */
export async function runBackendComparison(args: BenchArgs, entries: readonly BackendEntry[]): Promise<number> {
  const preset = await asInputError(loadPreset(args.preset));
  const seed = args.seed ?? preset.seed, seeds = args.seeds ?? preset.seeds;
  const seedText = seeds > 1 ? `seeds${seed}-${seed + seeds - 1}` : `seed${seed}`;
  const dir = join(args.out, `${preset.name}-${seedText}-${entries.map((e) => e.label).join("-vs-")}`);
  const parts = entries.map((entry, k): BenchArgs => ({
    ...args,
    backends: undefined,
    backend: entry.name,
    mode: entry.mode,
    out: join(dir, entry.label),
    throughput: args.throughput && k === 0,
  }));
  await precheck(args, entries, parts);
  console.log(`facebench: backend comparison of ${entries.map((e) => e.label).join(", ")} in ${dir}`);
  const runs: (BackendRun & { json: string })[] = [];
  const weights = new Map<string, Map<string, NamedArray[]>>();
  let first: RunPlan | null = null;
  for (const [k, entry] of entries.entries()) {
    console.log(`facebench: backend ${k + 1} of ${entries.length}: ${entry.label}`);
    const plan = await prepareRun(parts[k]);
    first ??= plan;
    const kept = new Map<string, NamedArray[]>();
    weights.set(entry.label, kept);
    plan.onTrained = (cell, s, tensors) => kept.set(weightKey(cell, s), tensors);
    const result = await executeRun(plan);
    runs.push({ label: entry.label, report: result.report, json: result.files.json });
  }
  const { cells, seeds: seedList, data, threads } = first!;
  const evalSet = data.evalSets[0];
  const embedded = await embedTrainedWeights({
    backends: entries.map((e) => ({ label: e.label, create: () => createBackend(e.name, { threads, mode: e.mode }) })),
    cells,
    seeds: seedList,
    weightsOf: (label, cell, s) => {
      const row = runs.find((r) => r.label === label)!.report.cells.find((c) =>
        weightKey(c, c.seed) === weightKey(cell, s)
      );
      if (!row) return `not run on ${label}`;
      if (row.error !== null) return `failed on ${label}`;
      return weights.get(label)!.get(weightKey(cell, s)) ?? "weights not available (resumed)";
    },
    evalSet,
    preset: first!.preset,
    log: (line) => console.log(line),
  });
  const comparison: Comparison = {
    version: COMPARISON_VERSION,
    preset: preset.name,
    seeds: seedList,
    createdAt: new Date().toISOString(),
    command: ["deno task bench", ...Deno.args].join(" "),
    reference: entries[0].label,
    evalSet: evalSet.set.name,
    pairs: evalSet.set.pairs.left.length,
    backends: runs.map((r) => ({
      label: r.label,
      info: r.report.environment.backends[0] ?? null,
      report: relative(dir, r.json),
      runId: r.report.run.id,
      cells: r.report.cells.length,
      failed: r.report.cells.filter((c) => c.error !== null).length,
    })),
    ...compareBackends(runs, embedded),
  };
  const files = await writeComparison(dir, comparison);
  console.log(markdownTable(parityTable(comparison)));
  console.log(markdownTable(equivalenceTable(comparison)));
  console.log(`comparison: ${files.json}\n            ${files.markdown}`);
  return comparison.failedCells > 0 ? 1 : 0;
}
