/**
 * The data of a bench run: the training set (the preset's dataset's training split, or the user's own `.rec` or
 * folder tree streamed from a raw cache) and the evaluation sets (dataset ids, `.bin` files, folder trees with
 * pairs; the first is the primary set), each dataset loaded once, with the hash reports carry and the checks a
 * preset's numbers need against the data (batch size, folds, the t-SNE cell's set).
 * @module
 */
import { sha256Hex } from "../core/sha256.ts";
import { type FaceDataset, type TrainingSet, trainingSetOf } from "../data/dataset.ts";
import type { Progress } from "../io/progress.ts";
import { loadEvalSet, openTrainingSet } from "../data/sources.ts";
import { type LabelNoise, withLabelNoise } from "../data/label_noise.ts";
import { type BenchEvalSet, benchEvalSet } from "./eval_sets.ts";
import { datasetHash, loadBenchDataset, withoutLowShot } from "./datasets.ts";
import { backbones, heads } from "../models/mod.ts";
import { backboneOptionsOf } from "./model_options.ts";
import { presetCells } from "./preset_cells.ts";
import type { Preset } from "./presets.ts";
import type { TsneRequest } from "./tsne_map.ts";

/** What a run trains on and evaluates on. */
export interface RunData {
  /** what cells train on */
  train: TrainingSet;
  /** the training data's name in reports: the dataset id or the training set's path */
  trainId: string;
  /** the evaluation sets, the primary first */
  evalSets: BenchEvalSet[];
  /**
   * the data's identity for reports and baselines: the dataset's hash when the preset names no own data (so
   * baselines of earlier runs still match), else the SHA-256 of the training set's and every evaluation set's hash;
   * with label noise, the SHA-256 of that hash and the noise options
   */
  hash: string;
  /** the label noise applied to the training labels, with the number of images flipped (null: clean labels) */
  labelNoise: (LabelNoise & { flipped: number }) | null;
}

/** Options of {@link loadRunData}. */
export interface RunDataOptions {
  /** progress of long loading work, by label */
  onProgress?: (label: string) => Progress;
  /** receives one line per notable fact */
  log: (line: string) => void;
}

/** Loads the training set and the evaluation sets a preset names. */
export async function loadRunData(preset: Preset, options: RunDataOptions): Promise<RunData> {
  const loaded = new Map<string, Promise<FaceDataset>>();
  const load = (id: string) => {
    if (!loaded.has(id)) loaded.set(id, loadBenchDataset(id, options));
    return loaded.get(id)!;
  };
  const { log } = options;
  let train: TrainingSet, trainId: string, trainHash: string;
  if (preset.trainSet !== null) {
    const opened = await openTrainingSet(preset.trainSet, {
      numMin: preset.data.numMin,
      onProgress: options.onProgress?.(`${preset.trainSet}: caching`),
    });
    [train, trainId, trainHash] = [opened.set, preset.trainSet, opened.hash];
    log(
      `training set ${preset.trainSet} (${opened.kind}): ${train.count} images of ${train.numClasses} identities, ` +
        `streamed from ${train.source.kind === "file" ? train.source.path : "memory"}` +
        (opened.removed.identities > 0
          ? `; data.numMin ${preset.data.numMin} removed ${opened.removed.identities} identities ` +
            `(${opened.removed.images} images)`
          : ""),
    );
  } else {
    const full = await load(preset.dataset);
    const dataset = withoutLowShot(full, preset.data.numMin);
    if (dataset !== full) {
      log(
        `data.numMin ${preset.data.numMin}: kept ${dataset.train.numClasses} of ${full.train.numClasses} training ` +
          `identities (${dataset.train.count} of ${full.train.count} images)`,
      );
    }
    [train, trainId, trainHash] = [trainingSetOf(dataset.train), dataset.id, await datasetHash(dataset)];
  }
  const evalSets: BenchEvalSet[] = [];
  for (const spec of preset.evalSets ?? [preset.dataset]) {
    const { set, hash } = await loadEvalSet(spec, { loadDataset: load });
    const twin = evalSets.find((e) => e.set.name === set.name);
    if (twin) {
      throw new Error(`evalSets: "${spec}" and "${twin.set.source}" have the same name "${set.name}"; rename one`);
    }
    evalSets.push(benchEvalSet(set, hash));
  }
  const ownData = preset.trainSet !== null || preset.evalSets !== null;
  const dataHash = ownData
    ? await sha256Hex(new TextEncoder().encode([trainHash, ...evalSets.map((e) => e.hash)].join("\n") + "\n"))
    : trainHash;
  const noise = preset.data.labelNoise;
  if (noise === null) return { train, trainId, evalSets, hash: dataHash, labelNoise: null };
  const noisy = withLabelNoise(train, noise);
  log(
    `data.labelNoise: ${noisy.flipped.length} of ${train.count} training labels flipped to ` +
      `${noise.to === "random" ? "random other identities" : "look-alike identities"} (seed ${noise.seed})`,
  );
  return {
    train: noisy.set,
    trainId,
    evalSets,
    hash: await sha256Hex(new TextEncoder().encode(`${dataHash}\nlabelNoise ${JSON.stringify(noise)}\n`)),
    labelNoise: { ...noise, flipped: noisy.flipped.length },
  };
}

