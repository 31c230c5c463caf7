/**
 * Per-image nuisance of the synthetic faces: pose, placement, expression, illumination, clothing, occluders, blur,
 * sensor noise and landmark-detector noise. Every amplitude scales with `difficulty` (1 = the standard datasets).
 * @module
 */
import type { Rng } from "../../core/rng.ts";
import type { Rgb } from "./canvas.ts";
import { mix } from "./palette.ts";

/** Occluding accessories an image may carry. */
export interface Occluders {
  /** Glasses: frame style 0 round / 1 rectangular, or null. */
  glasses: { style: 0 | 1; colour: Rgb; size: number; sun: boolean } | null;
  /** A hand over the lower face: position in face units, angle, skin colour; or null. */
  hand: { x: number; y: number; angle: number; colour: Rgb } | null;
  /** A face mask over nose and mouth, or null. */
  mask: { colour: Rgb; top: number } | null;
  /** A cap over the top of the head, or null. */
  cap: { colour: Rgb; depth: number; tilt: number } | null;
}

/** Everything that varies between two images of one identity. */
export interface Nuisance {
  /** Head rotation about the vertical axis (radians; positive turns the face to image-right). */
  yaw: number;
  /** Head rotation about the horizontal axis (radians; positive tilts down). */
  pitch: number;
  /** In-plane rotation (radians). */
  roll: number;
  /** Pixels per face unit in the raw image. */
  scale: number;
  /** Raw-image position of the point between the eyes. */
  cx: number;
  /** Raw-image position of the point between the eyes. */
  cy: number;
  /** Smile amount (negative: frown). */
  smile: number;
  /** Mouth opening (0 closed). */
  mouthOpen: number;
  /** Eye openness factor (1 normal, small = blink). */
  eyeOpen: number;
  /** Brow raise in face units. */
  browRaise: number;
  /** Gaze offset as a fraction of the eye width. */
  gazeX: number;
  /** Gaze offset as a fraction of the eye width. */
  gazeY: number;
  /** Light direction (unit vector, camera frame: x right, y down, z towards the viewer). */
  light: [number, number, number];
  /** Ambient share of the lighting. */
  ambient: number;
  /** Colour and strength of the illumination. */
  lightRgb: Rgb;
  /** Clothing colour. */
  clothes: Rgb;
  /** Hair colour factor (lighting/wetness). */
  hairGain: number;
  /** Occluders. */
  occluders: Occluders;
  /** Gaussian blur sigma in raw pixels. */
  blur: number;
  /** Sensor noise sigma in 8-bit levels. */
  noise: number;
  /** Landmark detector noise (pixels), 10 numbers: dx, dy per point. */
  landmarkNoise: number[];
}

/** A random saturated-ish colour. */
export function randomColour(rng: Rng, lo = 0.1, hi = 0.9): Rgb {
  return [rng.uniform(lo, hi), rng.uniform(lo, hi), rng.uniform(lo, hi)];
}

/** Samples the nuisance of one image for a raw canvas of `rawSize` pixels. */
export function sampleNuisance(rng: Rng, rawSize: number, difficulty: number, skin: Rgb): Nuisance {
  const d = difficulty;
  const deg = Math.PI / 180;
  const chance = (p: number) => rng.float() < Math.min(1, p * d);
  const smile = rng.float() < 0.55 ? rng.uniform(0.2, 1) : rng.uniform(-0.25, 0.15);
  const blink = rng.float();
  const warm = rng.uniform(0, 1);
  const lx = rng.uniform(-0.85, 0.85) * Math.min(1, d), ly = rng.uniform(-0.6, 0.35) * Math.min(1, d);
  const norm = Math.hypot(lx, ly, 1);
  const intensity = rng.uniform(1 - 0.3 * d, 1 + 0.15 * d);
  const nuisance: Nuisance = {
    yaw: rng.uniform(-24, 24) * d * deg,
    pitch: rng.uniform(-12, 12) * d * deg,
    roll: Math.max(-25, Math.min(25, rng.normal(0, 9 * d))) * deg,
    scale: rng.uniform(0.2, 0.26) * rawSize,
    cx: rawSize / 2 + rng.uniform(-7, 7) * d,
    cy: rawSize * 0.45 + rng.uniform(-6, 6) * d,
    smile,
    mouthOpen: rng.float() < 0.3 * d ? rng.uniform(0.15, 1) : 0,
    eyeOpen: blink < 0.05 * d
      ? rng.uniform(0.08, 0.3)
      : blink < 0.2 * d
      ? rng.uniform(0.5, 0.75)
      : rng.uniform(0.85, 1.2),
    browRaise: rng.uniform(-0.03, 0.06) * d,
    gazeX: rng.uniform(-0.3, 0.3),
    gazeY: rng.uniform(-0.1, 0.1),
    light: [lx / norm, ly / norm, 1 / norm],
    ambient: rng.uniform(0.3, 0.65),
    lightRgb: mix([1.1 * intensity, 1.0 * intensity, 0.85 * intensity], [
      0.88 * intensity,
      0.96 * intensity,
      1.12 * intensity,
    ], warm),
    clothes: randomColour(rng, 0.05, 0.85),
    hairGain: rng.uniform(0.9, 1.1),
    occluders: {
      glasses: chance(0.2)
        ? {
          style: rng.float() < 0.5 ? 0 : 1,
          colour: randomColour(rng, 0, 0.5),
          size: rng.uniform(0.9, 1.15),
          sun: rng.float() < 0.25,
        }
        : null,
      hand: chance(0.08)
        ? {
          x: rng.uniform(-0.8, 0.8),
          y: rng.uniform(0.9, 1.7),
          angle: rng.uniform(-0.8, 0.8),
          colour: mix(skin, randomColour(rng, 0.3, 0.9), 0.2),
        }
        : null,
      mask: chance(0.04)
        ? { colour: mix([0.85, 0.9, 0.95], randomColour(rng), 0.3), top: rng.uniform(0.45, 0.6) }
        : null,
      cap: chance(0.08)
        ? { colour: randomColour(rng, 0.05, 0.8), depth: rng.uniform(-0.95, -0.6), tilt: rng.uniform(-0.15, 0.15) }
        : null,
    },
    blur: rng.float() < 0.5 ? 0 : rng.uniform(0.3, 1.3) * d,
    noise: rng.uniform(1, 6) * d,
    landmarkNoise: Array.from({ length: 10 }, () => rng.normal(0, 0.8 * d)),
  };
  return nuisance;
}
