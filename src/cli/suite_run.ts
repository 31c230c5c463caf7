/**
 * Suites on the command line: `deno task bench --preset <suite>` runs every part preset in order (each checked
 * before the first trains) and tests the suite's claims on their reports; `deno task bench claims SUITE
 * report.json …` tests the claims on reports made earlier. Both write `findings.{json,md}`.
 * @module
 */
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { loadSuite, type Suite } from "../bench/suite.ts";
import {
  claimsTable,
  evaluateClaims,
  type Findings,
  FINDINGS_VERSION,
  type PartReport,
  writeFindings,
} from "../report/claims.ts";
import { markdownTable } from "../report/markdown.ts";
import { ALPHA } from "../report/statistics.ts";
import { readReport } from "../report/write.ts";
import { type BenchArgs, InputError, UsageError } from "./bench_args.ts";
import { asInputError, precheckRun, runBench } from "./bench_run.ts";

const stamp = () => new Date().toISOString().replace(/[:.]/g, "-");

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
      if (!part) throw new InputError(`suite ${suite.name}: no report of part ${preset}`);
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
 * suite's claims on their reports. With `--check DIR`, each part is gated against `DIR/<part>.json`; with
 * `--update-baseline`, each part's committed baseline is rewritten. Returns the largest exit code of the parts.
 */
export async function runSuite(args: BenchArgs): Promise<number> {
  if (args.shard || args.backbones || args.heads || args.baselineOut) {
    throw new UsageError(
      `--preset ${args.preset} is a suite: --shard, --backbones, --heads and --baseline-out apply to presets only`,
    );
  }
  const { suite } = await asInputError(loadSuite(args.preset));
  const dir = join(args.out, `${suite.name}-${stamp()}`);
  const partArgs = suite.parts.map((part): BenchArgs => ({
    ...args,
    preset: part,
    out: dir,
    check: args.check === undefined ? undefined : join(args.check, `${part}.json`),
  }));
  for (const part of partArgs) await precheckRun(part);
  console.log(`facebench: suite "${suite.name}": parts ${suite.parts.join(", ")}; ${suite.claims.length} claims`);
  const reports = new Map<string, PartReport>();
  let code = 0;
  for (const part of partArgs) {
    const result = await runBench(part);
    code = Math.max(code, result.code);
    reports.set(part.preset, { report: result.report, path: relative(dir, result.files.json) });
  }
  await writeSuiteFindings(suite, dir, reports);
  return code;
}

/** `deno task bench claims SUITE REPORT.json... [--out DIR]`: tests a suite's claims on earlier part reports. */
export async function claimsCommand(args: string[]): Promise<number> {
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
  await writeSuiteFindings(suite, dir, reports);
  return 0;
}
