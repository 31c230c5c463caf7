/**
 * The command line of `deno task bench` (run mode), parsed into the {@link RunOptions} of `runBench`
 * (`src/bench/run.ts`) and checked before anything loads or trains: numbers in range, a registered backend, known
 * backends for `--backends`. Every mistake is a {@link UsageError} (exit code 2, printed with the usage). The checks
 * that need the preset (a writable output folder, where `--update-baseline` may write) are the run's own
 * (`src/bench/run_options.ts`).
 * @module
 */
import { parseArgs } from "node:util";
import { backendNames } from "../backends/registry.ts";
import { parseBackendList } from "../bench/backend_list.ts";
import { parseShard, type Shard } from "../bench/presets.ts";
import { OptionError, type RunOptions } from "../bench/run_options.ts";

/** A command-line mistake: printed with the usage, exit code 2 (an `InputError` of the run). */
export class UsageError extends OptionError {}

/** The usage text printed with a {@link UsageError} and by `--help`. */
export const USAGE = `Usage:
  deno task bench [--preset NAME|path.json] [--backbones GLOBS] [--heads GLOBS]
                  [--backend NAME | --backends NAME,NAME,...] [--threads N] [--mode deterministic|fast] [--seed N] [--seeds N]
                  [--shard i/n] [--out DIR] [--train PATH] [--eval SET,SET,...] [--tsne BACKBONE/HEAD]
                  [--check BASELINE.json|DIR [--allow-new-cells]] [--update-baseline [--baseline-out PATH]]
                  [--no-throughput] [--keep-models]
  deno task bench merge SHARD_REPORT.json... [--out DIR]   (whole runs or hosts: compared as compare-backends)
  deno task bench compare-backends REPORT.json REPORT.json... [--out DIR]
  deno task bench replicate FIRST_REPORT.json SECOND_REPORT.json
  deno task bench claims SUITE|suite.json PART_REPORT.json... [--out DIR]
  deno task bench --help
Exit codes: 0 success; 1 a regression under --check, a failed cell or a failed run; 2 bad input (arguments,
preset, baseline, data), reported before anything trains. A re-run of an interrupted command resumes it.
--train: a train.rec (with its .idx) or an aligned image-folder tree to train on instead of the preset's dataset.
--eval: evaluation sets (dataset ids, .bin files, folder trees with pairs.txt); the first is the primary one.
--tsne: a cell (backbone/head[@stage]) whose final embeddings of the first set with identities are mapped with
  t-SNE (its first 20 identities).
--backends: run the preset on each backend in order (wasm, webgpu, reference, wasm-fast, wasm-winograd2x2,
  wasm-im2col; the first is the reference) and compare them: one report per backend, then comparison.{json,md,html} (not with --backend, --mode or
  --shard). --check BASELINE.json checks each backend against its own baseline: BASELINE.json for the preset's
  backend, BASELINE.<backend>.json for the others (--update-baseline writes them so).
--keep-models: keep each trained cell's final backbone weights in the report folder (models/*.safetensors, named by
  the cell's "model" field; export one with deno task export --checkpoint FILE).
compare-backends: compares saved reports of one preset run on different backends or machines (first = reference):
  speed, training equivalence, final weight hashes and loss divergence; forward parity needs a --backends run. A
  report of the browser page (deno task serve) or a committed baseline (no pairs or curves: speed and weights only)
  may be either argument. merge joins the shards of one run; given whole runs, or reports of a page and the command
  line, it compares them as compare-backends does.`;

/** The largest `--threads`: four threads per core (more only slows a run down). */
export const maxThreads = (): number => 4 * (navigator.hardwareConcurrency || 1);

function integer(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === "" || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name}: expected an integer from ${min} to ${max}, got "${text}"`);
  }
  return n;
}

function wasmMode(text: string | undefined): RunOptions["mode"] {
  if (text === undefined || text === "deterministic" || text === "fast") return text;
  throw new UsageError(`--mode: expected deterministic or fast, got "${text}"`);
}

function backendName(text: string | undefined): string | undefined {
  if (text === undefined || backendNames().includes(text)) return text;
  throw new UsageError(`--backend: unknown backend "${text}" (known: ${backendNames().join(", ")})`);
}

/** `--backends`: the labels, checked, and refused together with `--backend`. */
function backendList(text: string | undefined, backend: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  if (backend !== undefined) throw new UsageError("--backend and --backends: give one (--backends runs several)");
  const labels = text.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  try {
    parseBackendList(labels);
  } catch (error) {
    throw new UsageError(`--backends: ${(error as Error).message}`);
  }
  return labels;
}

/**
 * Parses the run options (the report's `command` is `deno task bench` followed by `args`); throws
 * {@link UsageError} on any mistake.
 */
export function parseBenchArgs(args: string[]): RunOptions {
  const { values } = parseArgs({
    args,
    options: {
      preset: { type: "string", default: "quick" },
      backbones: { type: "string" },
      heads: { type: "string" },
      backend: { type: "string" },
      backends: { type: "string" },
      threads: { type: "string" },
      mode: { type: "string" },
      seed: { type: "string" },
      seeds: { type: "string" },
      shard: { type: "string" },
      out: { type: "string", default: "reports" },
      check: { type: "string" },
      "update-baseline": { type: "boolean", default: false },
      "baseline-out": { type: "string" },
      "allow-new-cells": { type: "boolean", default: false },
      "no-throughput": { type: "boolean", default: false },
      train: { type: "string" },
      eval: { type: "string" },
      tsne: { type: "string" },
      "keep-models": { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values["baseline-out"] !== undefined && !values["update-baseline"]) {
    throw new UsageError("--baseline-out: only with --update-baseline");
  }
  let shard: Shard | undefined;
  try {
    shard = values.shard === undefined ? undefined : parseShard(values.shard);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    preset: values.preset,
    backbones: values.backbones,
    heads: values.heads,
    backend: backendName(values.backend),
    backends: backendList(values.backends, values.backend),
    threads: integer("threads", values.threads, 1, maxThreads()),
    mode: wasmMode(values.mode),
    seed: integer("seed", values.seed, 0, 0xffffffff),
    seeds: integer("seeds", values.seeds, 1, 100),
    shard,
    out: values.out,
    check: values.check,
    updateBaseline: values["update-baseline"],
    baselineOut: values["baseline-out"],
    allowNewCells: values["allow-new-cells"],
    throughput: !values["no-throughput"],
    trainSet: values.train,
    evalSets: values.eval,
    tsne: values.tsne,
    keepModels: values["keep-models"],
    command: ["deno task bench", ...args].join(" "),
  };
}
