/**
 * Bench presets (`benchmarks/presets/<name>.json`, validated by zod) and the command-line filters that narrow
 * them: `--backbones 'ir*,mobile*'` (globs), `--heads arcface,cosface`, `--backend`, `--seed`, `--shard i/n`.
 * Schedules in presets are written in epochs and converted to iterations once the steps per epoch are known.
 * @module
 */
import { onnxReferenceSchema } from "./onnx_reference.ts";
import { z } from "zod";
import { host } from "../io/host.ts";
import { type AugmentConfig, DOMAIN_AUGMENT, EVO_AUGMENT, FULL_AUGMENT, NO_AUGMENT } from "../data/augment.ts";
import { labelNoiseSchema } from "../data/label_noise.ts";
import { DEFAULT_IMAGES_PER_IDENTITY } from "../data/sampler.ts";
import { distillationSchema, lossSchema } from "../losses/mod.ts";
import { globMatch } from "../models/mod.ts";
import { optimizerSchema } from "../train/optimizer_config.ts";
import { type CellStage, cellStages } from "../report/schema.ts";
import type { Schedule } from "../train/schedule.ts";
import { parseOrThrow } from "../core/validation.ts";
import { parseBackendList } from "./backend_list.ts";
import { MAX_CHART_IDENTITIES } from "../report/embedding_chart.ts";

const epochSchedule = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("multistep"),
    lr: z.number().positive(),
    warmupEpochs: z.number().nonnegative().default(0),
    milestones: z.array(z.number().nonnegative()).default([]),
    gamma: z.number().positive().default(0.1),
  }).strict(),
  z.object({
    kind: z.literal("cosine"),
    lr: z.number().positive(),
    warmupEpochs: z.number().nonnegative().default(0),
    minLr: z.number().nonnegative().default(0),
  }).strict(),
]);

/** Named augmentation recipes a preset can choose; an object sets the fields itself. */
const AUGMENTS = { evo: EVO_AUGMENT, full: FULL_AUGMENT, domain: DOMAIN_AUGMENT, none: NO_AUGMENT } as const;

const augmentSchema = z.union([
  z.enum(["evo", "full", "domain", "none"]),
  z.object({
    crop: z.enum(["random", "center", "none"]),
    resizeTo: z.number().int().min(1),
    flip: z.number().min(0).max(1),
    colorJitter: z.number().min(0).lt(1),
    pcaStd: z.number().nonnegative(),
  }).strict(),
]);

/** How a preset treats its training data. */
const dataSchema = z.object({
  /**
   * augmentation: "evo" (face.evoLVe's train.py: resize 128, random crop 112, flip), "full" (plus colour jitter
   * U[0.6, 1.4] and PCA lighting noise N(0, 0.1)), "domain" ("full" plus gamma, greyscale, low resolution, blur and
   * random erasing: domain randomisation for synthetic sets), "none", or the fields themselves (ImageNet PCA basis)
   */
  augment: augmentSchema.default("evo"),
  /**
   * "shuffle" (every image once per epoch), "balanced" (face.evoLVe's class-balanced sampler) or "pk" (every batch
   * P identities × K images, P = batchSize / K); a head that needs "pk" (triplet) gets it whatever this says
   */
  sampler: z.enum(["shuffle", "balanced", "pk"]).default("shuffle"),
  /** K, the images per identity of the "pk" sampler (train.batchSize must be a multiple of it) */
  imagesPerIdentity: z.number().int().min(1).default(DEFAULT_IMAGES_PER_IDENTITY),
  /** drop training identities with this many images or fewer (face.evoLVe's remove_lowshot; 0 keeps all) */
  numMin: z.number().int().nonnegative().default(0),
  /**
   * flip a seeded fraction of the training labels (never the evaluation sets'), each to a random other identity or
   * to the identity's look-alike (nearest class-mean image); the teacher of a `distilled` cell learns from the same
   * noisy labels (null: clean labels)
   */
  labelNoise: labelNoiseSchema.nullable().default(null),
}).strict();

/**
 * The teacher of the `distilled` stage: a trainer checkpoint file (`step-*.safetensors` of any run, its tensors
 * `backbone.*` and `head.*`) of a registered backbone, with its head when soft targets need the teacher's logits
 * (the head must have the student's class count: a teacher trained on the same identities); or a teacher trained
 * first in the same run, per seed, on the run's training set with the preset's optimizer and loss (`self`: the
 * cell's own backbone or head, i.e. self-distillation; epochs, batch size and schedule default to `train`'s).
 */
