/**
 * A suite run: every part preset in order (each checked before the first trains), then the suite's claims tested on
 * their reports into `findings.{json,md}` (`deno task bench --preset <suite>`). {@link writeSuiteFindings} also
 * serves `deno task bench claims`, which tests the claims on reports made earlier.
 * @module
 */
import { join, relative } from "node:path";
import { loadSuite, type Suite } from "./suite.ts";
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
import type { Report } from "../report/schema.ts";
import { precheckRun, runPreset } from "./run_preset.ts";
import {
  asInputError,
  consoleHost,
  DEFAULT_COMMAND,
  InputError,
  OptionError,
  type RunHost,
  type RunOptions,
} from "./run_options.ts";

/** A time stamp for folder names. */
export const stamp = (): string => new Date().toISOString().replace(/[:.]/g, "-");

/**
 * Evaluates the suite's claims on its part reports, writes findings.{json,md} into `dir` (recording `command`) and
 * prints the table.
 */
export async function writeSuiteFindings(
  suite: Suite,
  dir: string,
  reports: Map<string, PartReport>,
  command: string,
  host: RunHost = consoleHost,
): Promise<void> {
  const findings: Findings = {
    version: FINDINGS_VERSION,
    suite: suite.name,
    description: suite.description,
    createdAt: new Date().toISOString(),
    command,
    alpha: ALPHA,
    parts: suite.parts.map((preset) => {
      const part = reports.get(preset);
      if (!part) throw new InputError(`suite ${suite.name}: no report of part ${preset}`);
      return { preset, runId: part.report.run.id, report: part.path, seeds: part.report.run.seeds };
    }),
    claims: evaluateClaims(suite, reports),
  };
  const files = await writeFindings(dir, findings);
  host.log(markdownTable(claimsTable(findings.claims)));
  host.log(`findings: ${files.json}\n          ${files.markdown}`);
}

/**
 * Runs every part of a suite as its own preset (reports in `<out>/<suite run>/<part run>/`), then tests the
 * suite's claims on their reports. With `--check DIR`, each part is gated against `DIR/<part>.json`; with
 * `--update-baseline`, each part's committed baseline is rewritten. Returns the largest exit code of the parts and
 * their reports in order.
 */
export async function runSuite(
  options: RunOptions,
  host: RunHost = consoleHost,
): Promise<{ code: number; reports: Report[] }> {
  if (options.shard || options.backbones || options.heads || options.baselineOut) {
    throw new OptionError(
      `--preset ${options.preset} is a suite: --shard, --backbones, --heads and --baseline-out apply to presets only`,
    );
  }
  const { suite } = await asInputError(loadSuite(options.preset));
  const dir = join(options.out, `${suite.name}-${stamp()}`);
  const parts = suite.parts.map((part): RunOptions => ({
    ...options,
    preset: part,
    out: dir,
    check: options.check === undefined ? undefined : join(options.check, `${part}.json`),
  }));
  for (const part of parts) await precheckRun(part);
  host.log(`facebench: suite "${suite.name}": parts ${suite.parts.join(", ")}; ${suite.claims.length} claims`);
  const reports = new Map<string, PartReport>();
  let code = 0;
  for (const part of parts) {
    const result = await runPreset(part, host);
    code = Math.max(code, result.code);
    reports.set(part.preset, { report: result.report, path: relative(dir, result.files.json) });
  }
  await writeSuiteFindings(suite, dir, reports, options.command ?? DEFAULT_COMMAND, host);
  return { code, reports: [...reports.values()].map((r) => r.report) };
}
