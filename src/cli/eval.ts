/**
 * `deno task eval --onnx model.onnx --dataset ID[,ID…]`: evaluates any ONNX face-embedding model with the bench's
 * protocol. The test images of each evaluation set (a registered dataset id, a `.bin` file, or a folder tree with
 * `pairs.txt`, loaded as the bench loads `evalSets`; the first is the primary set) are converted to the model's input
 * convention (layout, channel order, size, mean/std), embedded with onnxruntime-web (WASM), flip-fused as the bench
 * does, and scored by the bench's evaluator; the report (`report.{json,md,html}`, written atomically) holds the
 * model as the reference row "onnx:NAME" with accuracy and its interval, AUC, TAR@FAR and rank-1 where the set has
 * identities. Exit codes: 0 written, 2 bad input (unknown flag or value, missing or invalid model file, unknown
 * dataset, an input convention the model's declared input does not accept), 1 any other failure.
 * @module
 */
import { basename } from "node:path";
import { parseArgs } from "node:util";
import * as ort from "onnxruntime-web";
import { ZodError } from "zod";
import { loadBenchDataset } from "../bench/datasets.ts";
import { type BenchEvalSet, benchEvalSet, evalSetInfo, furtherEvalSets } from "../bench/eval_sets.ts";
import { evaluationOf } from "../bench/evaluate_model.ts";
import { type OnnxInput, onnxInputSchema, onnxReference, openOnnxFile } from "../bench/onnx_reference.ts";
import { DataError } from "../data/errors.ts";
import { loadEvalSet } from "../data/sources.ts";
import { collectEnvironment } from "../report/environment.ts";
import { type Report, REPORT_VERSION } from "../report/schema.ts";
import { computeStatistics } from "../report/statistics.ts";
import { type ReportFiles, writeReport } from "../report/write.ts";

/** Usage text printed with a bad-input error. */
export const EVAL_USAGE = `Usage: deno task eval --onnx model.onnx --dataset ID[,ID...] [options]
  --onnx FILE          the ONNX face-embedding model (one float32 image input; its first output is the embedding)
  --dataset LIST       comma-separated evaluation sets: dataset ids (test split), .bin files, folder trees with
                       pairs.txt; the first is the primary set
  --name NAME          the row's name (default: the file name without .onnx)
  --layout L           NCHW (default) or NHWC
  --channels C         RGB (default) or BGR
  --size S             square input size (default 112; test images are resized bilinearly when they differ)
  --mean M             (pixel - mean) / std on 0-255 values: one number or three comma-separated (default 127.5)
  --std S              (default 127.5)
  --no-flip            embed the images only, not also their mirror (default: flip fusion, as the bench)
  --folds K            verification folds (default 10)
  --far LIST           comma-separated FAR targets (default 0.001,0.01)
  --batch N            images per onnxruntime-web run (default 32)
  --threads N          onnxruntime-web WASM threads (default 1)
  --seed N             seed of the bootstrap intervals (default 1337, the presets' default)
  --out DIR            reports directory (default reports)`;

/** Bad input to the eval command (exit code 2). */
export class EvalInputError extends Error {
  /** Creates an error with a message for the user. */
  constructor(message: string) {
    super(message);
    this.name = "EvalInputError";
  }
}

/** What to evaluate and how. */
export interface EvalRequest {
  /** the .onnx file */
  onnx: string;
  /** the row's name */
  name: string;
  /** evaluation set specs, the primary first */
  sets: string[];
  /** the model's input convention */
  input: OnnxInput;
  /** the bench's evaluation options */
  eval: { flip: boolean; folds: number; farTargets: number[] };
  /** images per run */
  batch: number;
  /** onnxruntime-web WASM threads */
  threads: number;
  /** bootstrap seed */
  seed: number;
  /** reports directory */
  out: string;
}

function numbers(flag: string, text: string): number[] {
  const values = text.split(",").map((v) => Number(v.trim()));
  if (values.some((v) => !Number.isFinite(v)) || text.trim() === "") {
    throw new EvalInputError(`--${flag} "${text}": expected comma-separated numbers`);
  }
  return values;
}

function positiveInteger(flag: string, text: string | undefined, fallback: number, min = 1): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new EvalInputError(`--${flag} "${text}": expected an integer ≥ ${min}`);
  }
  return value;
}

/** Parses the command line; throws {@link EvalInputError} on unknown flags or invalid values. */
export function parseEvalArgs(args: string[]): EvalRequest {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        onnx: { type: "string" },
        dataset: { type: "string" },
        name: { type: "string" },
        layout: { type: "string" },
        channels: { type: "string" },
        size: { type: "string" },
        mean: { type: "string" },
        std: { type: "string" },
        "no-flip": { type: "boolean" },
        folds: { type: "string" },
        far: { type: "string" },
        batch: { type: "string" },
        threads: { type: "string" },
        seed: { type: "string" },
        out: { type: "string" },
      },
      strict: true,
    }));
  } catch (error) {
    throw new EvalInputError((error as Error).message);
  }
  if (!values.onnx) throw new EvalInputError("--onnx is required");
  if (!values.dataset) throw new EvalInputError("--dataset is required");
  const sets = values.dataset.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const one = (flag: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const v = numbers(flag, text);
    return v.length === 1 ? v[0] : v;
  };
  const parsed = onnxInputSchema.safeParse({
    layout: values.layout?.toUpperCase(),
    channels: values.channels?.toUpperCase(),
    size: values.size === undefined ? undefined : Number(values.size),
    mean: one("mean", values.mean),
    std: one("std", values.std),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EvalInputError(`--${issue.path.join(".") || "input"}: ${issue.message}`);
  }
  const farTargets = values.far === undefined ? [1e-3, 1e-2] : numbers("far", values.far);
  if (farTargets.some((f) => !(f > 0 && f < 1))) throw new EvalInputError(`--far "${values.far}": each in (0, 1)`);
  return {
    onnx: values.onnx,
    name: values.name ?? basename(values.onnx).replace(/\.onnx$/i, ""),
    sets,
    input: parsed.data,
    eval: { flip: !values["no-flip"], folds: positiveInteger("folds", values.folds, 10, 2), farTargets },
    batch: positiveInteger("batch", values.batch, 32),
    threads: positiveInteger("threads", values.threads, 1),
    seed: positiveInteger("seed", values.seed, 1337, 0),
    out: values.out ?? "reports",
  };
}

