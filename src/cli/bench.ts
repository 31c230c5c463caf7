/**
 * `deno task bench`, the command line over `runBench` (`src/bench/run.ts`): it parses the flags into the run's
 * options (`bench_args.ts`), prints to the console, stops on SIGINT/SIGTERM saying what the run's journal keeps,
 * and turns the outcome into an exit code. A run trains and evaluates every selected backbone × head cell of a
 * preset, measures throughput, and writes `reports/<run-id>/report.{json,md,html}`; optionally compares with a
 * baseline (`--check`) or rewrites it (`--update-baseline`). `--preset NAME` also runs a suite
 * (`benchmarks/suites/NAME.json`: several presets, then claims tested on their reports into `findings.{json,md}`).
 * `--backends a,b` (or a preset's `backends`) runs the preset on each backend and compares them
 * (`comparison.{json,md,html}`; see `src/bench/run_backends.ts`). Sub-commands: `merge` joins shard reports (and
 * compares whole runs as `compare-backends` does), `compare-backends` compares saved reports of different backends or
 * machines (`src/bench/saved_comparison.ts`), `replicate` re-tests the significant orderings of one run on another,
 * `claims` tests a suite's claims on earlier reports. Exit codes: 0 success, 1 a regression, failed cell or failed
 * run, 2 bad input.
 * @module
 */
import { parseArgs } from "node:util";
import { join, relative } from "node:path";
import type { CellJournal } from "../bench/cell_journal.ts";
import { mergeReports, notShardsOfOneRun, type SourcedReport } from "../bench/merge.ts";
import { compareSavedReports } from "../bench/saved_comparison.ts";
import { presetNames } from "../bench/presets.ts";
import { runBench } from "../bench/run.ts";
import { asInputError, consoleHost, InputError, OptionError, type RunHost } from "../bench/run_options.ts";
import { stamp, writeSuiteFindings } from "../bench/run_suite.ts";
import { loadSuite, suiteNames } from "../bench/suite.ts";
import type { PartReport } from "../report/claims.ts";
import { equivalenceTable, lossDivergenceTable, speedTable, writeComparison } from "../report/backend_comparison.ts";
import { markdownTable } from "../report/markdown.ts";
import { replicate, replicationTable } from "../report/replication.ts";
import { ALPHA } from "../report/statistics.ts";
import { readReport, writeReport } from "../report/write.ts";
import { parseBenchArgs, USAGE, UsageError } from "./bench_args.ts";

/**
 * `deno task bench merge REPORT.json... [--out DIR]`: joins the shards of one run; given whole runs or reports from
 * different hosts (a browser page's beside the command line's), it compares them as `compare-backends` does.
 */
async function merge(args: string[], argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { out: { type: "string", default: "reports" } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length === 0) throw new UsageError("merge: give at least one shard report.json");
  const inputs = await readSourcedReports(positionals);
  const notShards = notShardsOfOneRun(inputs);
  if (notShards !== null) {
    console.log(`merge: ${notShards}, not shards of one run: comparing them as compare-backends does`);
    return await compareSaved(inputs, values.out, argv);
  }
  const first = inputs[0].report.run;
  const merged = await asInputError(
    Promise.resolve().then(() => mergeReports(inputs, `${first.preset}-seed${first.seeds[0]}-merged-${Date.now()}`)),
  );
  const files = await writeReport(`${values.out}/${merged.run.id}`, merged);
  console.log(`merged ${inputs.length} shard reports: ${files.json}`);
  return 0;
}

/** `deno task bench compare-backends A.json B.json... [--out DIR]`: a backend comparison of saved reports. */
async function compareBackendsCommand(args: string[], argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { out: { type: "string", default: "reports" } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length < 2) throw new UsageError("compare-backends: give two or more report.json files");
  return await compareSaved(await readSourcedReports(positionals), values.out, argv);
}

/** Reads each report file, as bad input if one cannot be read or parsed. */
function readSourcedReports(paths: readonly string[]): Promise<SourcedReport[]> {
  return asInputError(Promise.all(paths.map(async (source) => ({ source, report: await readReport(source) }))));
}

