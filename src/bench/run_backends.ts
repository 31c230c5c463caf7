/**
 * A backend comparison run (`backends: ["wasm", "webgpu"]` in the options, `--backends` on the command line, or a
 * preset's `backends`): the preset runs once per backend, in order, each as an ordinary run with its own report in `<out>/<comparison>/<backend>/<run id>/`
 * (the throughput section only in the first), keeping every trained cell's backbone weights in memory; then the
 * parity step embeds the primary evaluation set with every model on every backend, and `comparison.{json,md}` are
 * written to `<out>/<comparison>/`. The folder name has no time stamp, so a re-run of an interrupted command resumes
 * the backend it stopped in (cells reused from its journal have no weights: their parity rows say so).
 *
 * `--check PATH` and `--update-baseline` apply to every backend, each with its own baseline file (see
 * {@link backendBaselinePath}); the exit code is 1 when any backend's check fails.
 * @module
 */
import { join, relative } from "node:path";
import { type BackendEntry, parseBackendList } from "./backend_list.ts";
import { type BackendRun, compareBackends } from "./backend_comparison.ts";
import { embedTrainedWeights } from "./backend_parity.ts";
import { loadPreset, type MatrixCell } from "./presets.ts";
import { createBackend } from "../backends/registry.ts";
import {
  type Comparison,
  COMPARISON_VERSION,
  equivalenceTable,
  parityTable,
  writeComparison,
} from "../report/backend_comparison.ts";
import { markdownTable } from "../report/markdown.ts";
import type { Report } from "../report/schema.ts";
import { cellKey } from "../report/statistics.ts";
import type { NamedArray } from "../train/safetensors.ts";
import { executeRun, precheckRun, prepareRun, type RunPlan } from "./run_preset.ts";
import {
  asInputError,
  baselineTarget,
  consoleHost,
  DEFAULT_COMMAND,
  OptionError,
  type RunHost,
  type RunOptions,
} from "./run_options.ts";

/**
 * The backends a run compares: `--backends`, else the preset's `backends` unless `--backend` names one; null for
 * an ordinary run. Bad names are an input error (exit code 2).
 */
export async function comparedBackends(options: RunOptions): Promise<BackendEntry[] | null> {
  if (options.backends) return parseBackendList(options.backends);
  if (options.backend) return null;
  const { backends } = await asInputError(loadPreset(options.preset));
  return backends ? parseBackendList(backends) : null;
}

/**
 * The baseline file of one backend of a comparison: `path` itself for the preset's own backend (so
 * `fixtures/baselines/ci-gate.json` stays the WASM gate), `<stem>.<label>.json` for the others (e.g.
 * `ci-gate.webgpu.json`). Same-backend weight hashes are the gate's job; each backend is checked against its own.
 */
export function backendBaselinePath(path: string, label: string, presetBackend: string): string {
  if (label === presetBackend) return path;
  return path.endsWith(".json") ? `${path.slice(0, -".json".length)}.${label}.json` : `${path}.${label}.json`;
}

const weightKey = (cell: Pick<MatrixCell, "backbone" | "head" | "stage">, seed: number) => `${cellKey(cell)}#${seed}`;

/** Checks every backend's run and that every backend can be created, before anything trains. */
async function precheck(options: RunOptions, entries: readonly BackendEntry[], parts: readonly RunOptions[]) {
  const clashing = [
    options.mode && "--mode (spell the relaxed-SIMD build wasm-fast)",
    options.shard && "--shard",
  ].filter((f) => f);
  if (clashing.length > 0) throw new OptionError(`a backend comparison cannot take ${clashing.join(", ")}`);
  for (const part of parts) await precheckRun(part);
  for (const entry of entries) {
    const backend = await asInputError(
      createBackend(entry.name, { threads: options.threads, mode: entry.mode, winograd: entry.winograd }),
    );
    backend.destroy();
  }
}

/**
 * Runs the comparison; returns the exit code (1 when a cell failed on any backend, else 0) and each backend's report
 * in order.
 */
export async function runBackendComparison(
  options: RunOptions,
  entries: readonly BackendEntry[],
  host: RunHost = consoleHost,
): Promise<{ code: number; reports: Report[] }> {
  const preset = await asInputError(loadPreset(options.preset));
  const seed = options.seed ?? preset.seed, seeds = options.seeds ?? preset.seeds;
  const seedText = seeds > 1 ? `seeds${seed}-${seed + seeds - 1}` : `seed${seed}`;
  const dir = join(options.out, `${preset.name}-${seedText}-${entries.map((e) => e.label).join("-vs-")}`);
  const baselineOut = options.updateBaseline ? baselineTarget(options, preset.name) : null;
  const baselineOf = (path: string | undefined | null, label: string) =>
    path ? backendBaselinePath(path, label, preset.backend) : undefined;
  const parts = entries.map((entry, k): RunOptions => ({
    ...options,
    backends: undefined,
    backend: entry.name,
    mode: entry.mode,
    winograd: entry.winograd,
    out: join(dir, entry.label),
    throughput: options.throughput && k === 0,
    check: baselineOf(options.check, entry.label),
    baselineOut: baselineOf(baselineOut, entry.label),
  }));
  await precheck(options, entries, parts);
  host.log(`facebench: backend comparison of ${entries.map((e) => e.label).join(", ")} in ${dir}`);
  const runs: (BackendRun & { json: string })[] = [];
  let code = 0;
  const weights = new Map<string, Map<string, NamedArray[]>>();
  let first: RunPlan | null = null;
  for (const [k, entry] of entries.entries()) {
    host.log(`facebench: backend ${k + 1} of ${entries.length}: ${entry.label}`);
    const plan = await prepareRun(parts[k], host);
    first ??= plan;
    const kept = new Map<string, NamedArray[]>();
    weights.set(entry.label, kept);
    plan.onTrained = (cell, s, tensors) => {
      kept.set(weightKey(cell, s), tensors);
    };
    const result = await executeRun(plan);
    code = Math.max(code, result.code);
    runs.push({ label: entry.label, report: result.report, json: result.files.json });
  }
  const { cells, seeds: seedList, data, threads } = first!;
  const evalSet = data.evalSets[0];
  const embedded = await embedTrainedWeights({
    backends: entries.map((e) => ({
      label: e.label,
      create: () => createBackend(e.name, { threads, mode: e.mode, winograd: e.winograd }),
    })),
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
    log: (line) => host.log(line),
  });
  const comparison: Comparison = {
    version: COMPARISON_VERSION,
    preset: preset.name,
    seeds: seedList,
    createdAt: new Date().toISOString(),
    command: options.command ?? DEFAULT_COMMAND,
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
  host.log(markdownTable(parityTable(comparison)));
  host.log(markdownTable(equivalenceTable(comparison)));
  host.log(`comparison: ${files.json}\n            ${files.markdown}\n            ${files.html}`);
  return { code: comparison.failedCells > 0 ? 1 : code, reports: runs.map((r) => r.report) };
}
