/**
 * Joins shard reports (`deno task bench --shard i/n`, one per machine or process) into one report. The shards
 * must come from the same preset, seeds, commit, dataset, evaluation pairs and evaluation sets (primary and
 * further), cover every shard number exactly once, and not repeat a cell (seed) or a throughput row. Reference rows
 * that several shards computed must agree, and so must their t-SNE maps if more than one has one; the statistics are
 * recomputed over the merged rows on every evaluation set.
 * @module
 */
import { pageBrowser, runHost } from "../report/environment.ts";
import { cellStages, type Reference, type Report, type Tsne } from "../report/schema.ts";
import { cellKey, computeStatistics } from "../report/statistics.ts";

/** A report together with the file it came from (named in errors). */
export interface SourcedReport {
  /** file path or other label */
  source: string;
  /** the parsed report */
  report: Report;
}

/** JSON text shown in an error: at most 500 characters (pairs run to tens of thousands). */
const shown = (json: string) => (json.length > 500 ? `${json.slice(0, 500)}… (${json.length} characters)` : json);

/** Throws, naming `command`, both files and both values, unless every report has the same `what`. */
export function sameOrThrow(
  command: string,
  what: string,
  inputs: readonly SourcedReport[],
  get: (r: Report) => unknown,
): void {
  const first = JSON.stringify(get(inputs[0].report));
  for (const { source, report } of inputs.slice(1)) {
    const value = JSON.stringify(get(report));
    if (value !== first) {
      throw new Error(
        `${command}: ${source} has ${what} ${shown(value)}, ${inputs[0].source} has ${shown(first)}; expected the same`,
      );
    }
  }
}

/** The one t-SNE map of the shards (the shard that ran its cell made it), or null; different maps are an error. */
function mergedTsne(inputs: readonly SourcedReport[]): Tsne | null {
  const maps = inputs.filter(({ report }) => report.tsne !== null);
  const differing = maps.find(({ report }) => JSON.stringify(report.tsne) !== JSON.stringify(maps[0].report.tsne));
  if (differing) {
    throw new Error(`merge: the t-SNE maps of ${maps[0].source} and ${differing.source} differ; expected one map`);
  }
  return maps[0]?.report.tsne ?? null;
}

/**
 * Why the reports are not shards of one run — they come from different kinds of host (the command line, or a
 * browser), or more than one is a whole, unsharded run — or null where they can be.
 */
export function notShardsOfOneRun(inputs: readonly SourcedReport[]): string | null {
  const [first] = inputs;
  const hostOf = (r: SourcedReport) => pageBrowser(r.report.environment) ?? "command line";
  const otherHost = inputs.find((input) => hostOf(input) !== hostOf(first));
  if (otherHost) {
    return `${first.source} was run in ${runHost(first.report.environment)}, ${otherHost.source} in ` +
      runHost(otherHost.report.environment);
  }
  const whole = inputs.filter(({ report }) => report.run.shards.some((s) => s.count === 1));
  if (whole.length > 1) return `${whole.map((i) => i.source).join(" and ")} are whole runs`;
  return null;
}

/**
 * Merges shard reports into one with run id `runId`; cells are ordered by matrix index. Reports that are not shards
 * of one run ({@link notShardsOfOneRun}) are refused with a pointer to `compare-backends`.
 */
