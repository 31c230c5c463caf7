/**
 * What a bench run is given: its {@link RunOptions} (the same whether they come from the command line, a test or a
 * page), the {@link RunHost} it reports to (lines, progress, and a hook around the training for the host's own
 * interruption handling), and the errors that mean bad input: {@link InputError} (exit code 2) and its
 * {@link OptionError} (a contradictory or impossible option; a command line prints its usage with it). The checks of
 * options that need the preset (where `updateBaseline` may write, a writable output folder) live here too.
 * @module
 */
import { join } from "node:path";
import { host } from "../io/host.ts";
import { consoleProgress, type Progress } from "../io/progress.ts";
import type { CellJournal } from "./cell_journal.ts";
import type { BackendOptions } from "../backends/registry.ts";
import type { Shard } from "./presets.ts";

/** Bad input found before anything trains (preset, baseline, data, output folder): exit code 2. */
export class InputError extends Error {}

/** A contradictory or impossible option (an {@link InputError}; a command line prints its usage with it). */
export class OptionError extends InputError {}

/** The options of a bench run (`deno task bench` parses its flags into these). */
export interface RunOptions {
  /** a preset or suite name, or a preset/suite JSON file */
  preset: string;
  backbones?: string;
  heads?: string;
  backend?: string;
  /** a backend comparison: the labels of `--backends`, checked (see `parseBackendList`) */
  backends?: string[];
  threads?: number;
  mode?: "deterministic" | "fast";
  /** WASM's 3×3 convolution algorithms (a comparison's `wasm-winograd2x2` / `wasm-im2col` entries set it) */
  winograd?: BackendOptions["winograd"];
  seed?: number;
  seeds?: number;
  shard?: Shard;
  /** the folder the reports go to */
  out: string;
  /** a baseline report to check against (a folder of part baselines for a suite) */
  check?: string;
  updateBaseline: boolean;
  baselineOut?: string;
  allowNewCells: boolean;
  throughput: boolean;
  trainSet?: string;
  evalSets?: string;
  tsne?: string;
  /** keep each trained cell's final backbone weights in the report folder (`models/`, named by the cell's row) */
  keepModels?: boolean;
  /** how the run was started, recorded in its report (default {@link DEFAULT_COMMAND}) */
  command?: string;
}

/** The report's `command` of a run whose options name none. */
export const DEFAULT_COMMAND = "runBench";

/** Where a run reports to. */
export interface RunHost {
  /** prints a line of the run's output */
  log(line: string): void;
  /** prints a line about a failure (a refused baseline update) */
  error(line: string): void;
  /** a progress display for long work (dataset builds) */
  progress(label: string): Progress;
  /**
   * Called when a run starts training, with its journal; returns what to call when the run ends. The command line
   * stops on SIGINT/SIGTERM here, saying what the journal keeps.
   */
  guard?(journal: CellJournal): () => void;
}

/** Lines to the console, progress to stderr, no interruption handling. */
export const consoleHost: RunHost = {
  log: (line) => console.log(line),
  error: (line) => console.error(line),
  progress: (label) => consoleProgress(label),
};

/**
 * Where `updateBaseline` may write: `baselineOut`, else `fixtures/baselines/<preset>.json` but only for a committed
 * preset run as committed (no preset file path, no filters or overrides), so a copied preset that kept its name, or
 * a narrowed run, cannot silently replace the committed baseline. Refusal is an {@link OptionError}.
 */
export function baselineTarget(options: RunOptions, presetName: string): string {
  if (options.baselineOut) return options.baselineOut;
  const flags = {
    backbones: "--backbones",
    heads: "--heads",
    backend: "--backend",
    threads: "--threads",
    mode: "--mode",
    seed: "--seed",
    seeds: "--seeds",
    shard: "--shard",
    trainSet: "--train",
    evalSets: "--eval",
    tsne: "--tsne",
  } as const;
  const overrides = (Object.keys(flags) as (keyof typeof flags)[]).filter((k) => options[k] !== undefined)
    .map((k): string => flags[k]);
  if (options.preset.endsWith(".json")) overrides.unshift(`a preset file (${options.preset})`);
  if (overrides.length > 0) {
    throw new OptionError(
      `--update-baseline refused: fixtures/baselines/${presetName}.json belongs to the committed preset run as ` +
        `committed, and this run has ${overrides.join(", ")}; give --baseline-out PATH to write elsewhere`,
    );
  }
  return `fixtures/baselines/${presetName}.json`;
}

/** Checks that `dir` can be created and written (a probe file is written and removed); throws {@link OptionError}. */
export async function checkWritable(dir: string, option = "--out"): Promise<void> {
  const probe = join(dir, `.facebench-write-probe-${crypto.randomUUID().slice(0, 8)}`);
  try {
    await host().makeDir(dir);
    await host().appendBytes(probe, new Uint8Array());
    await host().remove(probe);
  } catch (error) {
    throw new OptionError(`${option} ${dir}: cannot write there (${(error as Error).message})`);
  }
}

/** Awaits `work`, turning any failure into an {@link InputError} (exit code 2) with the same message. */
export async function asInputError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw error instanceof InputError ? error : new InputError((error as Error).message);
  }
}
