/**
 * A backend comparison built from reports that were written apart — on other machines, at other times, or by the
 * browser page — rather than by one `--backends` run (`deno task bench compare-backends A/report.json B/report.json`).
 * The reports must come from the same preset, seeds, dataset and evaluation pairs; a committed baseline
 * (`fixtures/baselines/*.json`, which keeps no pairs or curves) compares by speed and final weight hash only. Each
 * keeps its own label: the backend (with thread count and build, as its cells name it), and where two reports share
 * that, the machine too (CPU model, or the WebGPU adapter), so one machine's rows never mix with another's. A report
 * of the browser page always names its browser (the page cannot know the CPU model), e.g.
 * `wasm/2t @ HeadlessChrome 156.0.8078.114`. Speed, training equivalence and loss divergence come from the reports
 * alone; forward parity needs the trained weights, which reports do not keep, so it is left empty and the comparison
 * says so.
 * @module
 */
import { relative } from "node:path";
import { sameOrThrow, type SourcedReport } from "./merge.ts";
import { compareBackends } from "./backend_comparison.ts";
import { type Comparison, COMPARISON_VERSION } from "../report/backend_comparison.ts";
import { adapterName } from "../report/compare.ts";
import { pageBrowser } from "../report/environment.ts";
import type { Report } from "../report/schema.ts";

/** The backend a report ran on, as its cells name it, with the thread count of CPU backends. */
function reportBackend(report: Report): string {
  const info = report.environment.backends[0];
  const name = report.cells[0]?.backend ?? info?.name ?? "unknown";
  return info && info.name !== "webgpu" ? `${name}/${info.threads}t` : name;
}

/** The machine a report ran on: its browser for a page run, else its WebGPU adapter, else its CPU model. */
function reportMachine(report: Report): string {
  const info = report.environment.backends[0];
  const browser = pageBrowser(report.environment);
  if (browser !== null) return info?.name === "webgpu" ? `${browser} on ${adapterName(info)}` : browser;
  return info?.name === "webgpu" ? adapterName(info) : report.environment.cpu.model ?? "unknown CPU";
}

/**
 * One label per report: the backend, then the machine where backends repeat or the report is a browser page's, then
 * a number where both repeat.
 */
export function reportLabels(reports: readonly Report[]): string[] {
  const backend = reports.map(reportBackend);
  const repeated = (labels: string[], i: number) => labels.filter((l) => l === labels[i]).length > 1;
  const named = (i: number) => repeated(backend, i) || pageBrowser(reports[i].environment) !== null;
  const withMachine = backend.map((b, i) => (named(i) ? `${b} @ ${reportMachine(reports[i])}` : b));
  return withMachine.map((l, i) => (repeated(withMachine, i) ? `${l} #${i + 1}` : l));
}

/**
 * The comparison of saved reports (the first is the reference), with report paths relative to `dir`, where the
 * comparison is written.
 */
export function compareSavedReports(inputs: readonly SourcedReport[], dir: string, command: string): Comparison {
  if (inputs.length < 2) throw new Error("compare-backends: give at least two report.json files");
  sameOrThrow("compare-backends", "preset", inputs, (r) => r.run.preset);
  sameOrThrow("compare-backends", "seeds", inputs, (r) => r.run.seeds);
  sameOrThrow("compare-backends", "dataset", inputs, (r) => [r.environment.dataset.id, r.environment.dataset.hash]);
  const withPairs = inputs.filter((i) => i.report.evaluation !== null);
  if (withPairs.length > 1) sameOrThrow("compare-backends", "evaluation pairs", withPairs, (r) => r.evaluation);
  const reports = inputs.map((i) => i.report);
  const labels = reportLabels(reports);
  const runs = reports.map((report, k) => ({ label: labels[k], report }));
  const [first] = reports;
  return {
    version: COMPARISON_VERSION,
    preset: first.run.preset,
    seeds: first.run.seeds,
    createdAt: new Date().toISOString(),
    command,
    reference: labels[0],
    evalSet: first.primaryEval?.name ?? first.environment.dataset.id,
    pairs: first.environment.dataset.evalPairs,
    backends: inputs.map(({ source, report }, k) => ({
      label: labels[k],
      info: report.environment.backends[0] ?? null,
      report: relative(dir, source),
      runId: report.run.id,
      cells: report.cells.length,
      failed: report.cells.filter((c) => c.error !== null).length,
    })),
    ...compareBackends(runs, []),
  };
}