/**
 * Refuses a batch larger than the training images, a P×K batch (`data.sampler` "pk", or a cell whose head needs it)
 * that K does not divide or with more identities than the set has, more folds than an evaluation set's pairs, or a
 * t-SNE map of a set without identities or with too few; each problem names the preset field.
 */
export function dataProblems(preset: Preset, data: RunData): string[] {
  const problems: string[] = [];
  if (preset.train.batchSize > data.train.count) {
    problems.push(`train.batchSize ${preset.train.batchSize} > the ${data.train.count} training images`);
  }
  const cells = presetCells(preset);
  problems.push(...inputSizeProblems(preset, new Set(cells.map((c) => c.backbone)), data.train));
  const pkHeads = cells.map((c) => c.head).filter((h) => heads.get(h).sampler === "pk");
  if (preset.data.sampler === "pk" || pkHeads.length > 0) {
    const { batchSize } = preset.train, k = preset.data.imagesPerIdentity;
    const who = preset.data.sampler === "pk" ? 'data.sampler "pk"' : `the P×K sampler of ${[...new Set(pkHeads)]}`;
    if (batchSize % k !== 0) {
      problems.push(`${who}: train.batchSize ${batchSize} is not a multiple of data.imagesPerIdentity ${k}`);
    } else if (batchSize / k > data.train.numClasses) {
      problems.push(
        `${who}: P = ${batchSize / k} identities per batch > the ${data.train.numClasses} training identities`,
      );
    }
  }
  for (const { set } of data.evalSets) {
    if (preset.eval.folds > set.pairs.left.length) {
      problems.push(`eval.folds ${preset.eval.folds} > the ${set.pairs.left.length} evaluation pairs of ${set.name}`);
    }
  }
  return problems;
}

/**
 * The selected backbones (`names`) whose input side differs from the training images' (e.g. Swin-T/S at
 * FaceX-Zoo's 224 on 112×112 data): the bench feeds images as they are, so such a cell could only fail when it starts.
 */
function inputSizeProblems(
  preset: Preset,
  names: ReadonlySet<string>,
  train: { height: number; width: number },
): string[] {
  return [...names].flatMap((name) => {
    const side = backbones.get(name).parse(backboneOptionsOf(preset, name)).inputSize;
    return side === train.height && side === train.width ? [] : [
      `backbone ${name} takes ${side}×${side} input but the training images are ${train.height}×${train.width} ` +
      `(the bench does not resize; filter it out with --backbones, set backboneOptions.${name}.inputSize, or use ` +
      `data of that size)`,
    ];
  });
}

/**
 * The t-SNE request of a preset against the run's sets and first seed: null when the preset asks for none, or when
 * it names no set and no set has identities (then `log` says so). A named set that is missing or has no identities,
 * or too few identities, is an error.
 */
export function tsneRequest(
  preset: Preset,
  data: RunData,
  seed: number,
  log: (line: string) => void,
): TsneRequest | null {
  const t = preset.tsne;
  if (t === null) return null;
  const names = data.evalSets.map((e) => e.set.name).join(", ");
  const evalSet = t.evalSet === null
    ? data.evalSets.findIndex((e) => e.set.identitiesKnown)
    : data.evalSets.findIndex((e) => e.set.name === t.evalSet);
  if (evalSet < 0 && t.evalSet === null) {
    log(`tsne: no t-SNE map: none of the evaluation sets (${names}) has identities to colour it by`);
    return null;
  }
  if (evalSet < 0) throw new Error(`tsne.evalSet: no evaluation set is named "${t.evalSet}" (sets: ${names})`);
  const { set } = data.evalSets[evalSet];
  if (!set.identitiesKnown) {
    throw new Error(`tsne.evalSet: ${set.name} (${set.kind}) has no identities to colour a t-SNE map by`);
  }
  if (t.identities > set.test.numClasses) {
    throw new Error(`tsne.identities: ${t.identities} > the ${set.test.numClasses} identities of ${set.name}`);
  }
  return { ...t, seed, evalSet };
}
