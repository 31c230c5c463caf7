/**
 * The synthetic face generator: identities (with look-alike families) and their images, rendered raw by the
 * options' generator version ({@link FaceModel}) and then aligned with the same {@link alignFace} users run, from
 * detected landmarks (true landmarks + detector noise). Everything is a pure function of (seed, split, identity,
 * image index).
 * @module
 */
import { alignFace, type Landmarks, type Point } from "../align.ts";
import { Rng } from "../../core/rng.ts";
import type { Image } from "../image/image.ts";
import type { Identity } from "./identity.ts";
import { type FaceModel, siblingGenes } from "./model.ts";
import type { Nuisance } from "./nuisance.ts";
import { SYNTHFACE_V1 } from "./v1.ts";
import { SYNTHFACE_V2 } from "./v2/model.ts";

/** Generator versions, each a {@link FaceModel}; manifests record the one that made their pixels. */
export const GENERATORS = {
  "synthface-gen-1": SYNTHFACE_V1,
  "synthface-gen-2": SYNTHFACE_V2,
} as const satisfies Record<string, FaceModel<Identity, Nuisance>>;

/** A generator version. */
export type GeneratorVersion = keyof typeof GENERATORS;

/** The version of options and specs that name none (the v1 datasets predate the field). */
export const DEFAULT_GENERATOR: GeneratorVersion = "synthface-gen-1";

/** Whether `version` names a generator of this code. */
export function isGeneratorVersion(version: string): version is GeneratorVersion {
  return Object.hasOwn(GENERATORS, version);
}

/** Knobs of the generator. */
export interface SynthOptions {
  /** Generator version (default `synthface-gen-1`). */
  generator?: GeneratorVersion;
  /** Master seed (uint32). */
  seed: number;
  /** Nuisance amplitude; 1 = the standard datasets. */
  difficulty: number;
  /** Raw (unaligned) image size in pixels. */
  rawSize: number;
  /** Aligned crop size. */
  cropSize: 112 | 224;
  /** Per-gene standard deviation between siblings of one family (look-alikes). */
  siblingSpread: number;
}

/** Defaults of the standard datasets. */
export const DEFAULT_SYNTH: SynthOptions = { seed: 0, difficulty: 1, rawSize: 144, cropSize: 112, siblingSpread: 0.06 };

/** The model of the options' generator version. */
export function modelOf(options: SynthOptions): FaceModel<Identity, Nuisance> {
  return GENERATORS[options.generator ?? DEFAULT_GENERATOR];
}

/** Family sizes drawn with these probabilities: 1, 2, 3, 4 members. */
const FAMILY_SIZES = [0.45, 0.3, 0.15, 0.1];

/** Identities of one split: genes of `count` identities grouped in families of look-alikes. */
export function planIdentities(options: SynthOptions, split: string, count: number): Identity[] {
  const model = modelOf(options);
  const rng = new Rng(options.seed, `synth/${split}/identities`);
  const identities: Identity[] = [];
  while (identities.length < count) {
    const parent = model.randomGenes(rng);
    let u = rng.float(), size = 1;
    while (size < FAMILY_SIZES.length && u >= FAMILY_SIZES[size - 1]) u -= FAMILY_SIZES[size++ - 1];
    for (let k = 0; k < size && identities.length < count; k++) {
      const genes = siblingGenes(parent, rng, options.siblingSpread);
      identities.push(model.decode(genes, markStream(options, split, identities.length)));
    }
  }
  return identities;
}

/** The own random stream of identity `identityIndex` of a split (skin marks, texture). */
export function markStream(options: SynthOptions, split: string, identityIndex: number): Rng {
  return new Rng(options.seed, `synth/${split}/marks`).fork(String(identityIndex));
}

/** One rendered sample. */
export interface SynthFace {
  /** The raw image. */
  raw: Image;
  /** True landmarks in the raw image. */
  landmarks: Landmarks;
  /** Landmarks as a detector would report them (with noise); alignment uses these. */
  detected: Landmarks;
  /** The aligned crop. */
  aligned: Image;
}

/** Changes to one image for probes: edit its sampled nuisance, or take the pixel stream of another image. */
export interface NuisanceOverride {
  /** Changes the sampled nuisance in place before rendering. */
  edit?: (nuisance: Nuisance) => void;
  /** Image index whose pixel stream (background, sensor noise) is used instead of the image's own. */
  pixelsOf?: number;
}

/** The random stream of image `index` of identity `identityIndex` of a split. */
function imageStream(options: SynthOptions, split: string, identityIndex: number, index: number): Rng {
  return new Rng(options.seed, `synth/${split}/images`).fork(`${identityIndex}/${index}`);
}

/** The sampled nuisance of image `index` of identity `identityIndex` of a split. */
export function imageNuisance(
  options: SynthOptions,
  split: string,
  identity: Identity,
  identityIndex: number,
  index: number,
): Nuisance {
  return modelOf(options).sampleNuisance(imageStream(options, split, identityIndex, index), options, identity);
}

/** Renders image `index` of identity `identityIndex` of a split (`override`: for probes only). */
export function synthesizeFace(
  options: SynthOptions,
  split: string,
  identity: Identity,
  identityIndex: number,
  index: number,
  override: NuisanceOverride = {},
): SynthFace {
  const nuisance = imageNuisance(options, split, identity, identityIndex, index);
  override.edit?.(nuisance);
  const pixels = imageStream(options, split, identityIndex, override.pixelsOf ?? index).fork("pixels");
  const raw = modelOf(options).renderRaw(identity, nuisance, options, pixels);
  const noise = nuisance.landmarkNoise;
  const detected = raw.landmarks.map(([x, y], i) =>
    [x + noise[2 * i], y + noise[2 * i + 1]] as Point
  ) as unknown as Landmarks;
  const aligned = alignFace(raw.image, detected, { size: options.cropSize });
  return { raw: raw.image, landmarks: raw.landmarks, detected, aligned };
}