async function loadSets(specs: readonly string[], log: (line: string) => void): Promise<BenchEvalSet[]> {
  const sets: BenchEvalSet[] = [];
  for (const spec of specs) {
    try {
      const { set, hash } = await loadEvalSet(spec, { loadDataset: (id) => loadBenchDataset(id, { log }) });
      if (sets.some((s) => s.set.name === set.name)) throw new EvalInputError(`--dataset names "${set.name}" twice`);
      if (set.pairs.left.length < 2) throw new EvalInputError(`--dataset ${spec}: fewer than 2 pairs`);
      sets.push(benchEvalSet(set, hash));
    } catch (error) {
      if (error instanceof DataError || error instanceof ZodError) {
        throw new EvalInputError(`--dataset ${spec}: ${(error as Error).message}`);
      }
      throw error;
    }
  }
  return sets;
}

/** Evaluates the model and writes the report; returns it and its files. */
export async function evaluateOnnx(
  request: EvalRequest,
  log: (line: string) => void = console.log,
): Promise<{ report: Report; files: ReportFiles }> {
  ort.env.wasm.numThreads = request.threads;
  let model;
  try {
    model = await openOnnxFile(request.onnx, request.input);
  } catch (error) {
    throw new EvalInputError((error as Error).message);
  }
  try {
    const sets = await loadSets(request.sets, log);
    const preset = { eval: request.eval };
    const reference = await onnxReference(model, request.name, request.input, sets, preset, request.batch);
    const [primary] = sets;
    const evaluation = evaluationOf(primary.set, preset);
    const evalSets = furtherEvalSets(sets, preset);
    const seeds = [request.seed];
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const report: Report = {
      version: REPORT_VERSION,
      run: {
        id: `onnx-${request.name}-${primary.set.name}-${stamp}`,
        preset: "eval-onnx",
        seeds,
        createdAt: new Date().toISOString(),
        command: `deno task eval ${Deno.args.join(" ")}`.trim(),
        shards: [{ index: 1, count: 1 }],
      },
      environment: await collectEnvironment(
        [{
          name: "onnxruntime-web",
          threads: request.threads,
          details: { executionProvider: "wasm", version: ort.env.versions.web ?? "unknown" },
        }],
        {
          id: primary.set.source,
          hash: primary.hash,
          trainImages: 0,
          trainIdentities: 0,
          evalPairs: primary.set.pairs.left.length,
        },
      ),
      cells: [],
      references: [reference],
      evaluation,
      primaryEval: evalSetInfo(primary),
      evalSets,
      statistics: computeStatistics({ cells: [], references: [reference], evaluation, evalSets, seeds }),
      throughput: [],
      tsne: null,
    };
    const files = await writeReport(`${request.out}/${report.run.id}`, report);
    return { report, files };
  } finally {
    await model.session.release();
  }
}

/** One summary line per evaluation set: accuracy with its interval, AUC, TAR@FAR, rank-1. */
export function summaryLines(report: Report): string[] {
  const stats = report.statistics;
  const rows = [
    { name: report.primaryEval?.name ?? "primary", stat: stats?.references[0] },
    ...(stats?.evalSets ?? []).map((s) => ({ name: s.name, stat: s.references[0] })),
  ];
  const metrics = [report.references[0].metrics, ...report.references[0].evalSets.map((e) => e.metrics)];
  const pct = (v: number) => (100 * v).toFixed(2);
  return rows.map(({ name, stat }, i) => {
    const m = metrics[i];
    const ci = stat ? ` [${pct(stat.accuracy.low)}, ${pct(stat.accuracy.high)}]` : "";
    const tars = m.tarAtFar.map((t) => `TAR@FAR=${t.far} ${pct(t.tar)}%`).join(", ");
    const rank1 = m.rank1 === null ? "" : `, rank-1 ${pct(m.rank1)}%`;
    return `${name}: accuracy ${pct(m.accuracyMean)}% ± ${pct(m.accuracyStd)}${ci}, AUC ${m.auc.toFixed(4)}, ` +
      `${tars}${rank1}`;
  });
}

/** Runs the command; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  try {
    const request = parseEvalArgs(args);
    const { report, files } = await evaluateOnnx(request);
    for (const line of summaryLines(report)) console.log(line);
    console.log(`report: ${files.json}\n        ${files.markdown}\n        ${files.html}`);
    return 0;
  } catch (error) {
    if (error instanceof EvalInputError) {
      console.error(`error: ${error.message}\n\n${EVAL_USAGE}`);
      return 2;
    }
    console.error(error);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
