/**
 * Generator version 2 (`synthface-gen-2`) as a {@link FaceModel}: identity in 3-D face shape and shading,
 * proportions and skin texture; hair, beard, iris, colour and camera as per-image nuisance.
 * @module
 */
import type { FaceModel } from "../model.ts";
import { decodeIdentityV2, GENE_KINDS_V2, GENE_NAMES_V2, type IdentityV2, randomGenesV2 } from "./identity.ts";
import { type NuisanceV2, sampleNuisanceV2 } from "./nuisance.ts";
import { renderRawFaceV2 } from "./render.ts";

/** Nuisance groups of the v2 nuisance, by the {@link NuisanceV2} fields each one covers. */
export const NUISANCE_GROUPS_V2: Readonly<Record<string, readonly (keyof NuisanceV2)[]>> = {
  "pose (yaw, pitch, roll)": ["yaw", "pitch", "roll"],
  "placement (scale, centre)": ["scale", "cx", "cy"],
  "expression (smile, mouth, blink, brows, gaze)": ["smile", "mouthOpen", "eyeOpen", "browRaise", "gazeX", "gazeY"],
  "lighting (direction, ambient, colour, shadow, sheen)": ["light", "ambient", "lightRgb", "shadow", "specular"],
  "styling (hair, beard, iris)": ["style"],
  "camera (grey, saturation, cast, exposure)": ["grey", "saturation", "cast", "exposure"],
  "frame and blocking": ["frame", "blocking"],
  "clothes colour": ["clothes"],
  "occluders (glasses, hand, mask, cap)": ["occluders"],
  "blur": ["blur"],
  "noise level": ["noise"],
  "landmark noise (alignment jitter)": ["landmarkNoise"],
};

/** The v2 model. */
export const SYNTHFACE_V2: FaceModel<IdentityV2, NuisanceV2> = {
  version: "synthface-gen-2",
  geneNames: GENE_NAMES_V2,
  geneKinds: GENE_KINDS_V2,
  nuisanceGroups: NUISANCE_GROUPS_V2,
  randomGenes: randomGenesV2,
  decode: decodeIdentityV2,
  sampleNuisance: sampleNuisanceV2,
  renderRaw: renderRawFaceV2,
};
