/**
 * The synthetic face generator: identities (with look-alike families) and their images, rendered raw and then
 * aligned with the same {@link alignFace} users run, from detected landmarks (true landmarks + detector noise).
 * Everything is a pure function of (seed, split, identity, image index).
 * @module
 */
import { alignFace, type Landmarks, type Point } from "../align.ts";
import { Rng } from "../../core/rng.ts";
import type { Image } from "../image/image.ts";
import { decodeIdentity, type Identity, randomGenes, siblingGenes } from "./identity.ts";
import { sampleNuisance } from "./nuisance.ts";
import { renderRawFace } from "./render.ts";

/** Version of the generator; any change to the pixels it makes must bump it (manifests record it). */
export const GENERATOR_VERSION = "synthface-gen-1";

/** Knobs of the generator. */
export interface SynthOptions {
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

/** Family sizes drawn with these probabilities: 1, 2, 3, 4 members. */
const FAMILY_SIZES = [0.45, 0.3, 0.15, 0.1];

/** Identities of one split: genes of `count` identities grouped in families of look-alikes. */
export function planIdentities(options: SynthOptions, split: string, count: number): Identity[] {
  const rng = new Rng(options.seed, `synth/${split}/identities`);
  const identities: Identity[] = [];
  while (identities.length < count) {
    const parent = randomGenes(rng);
    let u = rng.float(), size = 1;
    while (size < FAMILY_SIZES.length && u >= FAMILY_SIZES[size - 1]) u -= FAMILY_SIZES[size++ - 1];
    for (let k = 0; k < size && identities.length < count; k++) {
      const genes = siblingGenes(parent, rng, options.siblingSpread);
      identities.push(
        decodeIdentity(genes, new Rng(options.seed, `synth/${split}/marks`).fork(String(identities.length))),
      );
    }
  }
  return identities;
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

/** Renders image `index` of identity `identityIndex` of a split. */
export function synthesizeFace(
  options: SynthOptions,
  split: string,
  identity: Identity,
  identityIndex: number,
  index: number,
): SynthFace {
  const rng = new Rng(options.seed, `synth/${split}/images`).fork(`${identityIndex}/${index}`);
  const nuisance = sampleNuisance(rng, options.rawSize, options.difficulty, identity.skinRgb);
  const raw = renderRawFace(identity, nuisance, options.rawSize, rng.fork("pixels"), options.difficulty);
  const noise = nuisance.landmarkNoise;
  const detected = raw.landmarks.map(([x, y], i) =>
    [x + noise[2 * i], y + noise[2 * i + 1]] as Point
  ) as unknown as Landmarks;
  const aligned = alignFace(raw.image, detected, { size: options.cropSize });
  return { raw: raw.image, landmarks: raw.landmarks, detected, aligned };
}