const teacherSchema = z.union([
  z.object({
    checkpoint: z.string().min(1),
    backbone: z.string().min(1),
    head: z.string().min(1).nullable().default(null),
  }).strict(),
  z.object({
    backbone: z.string().min(1).default("self"),
    head: z.string().min(1).default("self"),
    epochs: z.number().int().positive().nullable().default(null),
    batchSize: z.number().int().positive().nullable().default(null),
    schedule: epochSchedule.nullable().default(null),
  }).strict(),
]);

/** The teacher of a preset's `distill` block. */
export type TeacherSpec = z.infer<typeof teacherSchema>;

/** The augmentation a preset's `data.augment` names. */
export function augmentOf(augment: z.infer<typeof augmentSchema>): AugmentConfig {
  return typeof augment === "string" ? AUGMENTS[augment] : { ...augment, pca: EVO_AUGMENT.pca };
}

/** A learning-rate schedule with warm-up and milestones in epochs (converted by {@link toIterationSchedule}). */
export type EpochSchedule = z.infer<typeof epochSchedule>;

/** A bench preset file. */
export const presetSchema = z.object({
  $schema: z.string().optional(),
  name: z.string().min(1),
  description: z.string(),
  /**
   * dataset id, e.g. "synthface-ci": its training split is what cells train on and its test split what they are
   * evaluated on, unless `trainSet` / `evalSets` say otherwise
   */
  dataset: z.string().min(1),
  /**
   * the user's own training set instead of the dataset's training split: an InsightFace `train.rec` (its `.idx`
   * beside it) or an aligned image-folder tree `root/<identity>/<image>`, streamed from a raw cache on disk (paths
   * relative to the working directory; null: the dataset's training split)
   */
  trainSet: z.string().min(1).nullable().default(null),
  /**
   * the evaluation sets, each a registered dataset id (its test split), a `.bin` verification file or a folder
   * tree with a `pairs.txt`; the first is the primary set (the matrix, statistics and regression gate), the others
   * get Table-3 columns and per-set curves (null: the dataset's test split only)
   */
  evalSets: z.array(z.string().min(1)).min(1).nullable().default(null),
  /**
   * a t-SNE map of one cell's final embeddings (first seed) of the first `identities` identities of an evaluation
   * set (by name; null: the first set with identities), shown in the HTML report (null: none)
   */
  tsne: z.object({
    backbone: z.string().min(1),
    head: z.string().min(1),
    stage: z.enum(cellStages).default("scratch"),
    evalSet: z.string().min(1).nullable().default(null),
    identities: z.number().int().min(2).max(MAX_CHART_IDENTITIES).default(20),
    perplexity: z.number().positive().default(30),
    iterations: z.number().int().positive().default(1000),
  }).strict().nullable().default(null),
  /**
   * which backbone presets the `backbones` globs match: each family's `tiny` preset, every full-size preset, or
   * both (`any`, e.g. to compare a tiny and a full-size model in one report)
   */
  backbonePreset: z.enum(["tiny", "full", "any"]).default("tiny"),
  /** backbone name globs */
  backbones: z.array(z.string().min(1)).min(1).default(["*"]),
  /** head name globs */
  heads: z.array(z.string().min(1)).min(1).default(["*"]),
  /**
   * a cross design instead of the full matrix: every selected backbone with `head`, and `backbone` with every
   * selected head (null: every backbone × every head)
   */
  cross: z.object({ backbone: z.string().min(1), head: z.string().min(1) }).strict().nullable().default(null),
  /** backend the matrix trains on */
  backend: z.string().default("wasm"),
  /**
   * a backend comparison instead (null: none): the preset is run once on each of these backends in order (the
   * first is the comparison's reference), then compared (`--backends`; `wasm-fast` is WASM's relaxed-SIMD build,
   * `wasm-winograd2x2` / `wasm-im2col` WASM without F(4×4, 3×3) / without Winograd convolutions)
   */
  backends: z.array(z.string().min(1)).min(2).nullable().default(null),
  /** CPU threads (null: all cores) */
  threads: z.number().int().positive().nullable().default(null),
  /** first training seed */
  seed: z.number().int().min(0).max(0xffffffff).default(1337),
  /** seed replicates: every cell is trained with seeds seed, seed + 1, …, seed + seeds − 1 */
  seeds: z.number().int().min(1).max(100).default(1),
  /**
   * options of backbone entries by registry name (validated by the entry's zod schema), e.g. widths; the
   * registry defaults apply to every option not named here
   */
  backboneOptions: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  /** options of head entries by registry name, e.g. `{ "arcface": { "s": 30 } }`; registry defaults otherwise */
  headOptions: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  data: dataSchema.default({
    augment: "evo",
    sampler: "shuffle",
    imagesPerIdentity: DEFAULT_IMAGES_PER_IDENTITY,
    numMin: 0,
    labelNoise: null,
  }),
  /**
   * a pre-training stage: each backbone (per seed, from the same initialisation as its scratch cells) is first
   * trained on `dataset` with `head` (the preset's `headOptions` apply; the head is then discarded), with the
   * preset's optimizer, loss and data handling — its own `augment` recipe where it names one (e.g. "domain" for a
   * synthetic pre-training set), else `data.augment` (null: no pre-training)
   */
  pretrain: z.object({
    dataset: z.string().min(1),
    head: z.string().min(1).default("softmax"),
    epochs: z.number().int().positive(),
    batchSize: z.number().int().positive(),
    schedule: epochSchedule,
    augment: augmentSchema.optional(),
  }).strict().nullable().default(null),
  /**
   * knowledge distillation for the `distilled` stage: the teacher and the weighted distillation terms added to the
   * classification loss (null: none)
   */
  distill: z.object({ teacher: teacherSchema, terms: distillationSchema }).strict().nullable().default(null),
  /**
   * the stages every cell is run in: `scratch`, `pretrained` (the pre-trained backbone evaluated as it is; one row
   * per backbone, under the pre-training head), `finetuned` (pre-trained, then trained like a scratch cell) and
   * `distilled` (trained like a scratch cell, plus the `distill` terms against its teacher)
   */
  stages: z.array(z.enum(cellStages)).min(1).default(["scratch"]),
  train: z.object({
    epochs: z.number().int().positive(),
    batchSize: z.number().int().positive(),
    optimizer: optimizerSchema.default({ momentum: 0.9, nesterov: false, weightDecay: 5e-4 }),
    schedule: epochSchedule,
    clipGradNorm: z.number().positive().nullable().default(null),
    loss: lossSchema.default({ kind: "cross_entropy", smoothing: 0 }),
    evalEveryEpochs: z.number().int().positive().default(1),
    checkpointEveryEpochs: z.number().int().positive().default(1),
  }).strict(),
  eval: z.object({
    folds: z.number().int().min(2).default(10),
    flip: z.boolean().default(true),
    farTargets: z.array(z.number().gt(0).lt(1)).default([1e-3, 1e-2]),
  }).strict().default({ folds: 10, flip: true, farTargets: [1e-3, 1e-2] }),
  /** throughput section (null: skipped) */
  throughput: z.object({
    backbones: z.array(z.string().min(1)).min(1).default(["*"]),
    backends: z.array(z.string().min(1)).min(1).default(["*"]),
    batchSize: z.number().int().positive(),
    warmupSteps: z.number().int().nonnegative(),
    timedSteps: z.number().int().positive(),
  }).strict().nullable().default(null),
  /** regression gate: largest allowed accuracy drop per cell (fraction) */
  accuracyTolerance: z.number().nonnegative().default(0.02),
  /**
   * external ONNX face models evaluated as reference rows ("onnx:NAME") on the same pairs as the cells, each with
   * its input convention (layout, channel order, size, mean/std); paths relative to the working directory
   */
  onnxReferences: z.array(onnxReferenceSchema).default([]),
}).strict().superRefine((p, ctx) => {
  if (p.backends) {
    try {
      parseBackendList(p.backends);
    } catch (error) {
      ctx.addIssue({ code: "custom", path: ["backends"], message: (error as Error).message });
    }
  }
  if (p.pretrain === null && p.stages.some((s) => s === "pretrained" || s === "finetuned")) {
    ctx.addIssue({
      code: "custom",
      path: ["stages"],
      message: "the pretrained and finetuned stages need a pretrain block",
    });
  }
  if ((p.distill !== null) !== p.stages.includes("distilled")) {
    ctx.addIssue({
      code: "custom",
      path: p.distill === null ? ["stages"] : ["distill"],
      message: "the distilled stage and the distill block go together (one is set without the other)",
    });
  }
  if (new Set(p.stages).size !== p.stages.length) {
    ctx.addIssue({ code: "custom", path: ["stages"], message: "a stage is listed twice" });
  }
});

