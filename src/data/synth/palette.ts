/**
 * Colour palettes of the synthetic faces: skin tones, hair and iris colours.
 * @module
 */
import type { Rgb } from "./canvas.ts";

/** Skin tones from light to dark; a tone in [0, 1] interpolates between neighbours. */
const SKIN: Rgb[] = [
  [0.98, 0.84, 0.74],
  [0.93, 0.74, 0.6],
  [0.8, 0.58, 0.43],
  [0.6, 0.4, 0.28],
  [0.38, 0.24, 0.16],
];

/** Hair colours: black, dark brown, brown, auburn, blonde, grey. */
export const HAIR: readonly Rgb[] = [
  [0.06, 0.05, 0.05],
  [0.2, 0.13, 0.08],
  [0.38, 0.25, 0.15],
  [0.5, 0.22, 0.1],
  [0.8, 0.66, 0.42],
  [0.62, 0.6, 0.58],
];

/** Iris colours: brown, dark brown, hazel, green, blue, grey. */
export const IRIS: readonly Rgb[] = [
  [0.35, 0.2, 0.1],
  [0.15, 0.09, 0.06],
  [0.45, 0.38, 0.18],
  [0.3, 0.45, 0.3],
  [0.3, 0.45, 0.65],
  [0.5, 0.55, 0.6],
];

/** Linear interpolation of two colours. */
export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** Multiplies a colour by a scalar. */
export function scaled(c: Rgb, k: number): Rgb {
  return [c[0] * k, c[1] * k, c[2] * k];
}

/** Skin colour for a tone in [0, 1] and a warmth in [0, 1]. */
export function skinColour(tone: number, warmth: number): Rgb {
  const t = Math.min(0.9999, Math.max(0, tone)) * (SKIN.length - 1);
  const base = mix(SKIN[Math.floor(t)], SKIN[Math.floor(t) + 1], t - Math.floor(t));
  const w = warmth - 0.5;
  return [base[0] + 0.04 * w, base[1], base[2] - 0.06 * w];
}

/** Element `floor(g · n)` of a list for a gene g in [0, 1]. */
export function pick<T>(list: readonly T[], gene: number): T {
  return list[Math.min(list.length - 1, Math.floor(gene * list.length))];
}
