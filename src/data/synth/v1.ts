/**
 * Generator version 1 (`synthface-gen-1`) as a {@link FaceModel}: flat signed-distance drawing with one ellipsoid
 * shading pass (`render.ts`), genes of `identity.ts`, nuisance of `nuisance.ts`. Its pixels are frozen: the
 * committed v1 manifests verify against them.
 * @module
 */
import { decodeIdentity, GENE_NAMES, type GeneName, type Identity, randomGenes } from "./identity.ts";
import type { FaceModel, GeneKind } from "./model.ts";
import { type Nuisance, sampleNuisance } from "./nuisance.ts";
import { renderRawFace } from "./render.ts";

/** What kind of cue each v1 gene is. */
export const GENE_KINDS_V1: Readonly<Record<GeneName, GeneKind>> = {
  faceWidth: "shape",
  craniumHeight: "shape",
  chinY: "shape",
  jawWidth: "shape",
  cheekWidth: "shape",
  eyeSpacing: "shape",
  eyeWidth: "shape",
  eyeOpen: "shape",
  eyeTilt: "shape",
  eyeBend: "shape",
  irisSize: "shape",
  irisColour: "colour",
  browHeight: "shape",
  browThickness: "shape",
  browLength: "shape",
  browArch: "shape",
  browTilt: "shape",
  browInset: "shape",
  noseLength: "shape",
  noseWidth: "shape",
  nostrilSize: "shape",
  mouthY: "shape",
  mouthWidth: "shape",
  upperLip: "shape",
  lowerLip: "shape",
  lipTone: "colour",
  skinTone: "colour",
  skinWarmth: "colour",
  rosiness: "colour",
  earSize: "shape",
  earY: "shape",
  hairStyle: "hair",
  hairColour: "hair",
  hairShade: "hair",
  hairline: "hair",
  hairVolume: "hair",
  partSide: "hair",
  masculinity: "mixed",
  beard: "marks/beard",
  moles: "marks/beard",
  freckles: "marks/beard",
};

/** Nuisance groups of the v1 nuisance, by the {@link Nuisance} fields each one covers. */
export const NUISANCE_GROUPS_V1: Readonly<Record<string, readonly (keyof Nuisance)[]>> = {
  "pose (yaw, pitch, roll)": ["yaw", "pitch", "roll"],
  "placement (scale, centre)": ["scale", "cx", "cy"],
  "expression (smile, mouth, blink, brows, gaze)": ["smile", "mouthOpen", "eyeOpen", "browRaise", "gazeX", "gazeY"],
  "lighting (direction, ambient, colour)": ["light", "ambient", "lightRgb"],
  "clothes colour": ["clothes"],
  "hair gain": ["hairGain"],
  "occluders (glasses, hand, mask, cap)": ["occluders"],
  "blur": ["blur"],
  "noise level": ["noise"],
  "landmark noise (alignment jitter)": ["landmarkNoise"],
};

/** The v1 model. */
export const SYNTHFACE_V1: FaceModel<Identity, Nuisance> = {
  version: "synthface-gen-1",
  geneNames: GENE_NAMES,
  geneKinds: GENE_KINDS_V1,
  nuisanceGroups: NUISANCE_GROUPS_V1,
  randomGenes,
  decode: decodeIdentity,
  sampleNuisance: (rng, o, id) => sampleNuisance(rng, o.rawSize, o.difficulty, id.skinRgb),
  renderRaw: (id, n, o, rng) => renderRawFace(id, n, o.rawSize, rng, o.difficulty),
};
