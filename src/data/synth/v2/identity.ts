/**
 * Identities of synthface v2: genes in [0, 1] decoded into the v1 drawing parameters (with real-face proportions:
 * eye–mouth distance and mouth width scale with the eye distance) plus a 3-D relief ({@link Relief}) and a skin
 * texture fixed in face coordinates. Skin tone is compressed; hair, beard and iris are only an identity's habit,
 * varied per image by the nuisance.
 * @module
 */
import type { Rng } from "../../../core/rng.ts";
import { BEARDS, HAIR_STYLES, type Identity, sampleMarks } from "../identity.ts";
import type { GeneKind } from "../model.ts";
import { uniformGenes } from "../model.ts";
import { HAIR, IRIS, mix, pick, scaled, skinColour } from "../palette.ts";
import { type Relief, reliefOf } from "./relief.ts";

/** Gene → [low, high, kind]: the physical range each gene maps to linearly. */
const GENES = {
  faceWidth: [1.08, 1.32, "shape"],
  craniumHeight: [1.2, 1.45, "shape"],
  chinY: [1.5, 1.75, "shape"],
  jawWidth: [0.66, 0.92, "shape"],
  cheekWidth: [0.84, 1.0, "shape"],
  eyeSpacing: [0.46, 0.54, "shape"],
  eyeWidth: [0.2, 0.26, "shape"],
  eyeOpen: [0.055, 0.09, "shape"],
  eyeTilt: [-0.14, 0.14, "shape"],
  eyeBend: [0.3, 1.6, "shape"],
  irisSize: [0.075, 0.095, "shape"],
  browHeight: [-0.22, -0.36, "shape"],
  browThickness: [0.04, 0.09, "shape"],
  browLength: [0.26, 0.38, "shape"],
  browArch: [0.2, 2.2, "shape"],
  browTilt: [-0.2, 0.2, "shape"],
  browInset: [-0.03, 0.06, "shape"],
  noseRatio: [0.5, 0.7, "shape"],
  noseWidth: [0.15, 0.25, "shape"],
  nostrilSize: [0.7, 1.3, "shape"],
  mouthRatio: [0.92, 1.14, "shape"],
  mouthWidthRatio: [0.72, 0.92, "shape"],
  upperLip: [0.02, 0.05, "shape"],
  lowerLip: [0.03, 0.07, "shape"],
  earSize: [0.85, 1.2, "shape"],
  earY: [-0.05, 0.2, "shape"],
  faceDepth: [0.8, 1.2, "relief"],
  noseBridge: [0.05, 0.4, "relief"],
  noseTip: [0.2, 0.7, "relief"],
  noseTipSize: [0.06, 0.12, "relief"],
  noseHump: [-0.03, 0.1, "relief"],
  alae: [0.02, 0.16, "relief"],
  browRidge: [0.0, 0.3, "relief"],
  socketDepth: [0.06, 0.4, "relief"],
  socketSize: [0.85, 1.25, "relief"],
  cheekbone: [0.0, 0.25, "relief"],
  cheekboneX: [0.5, 0.75, "relief"],
  cheekboneY: [0.3, 0.6, "relief"],
  cheekHollow: [0.0, 0.22, "relief"],
  nasolabial: [0.0, 0.12, "relief"],
  lipFullness: [0.02, 0.14, "relief"],
  sulcus: [0.0, 0.08, "relief"],
  chin: [0.02, 0.35, "relief"],
  chinSize: [0.8, 1.3, "relief"],
  forehead: [-0.15, 0.2, "relief"],
  temples: [0.0, 0.2, "relief"],
  jaw: [0.0, 0.2, "relief"],
  roughness: [0.3, 1.0, "texture"],
  lidShadow: [0.0, 0.35, "texture"],
  skinTone: [0.1, 0.6, "colour"],
  skinWarmth: [0.2, 0.8, "colour"],
  rosiness: [0, 0.5, "colour"],
  lipTone: [0, 1, "colour"],
  irisColour: [0, 1, "colour"],
  hairStyle: [0, 1, "hair"],
  hairColour: [0, 1, "hair"],
  hairShade: [0.8, 1.2, "hair"],
  hairline: [-0.68, -1.05, "hair"],
  hairVolume: [0.05, 0.28, "hair"],
  partSide: [-1, 1, "hair"],
  masculinity: [0, 1, "mixed"],
  beard: [0, 1, "marks/beard"],
  moles: [0, 1, "marks/beard"],
} as const satisfies Record<string, readonly [number, number, GeneKind]>;

/** A v2 gene name. */
export type GeneNameV2 = keyof typeof GENES;

/** v2 gene names in vector order. */
export const GENE_NAMES_V2 = Object.keys(GENES) as GeneNameV2[];

/** Kind of each v2 gene. */
export const GENE_KINDS_V2: Readonly<Record<GeneNameV2, GeneKind>> = Object.fromEntries(
  GENE_NAMES_V2.map((name) => [name, GENES[name][2]]),
) as Record<GeneNameV2, GeneKind>;

/** A v2 identity: the v1 drawing parameters plus relief and texture. */
export interface IdentityV2 extends Identity {
  /** The 3-D face. */
  relief: Relief;
  /** Seed of the skin texture noise (fixed in face coordinates). */
  textureSeed: number;
  /** Skin texture amplitude. */
  roughness: number;
  /** Darkening of the eye region (lids, sockets) in [0, 1]. */
  lidShadow: number;
  /** Hair colour gene (the per-image hair colour is drawn around it). */
  hairGene: number;
}

/** Fresh random v2 genes. */
export function randomGenesV2(rng: Rng): Float64Array {
  return uniformGenes(rng, GENE_NAMES_V2.length);
}

/** Decodes v2 genes; `markRng` places moles and seeds the skin texture. */
export function decodeIdentityV2(genes: Float64Array, markRng: Rng): IdentityV2 {
  const v = {} as Record<GeneNameV2, number>;
  GENE_NAMES_V2.forEach((name, i) => {
    const [lo, hi] = GENES[name];
    v[name] = lo + (hi - lo) * genes[i];
  });
  const eyeDistance = 2 * v.eyeSpacing;
  const noseLength = v.noseRatio * eyeDistance, mouthY = v.mouthRatio * eyeDistance;
  const mouthWidth = v.mouthWidthRatio * v.eyeSpacing;
  const skinRgb = skinColour(v.skinTone, v.skinWarmth);
  const masculine = v.masculinity > 0.55;
  return {
    ...v,
    noseLength,
    mouthY,
    mouthWidth,
    freckles: 0,
    hairStyle: pick(masculine && v.hairStyle > 0.8 ? HAIR_STYLES.slice(0, 5) : HAIR_STYLES, v.hairStyle),
    beard: masculine ? pick(BEARDS, v.beard) : "none",
    hairRgb: scaled(pick(HAIR, v.hairColour), v.hairShade),
    irisRgb: pick(IRIS, v.irisColour),
    skinRgb,
    lipRgb: mix(skinRgb, mix([0.7, 0.38, 0.38], [0.55, 0.32, 0.33], v.lipTone), 0.45),
    marks: sampleMarks(markRng, v.moles, 0, skinRgb),
    relief: reliefOf({ ...v, noseLength, mouthY, mouthWidth }),
    textureSeed: markRng.uint32(),
    roughness: v.roughness,
    lidShadow: v.lidShadow,
    hairGene: v.hairColour,
  };
}
