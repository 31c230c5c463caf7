/**
 * Identities of the synthetic faces: a vector of genes in [0, 1] (shape and appearance), decoded into physical
 * parameters in face units (1 = inter-ocular distance of an average face; origin between the eyes, y down).
 * Look-alikes are siblings: a parent's genes plus small Gaussian perturbations.
 * @module
 */
import type { Rng } from "../../core/rng.ts";
import type { Rgb } from "./canvas.ts";
import { uniformGenes } from "./model.ts";
import { HAIR, IRIS, mix, pick, scaled, skinColour } from "./palette.ts";

/** Gene names with the physical range each maps to (linearly); categorical genes use [0, 1]. */
const GENES = {
  faceWidth: [0.92, 1.12],
  craniumHeight: [1.2, 1.45],
  chinY: [1.5, 1.78],
  jawWidth: [0.6, 0.88],
  cheekWidth: [0.84, 1.0],
  eyeSpacing: [0.44, 0.56],
  eyeWidth: [0.15, 0.22],
  eyeOpen: [0.05, 0.095],
  eyeTilt: [-0.18, 0.18],
  eyeBend: [0.3, 1.6],
  irisSize: [0.058, 0.085],
  irisColour: [0, 1],
  browHeight: [-0.2, -0.36],
  browThickness: [0.022, 0.075],
  browLength: [0.16, 0.28],
  browArch: [0.2, 2.2],
  browTilt: [-0.25, 0.25],
  browInset: [-0.04, 0.07],
  noseLength: [0.46, 0.68],
  noseWidth: [0.1, 0.2],
  nostrilSize: [0.7, 1.35],
  mouthY: [0.98, 1.22],
  mouthWidth: [0.3, 0.46],
  upperLip: [0.022, 0.06],
  lowerLip: [0.03, 0.08],
  lipTone: [0, 1],
  skinTone: [0, 1],
  skinWarmth: [0, 1],
  rosiness: [0, 1],
  earSize: [0.8, 1.25],
  earY: [-0.05, 0.2],
  hairStyle: [0, 1],
  hairColour: [0, 1],
  hairShade: [0.8, 1.2],
  hairline: [-0.68, -1.05],
  hairVolume: [0.05, 0.28],
  partSide: [-1, 1],
  masculinity: [0, 1],
  beard: [0, 1],
  moles: [0, 1],
  freckles: [0, 1],
} as const satisfies Record<string, readonly [number, number]>;

/** Names of the genes, in vector order. */
export type GeneName = keyof typeof GENES;

/** Gene names in vector order. */
export const GENE_NAMES = Object.keys(GENES) as GeneName[];

/** Hair styles. */
export type HairStyle = "bald" | "buzz" | "short" | "sidePart" | "bangs" | "long";
/** Hair styles, in gene order. */
export const HAIR_STYLES: readonly HairStyle[] = ["bald", "buzz", "short", "sidePart", "bangs", "long"];

/** Facial hair. */
export type Beard = "none" | "stubble" | "moustache" | "goatee" | "full";
/** Facial hair kinds, in gene order. */
export const BEARDS: readonly Beard[] = ["none", "stubble", "moustache", "goatee", "full"];

/** A mark on the skin at a face-unit position. */
export interface Mark {
  /** Position in face units. */
  x: number;
  /** Position in face units. */
  y: number;
  /** Radius in face units. */
  r: number;
  /** Colour. */
  colour: Rgb;
}

/** Decoded identity: physical parameters (face units) and colours. */
export type Identity = { [K in Exclude<GeneName, "hairStyle" | "beard" | "hairColour" | "irisColour">]: number } & {
  /** Hair style. */
  hairStyle: HairStyle;
  /** Facial hair. */
  beard: Beard;
  /** Hair colour (also brows, beard). */
  hairRgb: Rgb;
  /** Iris colour. */
  irisRgb: Rgb;
  /** Skin colour. */
  skinRgb: Rgb;
  /** Lip colour. */
  lipRgb: Rgb;
  /** Moles and freckles. */
  marks: Mark[];
};

/** Fresh random genes. */
export function randomGenes(rng: Rng): Float64Array {
  return uniformGenes(rng, GENE_NAMES.length);
}

/** Skin marks drawn from the identity's own stream (so even close siblings differ in them). */
export function sampleMarks(rng: Rng, moles: number, freckles: number, skin: Rgb): Mark[] {
  const marks: Mark[] = [];
  const moleCount = Math.floor(moles * moles * 4);
  for (let i = 0; i < moleCount; i++) {
    const side = rng.float() < 0.5 ? -1 : 1;
    marks.push({
      x: side * rng.uniform(0.15, 0.8),
      y: rng.uniform(-0.7, 1.4),
      r: rng.uniform(0.014, 0.035),
      colour: scaled(skin, rng.uniform(0.35, 0.6)),
    });
  }
  const freckleCount = freckles > 0.8 ? Math.floor((freckles - 0.8) * 200) : 0;
  for (let i = 0; i < freckleCount; i++) {
    marks.push({
      x: rng.uniform(-0.75, 0.75),
      y: rng.uniform(0.15, 0.75),
      r: rng.uniform(0.008, 0.018),
      colour: mix(skin, [0.55, 0.33, 0.2], 0.5),
    });
  }
  return marks;
}

/** Decodes genes into an identity; `markRng` places moles and freckles. */
export function decodeIdentity(genes: Float64Array, markRng: Rng): Identity {
  const value = {} as Record<GeneName, number>;
  GENE_NAMES.forEach((name, i) => {
    const [lo, hi] = GENES[name];
    value[name] = lo + (hi - lo) * genes[i];
  });
  const skinRgb = skinColour(value.skinTone, value.skinWarmth);
  const beardGene = value.masculinity > 0.55 ? value.beard : 0;
  const lipBase: Rgb = mix([0.72, 0.36, 0.36], [0.55, 0.3, 0.32], value.lipTone);
  const { hairStyle: _h, beard: _b, hairColour: _c, irisColour: _i, ...rest } = value;
  return {
    ...rest,
    hairStyle: pick(
      HAIR_STYLES,
      value.masculinity > 0.6 && value.hairStyle > 0.8 ? value.hairStyle - 0.5 : value.hairStyle,
    ),
    beard: pick(BEARDS, beardGene),
    hairRgb: scaled(pick(HAIR, value.hairColour), value.hairShade),
    irisRgb: pick(IRIS, value.irisColour),
    skinRgb,
    lipRgb: mix(skinRgb, lipBase, 0.55),
    marks: sampleMarks(markRng, value.moles, value.freckles, skinRgb),
  };
}