/** Compares saved reports, writes `comparison.{json,md,html}` under `out`, prints the tables; 1 if a cell failed. */
async function compareSaved(inputs: SourcedReport[], out: string, argv: readonly string[]): Promise<number> {
  const dir = join(out, `${inputs[0].report.run.preset}-compared-${stamp()}`);
  const comparison = await asInputError(
    Promise.resolve().then(() => compareSavedReports(inputs, dir, `deno task bench ${argv.join(" ")}`)),
  );
  const files = await writeComparison(dir, comparison);
  console.log(markdownTable(speedTable(comparison)));
  console.log(markdownTable(equivalenceTable(comparison)));
  console.log(markdownTable(lossDivergenceTable(comparison)));
  console.log(`comparison: ${files.json}\n            ${files.markdown}\n            ${files.html}`);
  return comparison.failedCells > 0 ? 1 : 0;
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

/** `deno task bench claims SUITE REPORT.json... [--out DIR]`: tests a suite's claims on earlier part reports. */
async function claimsCommand(args: string[], argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { out: { type: "string", default: "reports" } },
    allowPositionals: true,
    strict: true,
  });
  const [name, ...paths] = positionals;
  if (!name || paths.length === 0) throw new UsageError("claims: give a suite name and its part reports (report.json)");
  const { suite } = await asInputError(loadSuite(name));
  const dir = join(values.out, `${suite.name}-claims-${stamp()}`);
  const reports = new Map<string, PartReport>();
  for (const path of paths) {
    const report = await asInputError(readReport(path));
    if (reports.has(report.run.preset)) throw new UsageError(`claims: two reports of preset ${report.run.preset}`);
    reports.set(report.run.preset, { report, path: relative(dir, path) });
  }
  await writeSuiteFindings(suite, dir, reports, ["deno task bench", ...argv].join(" "));
  return 0;
}

/** Stops the run on SIGINT/SIGTERM with a line saying what is kept; returns the function that removes the handlers. */
function stopOnSignals(journal: CellJournal): () => void {
  if (Deno.build.os === "windows") return () => {};
  const handlers = (["SIGINT", "SIGTERM"] as const).map((signal) => {
    const handler = () => {
      console.error(
        `\n${signal}: stopped. ${journal.size} finished cell row(s) are kept in ${journal.path}; run the same ` +
          `command again to resume (a model in training continues from its last checkpoint).`,
      );
      Deno.exit(signal === "SIGINT" ? 130 : 143);
    };
    Deno.addSignalListener(signal, handler);
    return [signal, handler] as const;
  });
  return () => handlers.forEach(([signal, handler]) => Deno.removeSignalListener(signal, handler));
}

/** The console, with SIGINT/SIGTERM stopping a run that is training. */
const commandLineHost: RunHost = { ...consoleHost, guard: stopOnSignals };

/** Runs the command line; returns the exit code (0 success, 1 regression or failure, 2 bad input). */
export async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(
      `${USAGE}\nPresets (benchmarks/presets/NAME.json; default quick): ${(await presetNames()).join(", ")}\n` +
        `Suites (benchmarks/suites/NAME.json or a suite file, run with --preset; --check takes a directory of part baselines): ` +
        (await suiteNames()).join(", "),
    );
    return 0;
  }
  try {
    if (argv[0] === "merge") return await merge(argv.slice(1), argv);
    if (argv[0] === "compare-backends") return await compareBackendsCommand(argv.slice(1), argv);
    if (argv[0] === "replicate") return await replicateCommand(argv.slice(1));
    if (argv[0] === "claims") return await claimsCommand(argv.slice(1), argv);
    return (await runBench(parseBenchArgs(argv), commandLineHost)).code;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const usage = error instanceof OptionError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    console.error(`error: ${message}${usage ? `\n${USAGE}` : ""}`);
    return usage || error instanceof InputError ? 2 : 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
