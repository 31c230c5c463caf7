/**
 * The one entry point of a bench run, for the command line, a test or a page: {@link runBench} takes the run's
 * options and runs what `preset` names — a suite (`run_suite.ts`: its parts, then its claims), a backend comparison
 * (`run_backends.ts`: `backends` in the options or the preset), or one preset (`run_preset.ts`: cells, report,
 * baseline check). Lines and progress go to the {@link RunHost} (the console by default). Bad input is an
 * `InputError` (an `OptionError` when options contradict each other), thrown before anything trains.
 * @module
 */
import type { Report } from "../report/schema.ts";
import { comparedBackends, runBackendComparison } from "./run_backends.ts";
import { consoleHost, OptionError, type RunHost, type RunOptions } from "./run_options.ts";
import { runPreset } from "./run_preset.ts";
import { runSuite } from "./run_suite.ts";
import { isSuite } from "./suite.ts";

/** What a run produced: the exit code (0 success, 1 a regression or a failed cell) and the reports written. */
export interface BenchOutcome {
  /** 0 success, 1 a regression under `check` or a failed cell */
  code: number;
  /** the reports written: one per preset run (a suite's parts, a comparison's backends), in order */
  reports: Report[];
}

/** Runs the suite, backend comparison or preset that `options` name; throws `InputError` on bad input. */
export async function runBench(options: RunOptions, host: RunHost = consoleHost): Promise<BenchOutcome> {
  if (await isSuite(options.preset)) {
    if (options.backends) {
      throw new OptionError(`--preset ${options.preset} is a suite: --backends applies to presets only`);
    }
    return await runSuite(options, host);
  }
  const compared = await comparedBackends(options);
  if (compared) return await runBackendComparison(options, compared, host);
  const { code, report } = await runPreset(options, host);
  return { code, reports: [report] };
}
