/**
 * The standard synthetic datasets, defined in code: `synthface-ci` (small, for tests and CI), `synthface-quick`
 * (the default benchmark: many test identities, short training) and `synthface-v1` (benchmarks), made by generator
 * version 1; `synthface-v2-ci` and `synthface-v2`, their counterparts from generator version 2 (3-D relief and
 * shading, identity out of colour and hair). A spec plus the generator make the pixels; {@link buildManifest}
 * renders them and records the hashes, pairs and identification split that `fixtures/data/<id>.json` commits.
 * @module
 */
import { Rng } from "../core/rng.ts";
import type { FaceSet } from "./dataset.ts";
import { sha256Hex } from "../core/sha256.ts";
import type { Manifest } from "./manifest.ts";
import { drawGalleryProbe, drawPairs } from "./pairs.ts";
import type { Progress } from "../io/progress.ts";
import { DataError } from "./errors.ts";
import {
  DEFAULT_GENERATOR,
  DEFAULT_SYNTH,
  GENERATORS,
  type GeneratorVersion,
  isGeneratorVersion,
  type SynthOptions,
} from "./synth/generate.ts";
import { renderSplit } from "./synth/split.ts";

/** The definition of a synthetic dataset. */
export interface SynthDatasetSpec {
  /** Dataset id. */
  id: string;
  /** One line for people. */
  description: string;
  /** Generator version (default `synthface-gen-1`). */
  generator?: GeneratorVersion;
  /** Master seed. */
  seed: number;
  /** Nuisance amplitude (1 = standard). */
  difficulty: number;
  /** Training identities × images. */
  train: { identities: number; imagesPerIdentity: number };
  /** Test identities (disjoint) × images. */
  test: { identities: number; imagesPerIdentity: number };
  /** Verification pairs: folds × pairs per fold (half positive). */
  pairs: { folds: number; perFold: number };
}

/** The standard synthetic datasets by id. */
export const SYNTH_DATASETS: Readonly<Record<string, SynthDatasetSpec>> = {
  "synthface-ci": {
    id: "synthface-ci",
    description: "Small procedural face set for tests and CI: 100 train ids x 12, 50 test ids x 10, 1,200 pairs",
    seed: 1,
    difficulty: 1,
    train: { identities: 100, imagesPerIdentity: 12 },
    test: { identities: 50, imagesPerIdentity: 10 },
    pairs: { folds: 10, perFold: 120 },
  },
  "synthface-quick": {
    id: "synthface-quick",
    description:
      "Quick-preset procedural face set: 300 train ids x 12, 300 test ids x 6, 3,000 pairs (many test identities " +
      "for tight intervals)",
    seed: 3,
    difficulty: 1,
    train: { identities: 300, imagesPerIdentity: 12 },
    test: { identities: 300, imagesPerIdentity: 6 },
    pairs: { folds: 10, perFold: 300 },
  },
  "synthface-v1": {
    id: "synthface-v1",
    description: "Benchmark procedural face set: 2,000 train ids x 20, 300 test ids x 10, 6,000 pairs",
    seed: 2,
    difficulty: 1,
    train: { identities: 2000, imagesPerIdentity: 20 },
    test: { identities: 300, imagesPerIdentity: 10 },
    pairs: { folds: 10, perFold: 600 },
  },
  "synthface-v2-ci": {
    id: "synthface-v2-ci",
    description:
      "Small synthface v2 set (3-D relief and shading) for tests and CI: 100 train ids x 12, 50 test ids x 10, " +
      "1,200 pairs",
    generator: "synthface-gen-2",
    seed: 11,
    difficulty: 1,
    train: { identities: 100, imagesPerIdentity: 12 },
    test: { identities: 50, imagesPerIdentity: 10 },
    pairs: { folds: 10, perFold: 120 },
  },
  "synthface-v2": {
    id: "synthface-v2",
    description:
      "Benchmark synthface v2 set (3-D relief and shading): 2,000 train ids x 20, 300 test ids x 10, 6,000 pairs",
    generator: "synthface-gen-2",
    seed: 12,
    difficulty: 1,
    train: { identities: 2000, imagesPerIdentity: 20 },
    test: { identities: 300, imagesPerIdentity: 10 },
    pairs: { folds: 10, perFold: 600 },
  },
};

