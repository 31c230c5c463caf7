/**
 * `deno task bench`: trains and evaluates every selected backbone × head cell of a preset, measures throughput,
 * and writes `reports/<run-id>/report.{json,md,html}`; optionally compares with a baseline (`--check`) or
 * rewrites it (`--update-baseline`). `--preset NAME` also runs a suite (`benchmarks/suites/NAME.json`: several
 * presets, then claims tested on their reports into `findings.{json,md}`). Sub-commands: `merge` joins shard
 * reports, `replicate` re-tests the significant orderings of one run on another, `claims` tests a suite's claims
 * on earlier reports. `--backends a,b` (or a preset's `backends`) runs the preset on each backend and compares them
 * (`comparison.{json,md}`; see `bench_backends.ts`). Exit codes: 0 success, 1 a regression, failed cell or failed
 * run, 2 bad input.
 * @module
 */
import { parseArgs } from "node:util";
import { mergeReports } from "../bench/merge.ts";
import { presetNames } from "../bench/presets.ts";
import { isSuite, suiteNames } from "../bench/suite.ts";
import { markdownTable } from "../report/markdown.ts";
import { replicate, replicationTable } from "../report/replication.ts";
import { ALPHA } from "../report/statistics.ts";
import { readReport, writeReport } from "../report/write.ts";
import { InputError, parseBenchArgs, USAGE, UsageError } from "./bench_args.ts";
import { comparedBackends, runBackendComparison } from "./bench_backends.ts";
import { runBench } from "./bench_run.ts";
import { claimsCommand, runSuite } from "./suite_run.ts";

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

/** Runs the command line; returns the exit code (0 success, 1 regression or failure, 2 bad input). */
export async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(
      `${USAGE}\nPresets (benchmarks/presets/NAME.json; default quick): ${presetNames().join(", ")}\n` +
        `Suites (benchmarks/suites/NAME.json or a suite file, run with --preset; --check takes a directory of part baselines): ` +
        suiteNames().join(", "),
    );
    return 0;
  }
  try {
    if (argv[0] === "merge") return await merge(argv.slice(1));
    if (argv[0] === "replicate") return await replicateCommand(argv.slice(1));
    if (argv[0] === "claims") return await claimsCommand(argv.slice(1));
    const args = parseBenchArgs(argv);
    if (isSuite(args.preset)) {
      if (args.backends) throw new UsageError(`--preset ${args.preset} is a suite: --backends applies to presets only`);
      return await runSuite(args);
    }
    const compared = await comparedBackends(args);
    return compared ? await runBackendComparison(args, compared) : (await runBench(args)).code;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    console.error(`error: ${message}${usage ? `\n${USAGE}` : ""}`);
    return usage || error instanceof InputError ? 2 : 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
