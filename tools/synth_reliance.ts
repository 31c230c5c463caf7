/**
 * What a model trained on synthface relies on (issue 18, first step). Trains a backbone × head (default
 * `mobilefacenet_tiny` × `softmax`) on the first identities/images of a synthetic dataset's training split
 * (rendered in-process, byte-identical to the dataset's own images), then measures on fresh, held-out synthetic
 * identities how far the flip-fused embedding moves when
 *
 * - one identity gene is moved to other values (the image's nuisance kept),
 * - one nuisance factor is taken from another image of the same identity (the rest kept),
 * - an image region of the aligned crop is greyed out (a 4×4 grid and named face regions; also on ORL),
 *
 * each relative to the mean distance between different identities, for the trained and the untrained network.
 * It also verifies both networks and 28×28 grey raw pixels on pairs of ORL's **training** identities (s1–s20;
 * never the test identities) and on held-out synthetic pairs: with `--transfer` (verification and gene probe only)
 * it is the dev-set transfer measurement of a generator version, e.g. `--dataset synthface-v1` against
 * `--dataset synthface-v2` with the same training budget. Everything runs on the WASM backend with fixed seeds;
 * tables are Markdown. The probes read the genes, gene kinds and nuisance groups of the dataset's generator
 * (`FaceModel` in `src/data/synth/model.ts`), so they work for every version.
 *
 * Usage: `deno run -A tools/synth_reliance.ts [--help] [options]`.
 * @module
 */
import { parseArgs } from "node:util";
import type { Backend } from "../src/core/backend.ts";
import { createBackend } from "../src/backends/registry.ts";
import { loadBenchDataset } from "../src/bench/datasets.ts";
import { augmentOf } from "../src/bench/presets.ts";
import { embeddingRows } from "../src/bench/evaluate_model.ts";
import { Rng } from "../src/core/rng.ts";
import { rawPixelEmbeddings } from "../src/bench/references.ts";
import type { FaceDataset, FaceSet } from "../src/data/dataset.ts";
import { loaderFor } from "../src/data/loader.ts";
import { drawPairs } from "../src/data/pairs.ts";
import { faceSetOf, specOptions, SYNTH_DATASETS } from "../src/data/synthface.ts";
import type { Identity } from "../src/data/synth/identity.ts";
import {
  imageNuisance,
  modelOf,
  type NuisanceOverride,
  synthesizeFace,
  type SynthOptions,
} from "../src/data/synth/generate.ts";
import { renderIdentityRange } from "../src/data/synth/split.ts";
import { squaredDistance } from "../src/eval/embeddings.ts";
import { evaluatePairs } from "../src/eval/evaluate.ts";
import { type Embeddings, extractEmbeddings } from "../src/eval/extract.ts";
import type { Backbone } from "../src/models/backbones/backbone.ts";
import { backbones, heads } from "../src/models/mod.ts";
import type { Schedule } from "../src/train/schedule.ts";
import { Trainer } from "../src/train/trainer.ts";
import { markdownTable } from "../src/report/markdown.ts";
import { runTool, type ToolLog } from "./_tool_main.ts";
import { GRID_REGIONS, NAMED_REGIONS, occlude } from "./_face_regions.ts";

const HELP = `synth_reliance: what a network (default mobilefacenet_tiny x softmax) trained on synthface relies on.

Usage: deno run -A tools/synth_reliance.ts [options]

Training (WASM backend; SGD momentum 0.9, wd 5e-4, lr 0.1 with 10% warm-up, x0.1 at 75% of the steps, batch 32):
  --dataset ID        synthetic dataset whose generator settings and training split are used
                      (any id of src/data/synthface.ts, e.g. synthface-v1 or synthface-v2; default
                      synthface-v1; rendered in-process, so no manifest or cache is needed)
  --train-ids N       first N identities of its training split (default 1000)
  --train-images K    first K images of each (default 10)
  --epochs E          epochs over those images (default 2)
  --augment NAME      training augmentation: evo (default), full, domain or none (the presets' recipes)
  --backbone NAME     backbone family with its default options (default mobilefacenet_tiny)
  --head NAME         classification head with its default options (default softmax; e.g. arcface, cosface)
  --seed S            seed of init, data order and every probe draw (default 1337)
  --threads T         WASM threads (default 1)

Probes (fresh identities, never trained on; rendered with the dataset's generator settings):
  --probe-ids P       identities for the gene and nuisance probes (default 24)
  --eval-ids Q        identities x 6 images for synthetic verification and occlusion (default 40)
  --orl-images M      ORL training images per identity in the occlusion probe (default 5)
  --transfer          verification and gene probe only (skips the nuisance and occlusion probes)
  --quick             a smoke test: 100 x 4 training images, 1 epoch, 6 probe and 20 eval identities
  --help              this text

Prints Markdown tables: verification (untrained vs trained vs raw pixels; held-out synthetic and ORL s1-s20 pairs,
10 folds x 60),
gene sensitivity, nuisance sensitivity and occlusion sensitivity. A "x between" value is the mean squared
embedding distance caused by the change divided by the mean squared distance between different identities.`;