/** Generator options recorded in a manifest (throws on a generator version this code does not have). */
export function synthOptionsOf(m: Manifest): SynthOptions {
  const g = m.generator;
  if (!isGeneratorVersion(g.version)) {
    throw new DataError(
      "load dataset",
      m.id,
      `made by generator ${g.version}, this code has ${Object.keys(GENERATORS).join(", ")}; run tools/data_manifest.ts`,
    );
  }
  return {
    generator: g.version,
    seed: g.seed,
    difficulty: g.difficulty,
    rawSize: g.rawSize,
    cropSize: m.image.height,
    siblingSpread: g.siblingSpread,
  };
}

/** Identity-major labels: image i belongs to identity floor(i / perIdentity). */
export function identityMajorLabels(identities: number, perIdentity: number): Int32Array {
  return Int32Array.from({ length: identities * perIdentity }, (_, i) => Math.floor(i / perIdentity));
}

/** Wraps a split blob as a {@link FaceSet}. */
export function faceSetOf(
  images: Uint8Array,
  split: { identities: number; imagesPerIdentity: number },
  size: number,
): FaceSet {
  return {
    images,
    labels: identityMajorLabels(split.identities, split.imagesPerIdentity),
    count: split.identities * split.imagesPerIdentity,
    height: size,
    width: size,
    numClasses: split.identities,
  };
}

/** Options of {@link buildManifest}. */
export interface BuildOptions {
  /** Rendering workers (default 1). */
  workers?: number;
  /** Progress per split, in identities. */
  onProgress?: (split: "train" | "test") => Progress;
}

/** Generator options of a spec (what {@link buildManifest} renders with). */
export function specOptions(spec: SynthDatasetSpec): SynthOptions & { generator: GeneratorVersion } {
  return {
    ...DEFAULT_SYNTH,
    generator: spec.generator ?? DEFAULT_GENERATOR,
    seed: spec.seed,
    difficulty: spec.difficulty,
  };
}

/** Renders a spec's splits and returns its manifest with the pixels. */
export async function buildManifest(
  spec: SynthDatasetSpec,
  build: BuildOptions = {},
): Promise<{ manifest: Manifest; train: Uint8Array; test: Uint8Array }> {
  const options = specOptions(spec);
  const render = (split: "train" | "test") =>
    renderSplit({ options, split, ...spec[split] }, build.workers ?? 1, build.onProgress?.(split));
  const train = await render("train");
  const test = await render("test");
  const testSet = faceSetOf(test, spec.test, options.cropSize);
  const pairs = drawPairs(
    testSet.labels,
    testSet.numClasses,
    spec.pairs.folds,
    spec.pairs.perFold,
    new Rng(spec.seed, "synth/test/pairs"),
  );
  const { gallery } = drawGalleryProbe(testSet.labels, testSet.numClasses, new Rng(spec.seed, "synth/test/gallery"));
  const split = async (s: "train" | "test", bytes: Uint8Array) => ({
    ...spec[s],
    images: spec[s].identities * spec[s].imagesPerIdentity,
    sha256: await sha256Hex(bytes),
  });
  const manifest: Manifest = {
    format: "facebench-dataset/1",
    id: spec.id,
    description: spec.description,
    generator: {
      name: "synthface",
      version: options.generator,
      seed: spec.seed,
      difficulty: spec.difficulty,
      rawSize: options.rawSize,
      siblingSpread: options.siblingSpread,
    },
    image: { height: options.cropSize, width: options.cropSize, channels: 3, layout: "NHWC uint8 RGB" },
    labels: "identity-major: label = floor(index / imagesPerIdentity)",
    train: await split("train", train),
    test: await split("test", test),
    pairs: {
      folds: spec.pairs.folds,
      perFold: spec.pairs.perFold,
      order: "per fold: positives, then negatives",
      list: Array.from(pairs.left, (a, i) => [a, pairs.right[i], pairs.same[i] as 0 | 1] as [number, number, 0 | 1]),
    },
    identification: {
      rule: "gallery: one image per test identity; probe: every other test image",
      gallery: Array.from(gallery),
    },
  };
  return { manifest, train, test };
}