/** A validated preset. */
export type Preset = z.infer<typeof presetSchema>;

/** Command-line filters; each one given replaces the preset's value. */
export interface BenchFilters {
  /** comma-separated backbone globs */
  backbones?: string;
  /** comma-separated head globs */
  heads?: string;
  /** backend name */
  backend?: string;
  /** first seed */
  seed?: number;
  /** number of seed replicates */
  seeds?: number;
  /** training set path (`trainSet`) */
  trainSet?: string;
  /** comma-separated evaluation sets (`evalSets`) */
  evalSets?: string;
  /** the t-SNE cell, "backbone/head" with an optional "@stage" (`tsne`, with its other fields' defaults) */
  tsne?: string;
}

/** A shard: this process runs cells whose matrix index ≡ index − 1 (mod count). */
export interface Shard {
  /** 1-based shard number */
  index: number;
  /** number of shards */
  count: number;
}

/** One backbone × head cell of the matrix in one stage; `index` is its position in the full (unsharded) matrix. */
export interface MatrixCell {
  /** position in the full matrix, backbone-major */
  index: number;
  /** registered backbone name */
  backbone: string;
  /** registered head name */
  head: string;
  /** how the backbone starts */
  stage: CellStage;
}

/** Validates preset JSON; errors name `source`, the field and the problem. */
export function parsePreset(json: unknown, source: string): Preset {
  return parseOrThrow(presetSchema, json, `preset ${source}`);
}

