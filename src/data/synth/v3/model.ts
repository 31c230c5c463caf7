/**
 * Generator version 3 (`synthface-gen-3`) as a {@link FaceModel}: version 2's faces, nuisance and rendering, with
 * identity-bound brows, eyelids and skin lines ({@link decodeIdentityV3}).
 * @module
 */
import type { FaceModel } from "../model.ts";
import type { IdentityV2 } from "../v2/identity.ts";
import { NUISANCE_GROUPS_V2 } from "../v2/model.ts";
import { type NuisanceV2, sampleNuisanceV2 } from "../v2/nuisance.ts";
import { renderRawFaceV2 } from "../v2/render.ts";
import { decodeIdentityV3, GENE_KINDS_V3, GENE_NAMES_V3, randomGenesV3 } from "./identity.ts";

/** The v3 model. */
export const SYNTHFACE_V3: FaceModel<IdentityV2, NuisanceV2> = {
  version: "synthface-gen-3",
  geneNames: GENE_NAMES_V3,
  geneKinds: GENE_KINDS_V3,
  nuisanceGroups: NUISANCE_GROUPS_V2,
  randomGenes: randomGenesV3,
  decode: decodeIdentityV3,
  sampleNuisance: sampleNuisanceV2,
  renderRaw: renderRawFaceV2,
};
