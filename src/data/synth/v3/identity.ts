/**
 * Identities of synthface v3: the v2 identity plus detail bound to the person where real faces carry it and v2 did
 * not — brows in the identity's own hair colour with their own density (v2 coloured them with the image's, often dyed,
 * hair), the weight of the lash line, an upper-eyelid crease, and skin lines in the face centre ({@link SkinLines}).
 * The first genes are v2's, in v2's order; the detail genes follow.
 * @module
 */
import type { Rng } from "../../../core/rng.ts";
import type { GeneKind } from "../model.ts";
import { uniformGenes } from "../model.ts";
import { mix, scaled } from "../palette.ts";
import { skinLinesOf } from "../skin_lines.ts";
import { decodeIdentityV2, GENE_KINDS_V2, GENE_NAMES_V2, type IdentityV2 } from "../v2/identity.ts";

/** Detail gene → [low, high, kind]: the physical range each gene maps to linearly. */
const DETAIL_GENES = {
  browDensity: [0.5, 1.0, "detail"],
  browShade: [0.55, 1.1, "detail"],
  lashWeight: [0.7, 1.8, "detail"],
  lidCrease: [0.0, 1.0, "detail"],
  creaseHeight: [0.03, 0.09, "detail"],
  nasolabialLine: [0.0, 0.3, "detail"],
  underEyeLine: [0.0, 0.22, "detail"],
  foreheadLines: [0.0, 0.22, "detail"],
  frownLines: [0.0, 0.25, "detail"],
} as const satisfies Record<string, readonly [number, number, GeneKind]>;

type DetailGene = keyof typeof DETAIL_GENES;
const DETAIL_NAMES = Object.keys(DETAIL_GENES) as DetailGene[];

/** v3 gene names in vector order: v2's, then the detail genes. */
export const GENE_NAMES_V3: readonly string[] = [...GENE_NAMES_V2, ...DETAIL_NAMES];

/** Kind of each v3 gene. */
export const GENE_KINDS_V3: Readonly<Record<string, GeneKind>> = {
  ...GENE_KINDS_V2,
  ...Object.fromEntries(DETAIL_NAMES.map((name) => [name, DETAIL_GENES[name][2]])),
};

/** Fresh random v3 genes. */
export function randomGenesV3(rng: Rng): Float64Array {
  return uniformGenes(rng, GENE_NAMES_V3.length);
}

/** Decodes v3 genes: the v2 identity of the first genes, with the detail genes' brows, eyes and skin lines. */
export function decodeIdentityV3(genes: Float64Array, markRng: Rng): IdentityV2 {
  const id = decodeIdentityV2(genes.subarray(0, GENE_NAMES_V2.length), markRng);
  const d = {} as Record<DetailGene, number>;
  DETAIL_NAMES.forEach((name, i) => {
    const [lo, hi] = DETAIL_GENES[name];
    d[name] = lo + (hi - lo) * genes[GENE_NAMES_V2.length + i];
  });
  return {
    ...id,
    browRgb: mix(scaled(id.hairRgb, d.browShade), scaled(id.skinRgb, 0.4), 0.25),
    browDensity: d.browDensity,
    lashWeight: d.lashWeight,
    lidCrease: d.lidCrease,
    creaseHeight: d.creaseHeight,
    skinLines: skinLinesOf({ ...id, ...d }),
  };
}