/** Names (without `.json`) of the JSON files in the repository folder `relativeDir`, sorted; read through the host. */
export async function jsonFileNames(relativeDir: string): Promise<string[]> {
  const entries = await host().listDir(host().repoFile(relativeDir));
  return entries.filter((e) => e.isFile && e.name.endsWith(".json")).map((e) => e.name.slice(0, -".json".length))
    .sort();
}

/** Names of the presets in `benchmarks/presets/`, sorted (a host that cannot list folders, a page's, rejects). */
export function presetNames(): Promise<string[]> {
  return jsonFileNames("benchmarks/presets/");
}

/** Loads `benchmarks/presets/<name>.json`, or a JSON file path when `nameOrPath` ends in `.json`. */
export async function loadPreset(nameOrPath: string): Promise<Preset> {
  const named = !nameOrPath.endsWith(".json");
  const path = named ? host().repoFile(`benchmarks/presets/${nameOrPath}.json`) : nameOrPath;
  let text: string;
  try {
    text = new TextDecoder().decode(await host().readBytes(path));
  } catch (error) {
    // the known names need a directory listing, which a page's host (fetch) cannot give: then none are named
    const known = named ? await presetNames().then((names) => ` (presets: ${names.join(", ")})`, () => "") : "";
    throw new Error(`cannot read preset ${path}: ${(error as Error).message}${known}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`preset ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parsePreset(json, path);
}

/** Parses `--shard i/n` (1 ≤ i ≤ n). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const shard = m ? { index: Number(m[1]), count: Number(m[2]) } : null;
  if (!shard || shard.count < 1 || shard.index < 1 || shard.index > shard.count) {
    throw new Error(`--shard: expected i/n with 1 <= i <= n (e.g. 2/4), got "${text}"`);
  }
  return shard;
}

const splitList = (text: string) => text.split(",").map((s) => s.trim()).filter((s) => s.length > 0);

/** The preset with the given filters applied. */
export function applyFilters(preset: Preset, filters: BenchFilters): Preset {
  return {
    ...preset,
    backbones: filters.backbones !== undefined ? splitList(filters.backbones) : preset.backbones,
    heads: filters.heads !== undefined ? splitList(filters.heads) : preset.heads,
    backend: filters.backend ?? preset.backend,
    seed: filters.seed ?? preset.seed,
    seeds: filters.seeds ?? preset.seeds,
    trainSet: filters.trainSet ?? preset.trainSet,
    evalSets: filters.evalSets !== undefined ? splitList(filters.evalSets) : preset.evalSets,
    tsne: filters.tsne !== undefined ? parseTsneCell(filters.tsne) : preset.tsne,
  };
}

/** `--tsne backbone/head[@stage]` as a preset's `tsne` block with the schema's defaults. */
function parseTsneCell(text: string): Preset["tsne"] {
  const m = /^([^/@\s]+)\/([^/@\s]+)(?:@(\w+))?$/.exec(text.trim());
  const stage = m?.[3] ?? "scratch";
  if (!m || !(cellStages as readonly string[]).includes(stage)) {
    throw new Error(
      `--tsne: expected backbone/head or backbone/head@stage (stage: ${cellStages.join(", ")}), got "${text}"`,
    );
  }
  return presetSchema.shape.tsne.parse({ backbone: m[1], head: m[2], stage });
}

/**
 * The cells to run: every registered backbone matching the preset's globs × every matching head, backbone-major
 * in registry order (with `cross`, only the cells on the reference backbone's row or the reference head's column;
 * indices stay those of the full matrix), each in every stage of the preset (the `pretrained` stage only for the
 * pre-training head), then restricted to `shard`. A glob that matches nothing, a cross reference or a
 * pre-training head outside the selection is an error (a typo must not silently shrink the matrix).
 */
export function selectCells(
  preset: Preset,
  registered: { backbones: readonly string[]; heads: readonly string[] },
  shard: Shard = { index: 1, count: 1 },
): MatrixCell[] {
  const pick = (kind: string, patterns: readonly string[], names: readonly string[]) => {
    for (const p of patterns) {
      if (!names.some((n) => globMatch(p, n))) {
        throw new Error(`--${kind}: "${p}" matches no registered ${kind.slice(0, -1)} (known: ${names.join(", ")})`);
      }
    }
    return names.filter((n) => patterns.some((p) => globMatch(p, n)));
  };
  const backbones = pick("backbones", preset.backbones, registered.backbones);
  const heads = pick("heads", preset.heads, registered.heads);
  const cross = preset.cross;
  if (cross && (!backbones.includes(cross.backbone) || !heads.includes(cross.head))) {
    throw new Error(
      `cross: the reference cell ${cross.backbone} × ${cross.head} is not in the selection ` +
        `(backbones: ${backbones.join(", ")}; heads: ${heads.join(", ")}); keep it in the --backbones/--heads ` +
        `filters, or run the full matrix (e.g. --preset matrix)`,
    );
  }
  const pretrainHead = preset.pretrain?.head;
  if (preset.stages.includes("pretrained") && !heads.includes(pretrainHead!)) {
    throw new Error(
      `stages: the pretrained stage is evaluated for the pre-training head ${pretrainHead}, which is not among the ` +
        `selected heads (${heads.join(", ")})`,
    );
  }
  const cells = backbones.flatMap((backbone, b) =>
    heads.map((head, h) => ({ index: b * heads.length + h, backbone, head }))
  ).filter((c) => !cross || c.backbone === cross.backbone || c.head === cross.head)
    .flatMap((c) =>
      preset.stages.filter((stage) => stage !== "pretrained" || c.head === pretrainHead).map((stage) => ({
        ...c,
        stage,
      }))
    );
  return cells.filter((_, k) => k % shard.count === shard.index - 1);
}

/** The training seeds of a preset: `seed`, `seed + 1`, …, `seed + seeds − 1`. */
export function seedList(preset: Pick<Preset, "seed" | "seeds">): number[] {
  return Array.from({ length: preset.seeds }, (_, k) => preset.seed + k);
}

/** Converts an epoch-based schedule to the per-iteration schedule the trainer evaluates. */
export function toIterationSchedule(schedule: EpochSchedule, stepsPerEpoch: number, epochs: number): Schedule {
  if (!Number.isInteger(stepsPerEpoch) || stepsPerEpoch <= 0) {
    throw new RangeError(`toIterationSchedule: stepsPerEpoch must be a positive integer, got ${stepsPerEpoch}`);
  }
  const steps = (e: number) => Math.round(e * stepsPerEpoch);
  const warmupSteps = steps(schedule.warmupEpochs);
  if (schedule.kind === "multistep") {
    return {
      kind: "multistep",
      lr: schedule.lr,
      warmupSteps,
      milestones: schedule.milestones.map(steps),
      gamma: schedule.gamma,
    };
  }
  return { kind: "cosine", lr: schedule.lr, warmupSteps, totalSteps: steps(epochs), minLr: schedule.minLr };
}
