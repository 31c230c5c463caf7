/**
 * The seam between the synthetic-face pipeline and one generator version: a {@link FaceModel} turns genes into an
 * identity, samples an image's nuisance and renders the raw image. Planning identities (look-alike families),
 * detector noise and alignment are shared by every version and live in `generate.ts`.
 * @module
 */
import type { Landmarks } from "../align.ts";
import type { Rng } from "../../core/rng.ts";
import type { Image } from "../image/image.ts";

/** What kind of cue a gene is (the reliance tool's summary groups genes by it). */
export type GeneKind = "shape" | "relief" | "texture" | "colour" | "hair" | "marks/beard" | "mixed";

/** A raw image and its true landmarks (before detector noise). */
export interface RawFace {
  /** RGB raw image. */
  image: Image;
  /** Eye centres, nose tip and mouth corners in raw pixels, template order. */
  landmarks: Landmarks;
}

/** The generator settings a model sees when it samples and renders. */
export interface ModelOptions {
  /** Nuisance amplitude; 1 = the standard datasets. */
  difficulty: number;
  /** Raw (unaligned) image size in pixels. */
  rawSize: number;
}

/** The per-image fields every model's nuisance carries. */
export interface DetectorNoise {
  /** Landmark detector noise (pixels), 10 numbers: dx, dy per point. */
  landmarkNoise: number[];
}

/** One generator version: genes → identity, per-image nuisance and raw rendering. */
export interface FaceModel<I, N extends DetectorNoise> {
  /** Version recorded in manifests; any change to the pixels a model makes needs a new version. */
  readonly version: string;
  /** Gene names in vector order. */
  readonly geneNames: readonly string[];
  /** Kind of each gene. */
  readonly geneKinds: Readonly<Record<string, GeneKind>>;
  /** Named groups of nuisance fields (for probes that swap one group from another image). */
  readonly nuisanceGroups: Readonly<Record<string, readonly string[]>>;
  /** Fresh random genes in [0, 1]. */
  randomGenes(rng: Rng): Float64Array;
  /** Decodes genes; `markRng` is the identity's own stream (skin marks, texture). */
  decode(genes: Float64Array, markRng: Rng): I;
  /** Samples the nuisance of one image. */
  sampleNuisance(rng: Rng, options: ModelOptions, identity: I): N;
  /** Renders the raw image; `rng` drives the pixel-level randomness (background, sensor noise). */
  renderRaw(identity: I, nuisance: N, options: ModelOptions, rng: Rng): RawFace;
}

/** A look-alike: `parent` plus N(0, spread) per gene, clamped to [0, 1]. */
export function siblingGenes(parent: Float64Array, rng: Rng, spread: number): Float64Array {
  return parent.map((g) => Math.min(1, Math.max(0, g + rng.normal(0, spread))));
}

/** Fresh genes: `count` uniform draws in [0, 1]. */
export function uniformGenes(rng: Rng, count: number): Float64Array {
  const genes = new Float64Array(count);
  for (let i = 0; i < count; i++) genes[i] = rng.float();
  return genes;
}