export function mergeReports(inputs: readonly SourcedReport[], runId: string): Report {
  if (inputs.length === 0) throw new Error("merge: no reports given");
  const notShards = notShardsOfOneRun(inputs);
  if (notShards !== null) {
    throw new Error(
      `merge: ${notShards}; merge joins the shards of one run; to compare runs, use \`deno task bench ` +
        `compare-backends ${inputs.map((i) => i.source).join(" ")}\``,
    );
  }
  sameOrThrow("merge", "preset", inputs, (r) => r.run.preset);
  sameOrThrow("merge", "seeds", inputs, (r) => r.run.seeds);
  sameOrThrow("merge", "git commit", inputs, (r) => r.environment.gitCommit);
  sameOrThrow("merge", "dataset", inputs, (r) => r.environment.dataset);
  sameOrThrow("merge", "evaluation pairs", inputs, (r) => r.evaluation);
  sameOrThrow("merge", "primary evaluation set", inputs, (r) => r.primaryEval);
  sameOrThrow("merge", "further evaluation sets", inputs, (r) => r.evalSets.map(({ evaluation: _, ...info }) => info));
  sameOrThrow("merge", "further evaluation pairs", inputs, (r) => r.evalSets.map((e) => e.evaluation));
  const tsne = mergedTsne(inputs);

  const shards = inputs.flatMap(({ source, report }) => {
    if (report.run.shards.length === 0) throw new Error(`merge: ${source} is not a shard report (no --shard)`);
    return report.run.shards.map((s) => ({ ...s, source }));
  });
  const count = shards[0].count;
  const seen = new Map<number, string>();
  for (const s of shards) {
    if (s.count !== count) throw new Error(`merge: ${s.source} is shard ${s.index}/${s.count}, others are of ${count}`);
    if (seen.has(s.index)) {
      throw new Error(`merge: shard ${s.index}/${count} appears in ${seen.get(s.index)} and ${s.source}`);
    }
    seen.set(s.index, s.source);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) throw new Error(`merge: missing shard(s) ${missing.map((i) => `${i}/${count}`).join(", ")}`);

  const cellSources = new Map<string, string>();
  const cells = inputs.flatMap(({ source, report }) =>
    report.cells.map((c) => {
      const key = `${c.index}/${c.stage}/${c.seed}`;
      const other = cellSources.get(key);
      if (other) {
        throw new Error(
          `merge: cell ${c.index} (${cellKey(c)}, seed ${c.seed}) is in ${other} and ${source}`,
        );
      }
      cellSources.set(key, source);
      return c;
    })
  ).sort((a, b) => a.index - b.index || cellStages.indexOf(a.stage) - cellStages.indexOf(b.stage) || a.seed - b.seed);

  const references = new Map<string, { reference: Reference; source: string }>();
  for (const { source, report } of inputs) {
    for (const reference of report.references) {
      const key = `${reference.kind}/${reference.backbone}/${reference.seed}`;
      const other = references.get(key);
      if (other && JSON.stringify(other.reference) !== JSON.stringify(reference)) {
        throw new Error(`merge: reference ${key} differs between ${other.source} and ${source}; expected the same`);
      }
      if (!other) references.set(key, { reference, source });
    }
  }

  const rowSources = new Map<string, string>();
  const throughput = inputs.flatMap(({ source, report }) =>
    report.throughput.map((t) => {
      const key = `${t.backend}/${t.threads}t/${t.backbone}`;
      const other = rowSources.get(key);
      if (other) throw new Error(`merge: throughput row ${key} is in ${other} and ${source}`);
      rowSources.set(key, source);
      return t;
    })
  );

  const backends = new Map(
    inputs.flatMap(({ report }) => report.environment.backends.map((b) => [`${b.name}/${b.threads}`, b] as const)),
  );
  const first = inputs[0].report;
  const mergedReferences = [...references.values()].map((r) => r.reference);
  return {
    version: first.version,
    run: {
      id: runId,
      preset: first.run.preset,
      seeds: first.run.seeds,
      createdAt: inputs.map((i) => i.report.run.createdAt).sort().at(-1)!,
      command: `merge ${inputs.map((i) => i.source).join(" ")}`,
      shards: [...seen.keys()].sort((a, b) => a - b).map((index) => ({ index, count })),
    },
    environment: { ...first.environment, backends: [...backends.values()] },
    cells,
    references: mergedReferences,
    evaluation: first.evaluation,
    primaryEval: first.primaryEval,
    evalSets: first.evalSets,
    statistics: computeStatistics({
      cells,
      references: mergedReferences,
      evaluation: first.evaluation,
      evalSets: first.evalSets,
      seeds: first.run.seeds,
    }),
    throughput,
    tsne,
  };
}
