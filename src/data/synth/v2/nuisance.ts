/**
 * Per-image nuisance of synthface v2: the v1 nuisance (pose, placement, expression, occluders, blur, noise,
 * detector noise) with 1.2× the yaw, directional light with shading and cast shadows, muted clothes, no hand, mask
 * or cap (glasses stay), and what v1 kept per identity but real photos vary: hair style and colour, beard and iris
 * colour (the identity's habit, often changed). Adds the camera: greyscale (85%) or desaturated colour with a
 * cast, exposure, specular sheen, JPEG-like blocking and a raw frame narrower than the canvas (black wedges after
 * alignment, as on real aligned crops).
 * @module
 */
import type { Rng } from "../../../core/rng.ts";
import type { Rgb } from "../canvas.ts";
import { type Beard, BEARDS, HAIR_STYLES, type HairStyle } from "../identity.ts";
import type { ModelOptions } from "../model.ts";
import { type Nuisance, sampleNuisance } from "../nuisance.ts";
import { HAIR, IRIS, mix, pick, scaled } from "../palette.ts";
import type { IdentityV2 } from "./identity.ts";

/** Hair, beard and iris of one image. */
export interface Styling {
  /** Hair style. */
  hairStyle: HairStyle;
  /** Hair colour (also brows and beard). */
  hairRgb: Rgb;
  /** Hairline height (face units). */
  hairline: number;
  /** Hair volume (face units). */
  hairVolume: number;
  /** Facial hair. */
  beard: Beard;
  /** Iris colour. */
  irisRgb: Rgb;
}

/** The v2 nuisance of one image. */
export interface NuisanceV2 extends Nuisance {
  /** Hair, beard and iris of this image. */
  style: Styling;
  /** Strength of the specular sheen. */
  specular: number;
  /** Strength of cast shadows (0 none, 1 full). */
  shadow: number;
  /** Whether the image is greyscale. */
  grey: boolean;
  /** Saturation factor of a colour image (1 = as rendered). */
  saturation: number;
  /** Per-channel colour cast of the camera. */
  cast: Rgb;
  /** Target mean grey level (0–1) of the lit skin. */
  exposure: number;
  /** Blend of each 8×8 block towards its mean (0 = none). */
  blocking: number;
  /** Half width of the raw frame around the face centre in face units (null: the whole canvas). */
  frame: number | null;
}

/** Share of greyscale images. */
export const GREY_SHARE = 0.85;

/**
 * Hair, beard and iris of one image: the identity's hair style 40% of the time (else any style, never bald for a
 * haired identity), its beard 60%, its hair colour jittered (30% dyed: any colour), a random iris.
 */
function sampleStyling(rng: Rng, id: IdentityV2): Styling {
  const keepStyle = rng.float() < 0.4, keepBeard = rng.float() < 0.6, dyed = rng.float() < 0.3;
  const style = keepStyle ? id.hairStyle : pick(HAIR_STYLES, rng.float());
  const hair = dyed
    ? pick(HAIR, rng.float())
    : pick(HAIR, Math.min(0.999, Math.max(0, id.hairGene + rng.normal(0, 0.2))));
  return {
    hairStyle: style === "bald" && id.hairStyle !== "bald" ? "short" : style,
    hairRgb: scaled(hair, id.hairShade * rng.uniform(0.75, 1.25)),
    hairline: id.hairline + rng.normal(0, 0.06),
    hairVolume: Math.max(0.03, id.hairVolume + rng.normal(0, 0.05)),
    beard: id.masculinity > 0.55 ? (keepBeard ? id.beard : pick(BEARDS, rng.float())) : "none",
    irisRgb: pick(IRIS, rng.float()),
  };
}

/** A random colour pulled towards its grey level by `1 − saturation`. */
export function mutedColour(rng: Rng, lo: number, hi: number, saturation: number): Rgb {
  const level = rng.uniform(lo, hi);
  return mix([level, level, level], [rng.uniform(lo, hi), rng.uniform(lo, hi), rng.uniform(lo, hi)], saturation);
}

/** Samples the v2 nuisance of one image. */
export function sampleNuisanceV2(rng: Rng, options: ModelOptions, id: IdentityV2): NuisanceV2 {
  const d = options.difficulty;
  const base = sampleNuisance(rng, options.rawSize, d, id.skinRgb);
  const lx = rng.uniform(-0.9, 0.9) * Math.min(1, d), ly = rng.uniform(-0.8, 0.4) * Math.min(1, d);
  const lz = rng.uniform(1.0, 2.2);
  const norm = Math.hypot(lx, ly, lz);
  const cast: Rgb = [rng.uniform(0.85, 1.15), rng.uniform(0.9, 1.1), rng.uniform(0.85, 1.15)];
  const grey = rng.float() < GREY_SHARE;
  return {
    ...base,
    yaw: base.yaw * 1.2,
    pitch: base.pitch * 1.2,
    light: [lx / norm, ly / norm, lz / norm],
    ambient: rng.uniform(0.35, 0.65),
    occluders: { ...base.occluders, hand: null, mask: null, cap: null },
    clothes: mix(scaled([1, 1, 1], (base.clothes[0] + base.clothes[1] + base.clothes[2]) / 3), base.clothes, 0.3),
    style: sampleStyling(rng, id),
    specular: rng.uniform(0, 0.18),
    shadow: rng.uniform(0.4, 0.9),
    grey,
    saturation: rng.uniform(0.25, 0.9),
    cast,
    exposure: rng.uniform(0.42, 0.68),
    blocking: rng.float() < 0.3 ? rng.uniform(0.05, 0.25) : 0,
    frame: rng.float() < 0.45 ? rng.uniform(1.25, 2.1) : null,
  };
}
