/**
 * The report of one preset's run, assembled the same way wherever the run happened (the command line's
 * `executeRun`, a browser page): the reference rows of the run's models, then the report with its run identity,
 * environment (from the host), cell rows, evaluation description, statistics, throughput and t-SNE map.
 * @module
 */
import type { Backend, BackendInfo } from "../core/backend.ts";
import { collectEnvironment } from "../report/environment.ts";
import { type Cell, type Reference, type Report, REPORT_VERSION, type Tsne } from "../report/schema.ts";
import { computeStatistics } from "../report/statistics.ts";
import { evalSetInfo, furtherEvalSets } from "./eval_sets.ts";
import { evaluationOf } from "./evaluate_model.ts";
import { presetOnnxReferences } from "./onnx_reference.ts";
import type { MatrixCell, Preset, Shard } from "./presets.ts";
import { rawPixelReference, untrainedReference } from "./references.ts";
import type { RunData } from "./run_data.ts";

/**
 * The reference rows of a run: raw pixels, each backbone of `cells` untrained with each seed, and the preset's
 * ONNX models.
 */
export async function runReferences(
  backend: Backend,
  data: RunData,
  preset: Preset,
  cells: readonly MatrixCell[],
  seeds: readonly number[],
): Promise<Reference[]> {
  const references: Reference[] = [rawPixelReference(data.evalSets, preset)];
  for (const name of new Set(cells.map((c) => c.backbone))) {
    for (const seed of seeds) references.push(await untrainedReference(backend, data.evalSets, preset, name, seed));
  }
  references.push(...await presetOnnxReferences(preset, data.evalSets));
  return references;
}

/** What a finished run hands to {@link assembleReport}. */
export interface RunResults {
  preset: Preset;
  seeds: number[];
  data: RunData;
  /** how the run was started (the report's `command`) */
  command: string;
  /** the shard this run covered (null: the whole matrix) */
  shard: Shard | null;
  /** the backend's description, taken before it was destroyed */
  backendInfo: BackendInfo;
  rows: Cell[];
  references: Reference[];
  throughput: Report["throughput"];
  tsne: Tsne | null;
}

/** The id of a run's report folder: preset, seed(s), time stamp and shard. */
export function runId(preset: Preset, shard: Shard | null): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const seeds = preset.seeds > 1 ? `seeds${preset.seed}-${preset.seed + preset.seeds - 1}` : `seed${preset.seed}`;
  return `${preset.name}-${seeds}-${stamp}${shard ? `-shard${shard.index}of${shard.count}` : ""}`;
}

/** The report of a finished run. */
export async function assembleReport(r: RunResults): Promise<Report> {
  const { preset, data, rows, references, seeds } = r;
  const [primary] = data.evalSets;
  const evaluation = evaluationOf(primary.set, preset);
  const evalSets = furtherEvalSets(data.evalSets, preset);
  return {
    version: REPORT_VERSION,
    run: {
      id: runId(preset, r.shard),
      preset: preset.name,
      seeds,
      createdAt: new Date().toISOString(),
      command: r.command,
      shards: [r.shard ?? { index: 1, count: 1 }],
    },
    environment: await collectEnvironment([r.backendInfo], {
      id: data.trainId,
      hash: data.hash,
      trainImages: data.train.count,
      trainIdentities: data.train.numClasses,
      evalPairs: primary.set.pairs.left.length,
      ...(data.labelNoise ? { labelNoise: data.labelNoise } : {}),
    }),
    cells: rows,
    references,
    evaluation,
    primaryEval: preset.evalSets === null ? null : evalSetInfo(primary),
    evalSets,
    statistics: computeStatistics({ cells: rows, references, evaluation, evalSets, seeds }),
    throughput: r.throughput,
    tsne: r.tsne,
  };
}