/** Command-line settings of one run. */
export interface RelianceOptions {
  /** synthetic dataset id (generator settings and training split) */
  dataset: string;
  /** training identities (a prefix of the split) */
  trainIds: number;
  /** training images per identity (a prefix) */
  trainImages: number;
  /** training epochs */
  epochs: number;
  /** the training augmentation recipe's name (a preset's `data.augment`) */
  augment: "evo" | "full" | "domain" | "none";
  /** backbone registry name (default options) */
  backbone: string;
  /** head registry name (default options) */
  head: string;
  /** seed of everything */
  seed: number;
  /** WASM threads */
  threads: number;
  /** identities of the gene and nuisance probes */
  probeIds: number;
  /** identities of the synthetic verification/occlusion set (6 images each) */
  evalIds: number;
  /** ORL training images per identity in the occlusion probe */
  orlImages: number;
  /** only verification and the gene probe */
  transfer: boolean;
}

/** Values every probed gene is moved to (fixed before any result was seen). */
export const GENE_VALUES: readonly number[] = [0.05, 0.35, 0.65, 0.95];

/** Parses the command line; throws with a message naming the option on bad input. */
export function parseOptions(args: string[]): RelianceOptions | null {
  const { values } = parseArgs({
    args,
    options: {
      dataset: { type: "string", default: "synthface-v1" },
      "train-ids": { type: "string" },
      "train-images": { type: "string" },
      epochs: { type: "string" },
      augment: { type: "string", default: "evo" },
      backbone: { type: "string", default: "mobilefacenet_tiny" },
      head: { type: "string", default: "softmax" },
      seed: { type: "string", default: "1337" },
      threads: { type: "string", default: "1" },
      "probe-ids": { type: "string" },
      "eval-ids": { type: "string" },
      "orl-images": { type: "string", default: "5" },
      quick: { type: "boolean", default: false },
      transfer: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return null;
  const int = (name: string, text: string | undefined, fallback: number, min: number) => {
    if (text === undefined) return fallback;
    const v = Number(text);
    if (!Number.isInteger(v) || v < min) throw new Error(`--${name}: expected an integer >= ${min}, got "${text}"`);
    return v;
  };
  const q = values.quick;
  const spec = SYNTH_DATASETS[values.dataset];
  if (!spec) throw new Error(`--dataset: expected one of ${Object.keys(SYNTH_DATASETS).join(", ")}`);
  const augment = values.augment;
  if (augment !== "evo" && augment !== "full" && augment !== "domain" && augment !== "none") {
    throw new Error(`--augment: expected evo, full, domain or none, got "${augment}"`);
  }
  const named = (option: string, lookup: () => unknown) => {
    try {
      lookup();
    } catch (e) {
      throw new Error(`--${option}: ${(e as Error).message}`);
    }
  };
  named("backbone", () => backbones.get(values.backbone));
  named("head", () => heads.get(values.head));
  const options: RelianceOptions = {
    dataset: values.dataset,
    augment,
    backbone: values.backbone,
    head: values.head,
    trainIds: int("train-ids", values["train-ids"], q ? 100 : Math.min(1000, spec.train.identities), 2),
    trainImages: int("train-images", values["train-images"], q ? 4 : Math.min(10, spec.train.imagesPerIdentity), 1),
    epochs: int("epochs", values.epochs, q ? 1 : 2, 1),
    seed: int("seed", values.seed, 1337, 0),
    threads: int("threads", values.threads, 1, 1),
    probeIds: int("probe-ids", values["probe-ids"], q ? 6 : 24, 2),
    evalIds: int("eval-ids", values["eval-ids"], q ? 20 : 40, 20),
    orlImages: int("orl-images", values["orl-images"], 5, 1),
    transfer: values.transfer,
  };
  if (options.probeIds > options.evalIds) {
    throw new Error(`--probe-ids: at most --eval-ids (${options.evalIds}); the probes are the first eval identities`);
  }
  if (options.trainIds > spec.train.identities || options.trainImages > spec.train.imagesPerIdentity) {
    throw new Error(
      `--train-ids/--train-images: ${spec.id} has ${spec.train.identities} identities x ${spec.train.imagesPerIdentity}`,
    );
  }
  return options;
}

/** A held-out probe identity: its genes, and how to decode them (the identity's own stream is fixed). */
export interface ProbeIdentity {
  /** genes in [0, 1], in the generator's gene order */
  genes: Float64Array;
  /** decodes (possibly edited) genes with this identity's own stream */
  decode(genes: Float64Array): Identity;
}

/** Fresh identities drawn from the gene prior of the options' generator (independent of any dataset split). */
export function probeIdentities(options: SynthOptions, seed: number, count: number): ProbeIdentity[] {
  const model = modelOf(options);
  return Array.from({ length: count }, (_, i) => ({
    genes: model.randomGenes(new Rng(seed, "reliance/genes").fork(String(i))),
    decode: (genes: Float64Array) => model.decode(genes, new Rng(seed, "reliance/marks").fork(String(i))),
  }));
}

/** Split name of the probe renders (keys their nuisance streams). */
const PROBE_SPLIT = "reliance";

/** The aligned crop of image `index` of probe identity `identityIndex`, optionally with a nuisance override. */
export function probeCrop(
  options: SynthOptions,
  identity: Identity,
  identityIndex: number,
  index: number,
  override?: NuisanceOverride,
): Uint8Array {
  return synthesizeFace(options, PROBE_SPLIT, identity, identityIndex, index, override).aligned.data;
}

/** NHWC uint8 crops → normalised floats, (x − 127.5) / 127.5. */
function normalise(images: readonly Uint8Array[]): Float32Array {
  const per = images[0].length, out = new Float32Array(images.length * per);
  images.forEach((img, n) => {
    for (let i = 0; i < per; i++) out[n * per + i] = (img[i] - 127.5) / 127.5;
  });
  return out;
}

/** Flip-fused, L2-normalised embeddings of 112×112 crops with `backbone` in eval mode. */
export async function embed(backend: Backend, backbone: Backbone, images: readonly Uint8Array[]): Promise<Embeddings> {
  backbone.train(false);
  try {
    return await extractEmbeddings(
      backend,
      normalise(images),
      [images.length, 112, 112, 3],
      (x) => backbone.forward(x),
      {
        batchSize: 32,
        flip: true,
      },
    );
  } finally {
    backbone.train(true);
  }
}

/** Mean squared distance between rows of different groups (`group[i]` per row; all pairs). */
export function meanBetween(e: Embeddings, group: readonly number[]): number {
  let sum = 0, count = 0;
  for (let i = 0; i < group.length; i++) {
    for (let j = i + 1; j < group.length; j++) {
      if (group[i] === group[j]) continue;
      sum += squaredDistance(e.data, i, e.data, j, e.dim);
      count++;
    }
  }
  return sum / count;
}

/** Mean absolute pixel difference of two crops (0–255 scale). */
function pixelChange(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

/** The two networks the probes compare. */
interface Nets {
  untrained: Backbone;
  trained: Backbone;
}

/** Embeds `images` with both networks. */
async function embedBoth(backend: Backend, nets: Nets, images: readonly Uint8Array[]) {
  return {
    untrained: await embed(backend, nets.untrained, images),
    trained: await embed(backend, nets.trained, images),
  };
}

const fmt = (x: number, digits = 2) => x.toFixed(digits);
const ratio = (a: number, b: number) => (b > 0 ? fmt(a / b) : "n/a (no change)");
const elapsed = (start: number) => `${((performance.now() - start) / 1000).toFixed(1)} s`;

/**
 * The learning-rate schedule of a `steps`-iteration training here: lr 0.1, warm-up over the first 10% and a drop to
 * 0.01 at 75% of the run. The transfer presets' pre-training uses the same (a test holds them together), so what the
 * dev pairs chose is what the presets run.
 */
export function relianceSchedule(steps: number): Schedule {
  return {
    kind: "multistep",
    lr: 0.1,
    warmupSteps: Math.round(0.1 * steps),
    milestones: [Math.round(0.75 * steps)],
    gamma: 0.1,
  };
}

/** Trains the model on the training prefix; returns the trained backbone and training facts. */
async function train(backend: Backend, o: RelianceOptions, synth: SynthOptions, log: (s: string) => void) {
  const spec = SYNTH_DATASETS[o.dataset];
  let start = performance.now();
  const pixels = renderIdentityRange(
    { options: synth, split: "train", identities: o.trainIds, imagesPerIdentity: o.trainImages },
    0,
    o.trainIds,
  );
  const set: FaceSet = faceSetOf(pixels, { identities: o.trainIds, imagesPerIdentity: o.trainImages }, synth.cropSize);
  log(`rendered ${set.count} training images of ${spec.id} in ${elapsed(start)}`);
  const context = { backend, rng: new Rng(o.seed, "init"), dropoutRng: new Rng(o.seed, "dropout") };
  const backbone = backbones.get(o.backbone).create({}, context);
  const head = heads.get(o.head).create(
    { embeddingSize: backbone.embeddingSize, numClasses: set.numClasses },
    context,
  );
  const loader = loaderFor(set, 32, o.seed, { augment: augmentOf(o.augment) });
  const steps = o.epochs * loader.batchesPerEpoch;
  const trainer = new Trainer({
    backend,
    backbone,
    head,
    data: loader,
    streams: [context.dropoutRng],
    onStep: (step, loss) => {
      if (step % loader.batchesPerEpoch === 0) {
        log(`epoch ${step / loader.batchesPerEpoch}/${o.epochs}: step ${step}/${steps}, loss ${fmt(loss, 3)}`);
      }
    },
    config: {
      steps,
      schedule: relianceSchedule(steps),
      optimizer: { momentum: 0.9, nesterov: false, weightDecay: 5e-4 },
      clipGradNorm: null,
      loss: { kind: "cross_entropy", smoothing: 0 },
      evalEvery: steps,
      checkpointEvery: steps,
    },
  });
  start = performance.now();
  try {
    const result = await trainer.run();
    const losses = result.lossCurve.map((p) => p.value);
    const tail = losses.slice(-20).reduce((a, b) => a + b, 0) / Math.min(20, losses.length);
    log(
      `trained ${steps} steps in ${elapsed(start)}; loss ${fmt(losses[0], 3)} -> ${fmt(tail, 3)} (mean of last 20); ` +
        `weights ${result.weightHash.slice(0, 16)}`,
    );
    return { backbone, steps, images: set.count, weightHash: result.weightHash, finalLoss: tail };
  } finally {
    loader.close();
    trainer.dispose();
    head.dispose();
  }
}

/** Verification of both networks and of raw pixels on pairs over `set` (10 folds × 60, drawn with `rng`). */
async function verification(backend: Backend, nets: Nets, set: FaceSet, rng: Rng): Promise<string[][]> {
  const per = set.height * set.width * 3;
  const crops = Array.from({ length: set.count }, (_, i) => set.images.subarray(i * per, (i + 1) * per));
  const pairs = drawPairs(set.labels, set.numClasses, 10, 60, rng);
  const rows: string[][] = [];
  const asTest: FaceDataset = {
    id: "pairs",
    train: set,
    test: set,
    pairs,
    gallery: new Int32Array(),
    probe: new Int32Array(),
  };
  const embeddings = {
    ...(await embedBoth(backend, nets, crops)),
    "raw pixels (28x28 grey)": rawPixelEmbeddings(asTest, true),
  };
  for (const [name, e] of Object.entries(embeddings)) {
    const same = Array.from(pairs.same, (s) => s === 1);
    const m = evaluatePairs(embeddingRows(e, pairs.left), embeddingRows(e, pairs.right), e.dim, same);
    rows.push([name, `${fmt(100 * m.accuracyMean, 1)} ± ${fmt(100 * m.accuracyStd, 1)}`, fmt(m.auc, 3)]);
  }
  return rows;
}

/** Mean squared distance between row i of `a` and row i of `b`. */
function meanPaired(a: Embeddings, b: Embeddings): number {
  let sum = 0;
  const n = a.data.length / a.dim;
  for (let i = 0; i < n; i++) sum += squaredDistance(a.data, i, b.data, i, a.dim);
  return sum / n;
}

/** Trains the model, measures what it relies on, and prints the tables. */
async function analyse(o: RelianceOptions, log: ToolLog): Promise<void> {
  const started = performance.now();
  const synth = specOptions(SYNTH_DATASETS[o.dataset]);
  const model = modelOf(synth);
  const backend = await createBackend("wasm", { threads: o.threads });
  const orl = await loadBenchDataset("orl", { log });
  const untrainedContext = { backend, rng: new Rng(o.seed, "init"), dropoutRng: new Rng(o.seed, "dropout") };
  const nets: Nets = {
    untrained: backbones.get(o.backbone).create({}, untrainedContext),
    trained: (await train(backend, o, synth, log)).backbone,
  };
  const out: string[] = [];
  const section = (title: string, header: string[], rows: string[][], note = "") =>
    out.push(`### ${title}\n\n${note ? note + "\n\n" : ""}${markdownTable({ header, rows })}\n`);

  // Held-out synthetic evaluation set: evalIds fresh identities x 6 images (the first probeIds are the probes).
  const probes = probeIdentities(synth, o.seed, o.evalIds);
  const identities = probes.map((p) => p.decode(p.genes));
  const perId = 6;
  const evalCrops: Uint8Array[] = [];
  for (let i = 0; i < o.evalIds; i++) {
    for (let k = 0; k < perId; k++) evalCrops.push(probeCrop(synth, identities[i], i, k));
  }
  const evalPixels = new Uint8Array(evalCrops.length * evalCrops[0].length);
  evalCrops.forEach((c, i) => evalPixels.set(c, i * c.length));
  const evalSet = faceSetOf(evalPixels, { identities: o.evalIds, imagesPerIdentity: perId }, 112);
  log(`rendered ${evalCrops.length} held-out synthetic images`);

  section(
    `Verification: untrained vs trained ${o.backbone}`,
    ["pairs", "network", "accuracy %", "AUC"],
    [
      ...(await verification(backend, nets, evalSet, new Rng(o.seed, "reliance/synth-pairs"))).map((r) => [
        `held-out synthetic (${o.evalIds} ids x ${perId})`,
        ...r,
      ]),
      ...(await verification(backend, nets, orl.train, new Rng(o.seed, "reliance/orl-dev-pairs"))).map((r) => [
        "ORL training ids s1-s20 (dev)",
        ...r,
      ]),
    ],
    "10 identity-disjoint folds x 60 pairs (half positive), flip-fused embeddings, squared-distance threshold per fold.",
  );
  log("verification done");

  // Baselines of the probes: distances between different identities and between images of one identity.
  const probeGroup = Array.from({ length: o.probeIds * perId }, (_, i) => Math.floor(i / perId));
  const probeBase = await embedBoth(backend, nets, evalCrops.slice(0, o.probeIds * perId));
  const baseline = (e: Embeddings) => {
    let within = 0, n = 0;
    for (let i = 0; i < o.probeIds; i++) {
      for (let k = 1; k < perId; k++, n++) within += squaredDistance(e.data, i * perId, e.data, i * perId + k, e.dim);
    }
    return { between: meanBetween(e, probeGroup), within: within / n };
  };
  const base = { untrained: baseline(probeBase.untrained), trained: baseline(probeBase.trained) };
  const firstImage = (e: Embeddings) => ({
    dim: e.dim,
    data: Float32Array.from(
      { length: o.probeIds * e.dim },
      (_, j) => e.data[Math.floor(j / e.dim) * perId * e.dim + (j % e.dim)],
    ),
  });
  const anchor = { untrained: firstImage(probeBase.untrained), trained: firstImage(probeBase.trained) };
  const anchorCrops = Array.from({ length: o.probeIds }, (_, i) => evalCrops[i * perId]);

  /** Embeds `variants[v][i]` (variant v of probe identity i) and returns per-variant mean distance to the anchor. */
  const variantShift = async (variants: Uint8Array[][]) => {
    const flat = variants.flat();
    const e = await embedBoth(backend, nets, flat);
    const shift = (which: "untrained" | "trained") => {
      let sum = 0;
      flat.forEach((_, j) =>
        sum += squaredDistance(anchor[which].data, j % o!.probeIds, e[which].data, j, e[which].dim)
      );
      return sum / flat.length / base[which].between;
    };
    let pixels = 0;
    flat.forEach((c, j) => pixels += pixelChange(anchorCrops[j % o!.probeIds], c));
    return { untrained: shift("untrained"), trained: shift("trained"), pixels: pixels / flat.length };
  };

  // (a) Gene sensitivity.
  const geneRows: { name: string; untrained: number; trained: number; pixels: number }[] = [];
  for (const [g, name] of model.geneNames.entries()) {
    const variants = GENE_VALUES.map((value) =>
      Array.from({ length: o!.probeIds }, (_, i) => {
        const genes = probes[i].genes.slice();
        genes[g] = value;
        return probeCrop(synth, probes[i].decode(genes), i, 0);
      })
    );
    geneRows.push({ name, ...(await variantShift(variants)) });
  }
  log("gene probe done");
  geneRows.sort((a, b) => b.trained - a.trained);
  const baseNote = (which: "untrained" | "trained") =>
    `${which}: between-identity mean squared distance ${fmt(base[which].between, 3)}, ` +
    `same identity (other nuisance) ${fmt(base[which].within, 3)} = ${
      fmt(base[which].within / base[which].between)
    } x between`;
  section(
    `Gene sensitivity (${o.probeIds} held-out identities, image 0, each gene set to ${GENE_VALUES.join(", ")})`,
    ["gene", "kind", "trained x between", "untrained x between", "trained / untrained", "pixel change (0-255)"],
    geneRows.map((r) => [
      r.name,
      model.geneKinds[r.name],
      fmt(r.trained, 4),
      fmt(r.untrained, 4),
      ratio(r.trained, r.untrained),
      fmt(r.pixels, 1),
    ]),
    `${baseNote("trained")}; ${baseNote("untrained")}.`,
  );
  const kinds = [...new Set(Object.values(model.geneKinds))];
  section(
    "Gene sensitivity by kind (mean over the genes of a kind)",
    ["kind", "genes", "trained x between", "untrained x between", "pixel change (0-255)"],
    kinds.map((kind) => {
      const rows = geneRows.filter((r) => model.geneKinds[r.name] === kind);
      const mean = (f: (r: typeof rows[number]) => number) => rows.reduce((s, r) => s + f(r), 0) / rows.length;
      return [
        kind,
        String(rows.length),
        fmt(mean((r) => r.trained), 4),
        fmt(mean((r) => r.untrained), 4),
        fmt(mean((r) => r.pixels), 1),
      ];
    }),
  );

  if (!o.transfer) {
    // (b) Nuisance sensitivity: one group taken from donor images 1 and 2 of the same identity.
    const donors = [1, 2];
    const nuisanceRows: string[][] = [];
    const nuisanceProbe = async (label: string, variant: (i: number, donor: number) => Uint8Array) => {
      const r = await variantShift(donors.map((d) => Array.from({ length: o!.probeIds }, (_, i) => variant(i, d))));
      nuisanceRows.push([
        label,
        fmt(r.trained, 4),
        fmt(r.untrained, 4),
        ratio(r.trained, r.untrained),
        fmt(r.pixels, 1),
      ]);
    };
    for (const [label, fields] of Object.entries(model.nuisanceGroups)) {
      await nuisanceProbe(label, (i, d) => {
        const donor = imageNuisance(synth, PROBE_SPLIT, identities[i], i, d) as unknown as Record<string, unknown>;
        const edit = (n: object) => {
          for (const f of fields) (n as Record<string, unknown>)[f] = donor[f];
        };
        return probeCrop(synth, identities[i], i, 0, { edit });
      });
    }
    await nuisanceProbe(
      "background + noise pattern",
      (i, d) => probeCrop(synth, identities[i], i, 0, { pixelsOf: d }),
    );
    await nuisanceProbe("everything (another image of the identity)", (i, d) => probeCrop(synth, identities[i], i, d));
    log("nuisance probe done");
    section(
      `Nuisance sensitivity (${o.probeIds} held-out identities; one factor taken from images 1 and 2 of the same identity)`,
      ["factor", "trained x between", "untrained x between", "trained / untrained", "pixel change (0-255)"],
      nuisanceRows,
    );

    // (c) Occlusion sensitivity: synthetic held-out images and ORL training-identity images.
    const orlPer = orl.train.height * orl.train.width * 3;
    const orlCrops: Uint8Array[] = [];
    const orlGroup: number[] = [];
    for (let i = 0; i < orl.train.count; i++) {
      const label = orl.train.labels[i];
      if (orlGroup.filter((g) => g === label).length >= o.orlImages) continue;
      orlCrops.push(orl.train.images.subarray(i * orlPer, (i + 1) * orlPer));
      orlGroup.push(label);
    }
    const synthGroup = Array.from({ length: evalCrops.length }, (_, i) => Math.floor(i / perId));
    const sets = [
      { name: "synthetic", crops: evalCrops, group: synthGroup, base: await embedBoth(backend, nets, evalCrops) },
      { name: "ORL s1-s20", crops: orlCrops, group: orlGroup, base: await embedBoth(backend, nets, orlCrops) },
    ];
    const between = sets.map((s) => ({
      trained: meanBetween(s.base.trained, s.group),
      untrained: meanBetween(s.base.untrained, s.group),
    }));
    const occlusionRows: string[][] = [];
    for (const [name, region] of [...Object.entries(NAMED_REGIONS), ...Object.entries(GRID_REGIONS)]) {
      let area = 0;
      for (let y = 0; y < 112; y++) for (let x = 0; x < 112; x++) area += region(x, y) ? 1 : 0;
      const row = [name, `${fmt((100 * area) / (112 * 112), 0)}%`];
      for (const [k, s] of sets.entries()) {
        const e = await embedBoth(backend, nets, occlude(s.crops, region));
        row.push(fmt(meanPaired(s.base.trained, e.trained) / between[k].trained, 4));
        row.push(fmt(meanPaired(s.base.untrained, e.untrained) / between[k].untrained, 4));
      }
      occlusionRows.push(row);
    }
    log("occlusion probe done");
    section(
      "Occlusion sensitivity (region set to grey 128; embedding shift x between-identity distance of that set)",
      ["region", "area", "synthetic: trained", "synthetic: untrained", "ORL s1-s20: trained", "ORL s1-s20: untrained"],
      occlusionRows,
      `synthetic: ${evalCrops.length} held-out images (${o.evalIds} ids x ${perId}); ORL: ${orlCrops.length} images ` +
        `(${o.orlImages} per training identity). Between-identity mean squared distance: synthetic trained ` +
        `${fmt(between[0].trained, 3)} / untrained ${fmt(between[0].untrained, 3)}; ORL trained ${
          fmt(between[1].trained, 3)
        } / ` +
        `untrained ${fmt(between[1].untrained, 3)}.`,
    );
  }

  console.log(
    `## synth_reliance: ${o.backbone} x ${o.head} on ${o.dataset} (first ${o.trainIds} ids x ${o.trainImages} ` +
      `images, ${o.epochs} epochs, ${o.augment} augmentation, seed ${o.seed}, WASM ${o.threads} thread(s))\n`,
  );
  console.log(out.join("\n"));
  console.log(`wall time ${elapsed(started)}`);
  for (const net of [nets.untrained, nets.trained]) net.dispose();
  backend.destroy();
}

/** Runs the whole analysis and prints its tables; returns the exit code (2 bad options, 1 failure). */
export function main(args: string[]): Promise<number> {
  return runTool("synth_reliance", args, HELP, parseOptions, analyse);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
