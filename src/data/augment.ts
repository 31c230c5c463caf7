/**
 * Training augmentation and normalisation of aligned uint8 RGB crops into float32 NHWC, all seeded:
 * random resized crop (face.evoLVe: resize to 128·size/112, random crop back to size), horizontal flip,
 * brightness / saturation / hue factors from U[1−j, 1+j], AlexNet PCA lighting noise with α ~ N(0, σ), and
 * (x − 127.5) / 127.5. The colour operations are linear, so they are fused into one 3×3 matrix plus a shift
 * and the result is clamped to [0, 255] once before normalising. An optional degradation pass (`degrade.ts`) follows
 * the colour pass.
 * @module
 */
import type { Rng } from "../core/rng.ts";
import { applyDegrade, type DegradeConfig, DOMAIN_DEGRADE, drawDegrade } from "./degrade.ts";
import { IMAGENET_PCA, type RgbPca } from "./pca.ts";

/** Augmentation settings. */
export interface AugmentConfig {
  /** Crop mode: "random" (train), "center" (face.evoLVe's test "ccrop"), or "none" (identity). */
  crop: "random" | "center" | "none";
  /** Size the image is resized to before cropping back, per 112 pixels of input (face.evoLVe: 128). */
  resizeTo: number;
  /** Probability of a horizontal flip. */
  flip: number;
  /** Jitter j of the brightness, saturation and hue factors, drawn from U[1−j, 1+j]; 0 turns it off. */
  colorJitter: number;
  /** Standard deviation of the PCA lighting coefficients α; 0 turns it off. */
  pcaStd: number;
  /** RGB basis for PCA lighting (default: ImageNet's; see {@link rgbPca} for a dataset's own). */
  pca: RgbPca;
  /** Domain-randomisation degradations after the colour pass (absent: none, and no random words drawn). */
  degrade?: DegradeConfig;
}

/** face.evoLVe's `train.py`: resize 128, random crop 112, flip p 0.5, normalise. */
export const EVO_AUGMENT: AugmentConfig = {
  crop: "random",
  resizeTo: 128,
  flip: 0.5,
  colorJitter: 0,
  pcaStd: 0,
  pca: IMAGENET_PCA,
};

/** face.evoLVe's README recipe: {@link EVO_AUGMENT} plus colour jitter U[0.6, 1.4] and PCA noise N(0, 0.1). */
export const FULL_AUGMENT: AugmentConfig = { ...EVO_AUGMENT, colorJitter: 0.4, pcaStd: 0.1 };

/**
 * Domain randomisation for synthetic training sets: {@link FULL_AUGMENT} plus {@link DOMAIN_DEGRADE} (gamma,
 * greyscale, low resolution, blur and random erasing).
 */
export const DOMAIN_AUGMENT: AugmentConfig = { ...FULL_AUGMENT, degrade: DOMAIN_DEGRADE };

/** Evaluation: no randomness, just normalisation. */
export const NO_AUGMENT: AugmentConfig = { ...EVO_AUGMENT, crop: "none", flip: 0 };

/** The random draws of one image (exposed so tests can check their statistics). */
export interface AugmentDraw {
  /** Crop offset in resized pixels. */
  ox: number;
  /** Crop offset in resized pixels. */
  oy: number;
  /** Mirror the output. */
  flip: boolean;
  /** Brightness factor. */
  brightness: number;
  /** Saturation factor. */
  saturation: number;
  /** Hue factor; the hue turns by (factor − 1)·π in YIQ space (MXNet's HueJitterAug). */
  hue: number;
  /** PCA coefficients α. */
  alpha: [number, number, number];
}

/** Draws the random parameters of one image, always consuming the same number of words. */
export function drawAugment(config: AugmentConfig, size: number, rng: Rng): AugmentDraw {
  const resized = Math.round((config.resizeTo * size) / 112);
  const slack = resized - size;
  const ox = rng.int(slack + 1), oy = rng.int(slack + 1);
  const flip = rng.float() < config.flip;
  const j = config.colorJitter;
  const brightness = rng.uniform(1 - j, 1 + j), saturation = rng.uniform(1 - j, 1 + j), hue = rng.uniform(1 - j, 1 + j);
  const alpha: [number, number, number] = [
    rng.normal(0, config.pcaStd),
    rng.normal(0, config.pcaStd),
    rng.normal(0, config.pcaStd),
  ];
  if (config.crop === "center") {
    return { ox: Math.round(slack / 2), oy: Math.round(slack / 2), flip, brightness, saturation, hue, alpha };
  }
  return { ox, oy, flip, brightness, saturation, hue, alpha };
}

const GREY = [0.299, 0.587, 0.114];
const TO_YIQ = [0.299, 0.587, 0.114, 0.596, -0.274, -0.321, 0.211, -0.523, 0.311];
const FROM_YIQ = invert3(TO_YIQ);

function invert3(m: readonly number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m;
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  const adj = [
    e * i - f * h,
    c * h - b * i,
    b * f - c * e,
    f * g - d * i,
    a * i - c * g,
    c * d - a * f,
    d * h - e * g,
    b * g - a * h,
    a * e - b * d,
  ];
  return adj.map((v) => v / det);
}

function matmul3(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) out[3 * i + j] += a[3 * i + k] * b[3 * k + j];
  }
  return out;
}

/** The fused colour matrix (hue ∘ saturation ∘ brightness) and PCA shift (in 0..255 units) of a draw. */
export function colourTransform(draw: AugmentDraw, pca: RgbPca): { matrix: number[]; shift: number[] } {
  const b = draw.brightness, s = draw.saturation;
  const brightness = [b, 0, 0, 0, b, 0, 0, 0, b];
  const saturation = Array.from({ length: 9 }, (_, k) => (k % 4 === 0 ? s : 0) + (1 - s) * GREY[k % 3]);
  const angle = (draw.hue - 1) * Math.PI, c = Math.cos(angle), sn = Math.sin(angle);
  const hue = matmul3(FROM_YIQ, matmul3([1, 0, 0, 0, c, -sn, 0, sn, c], TO_YIQ));
  const matrix = matmul3(hue, matmul3(saturation, brightness));
  const shift = [0, 1, 2].map((ch) =>
    255 * pca.eigenvectors.reduce((acc, v, k) => acc + v[ch] * draw.alpha[k] * pca.eigenvalues[k], 0)
  );
  return { matrix, shift };
}

let scratch = new Float32Array(0);

/** A reusable buffer of `length` floats for the degradation pass (one per worker; `augmentInto` is synchronous). */
function degradeScratch(length: number): Float32Array {
  if (scratch.length !== length) scratch = new Float32Array(length);
  return scratch;
}

/**
 * Augments one `size`×`size` RGB image `src` and writes normalised floats to `out` at `offset`
 * (`size * size * 3` values, NHWC).
 */
export function augmentInto(
  src: Uint8Array,
  size: number,
  out: Float32Array,
  offset: number,
  config: AugmentConfig,
  rng: Rng,
): void {
  const draw = drawAugment(config, size, rng);
  const identity = config.crop === "none";
  const resized = identity ? size : Math.round((config.resizeTo * size) / 112);
  const colour = config.colorJitter > 0 || config.pcaStd > 0;
  const { matrix: m, shift } = colourTransform(draw, config.pca);
  const scale = size / resized;
  const degraded = config.degrade ? degradeScratch(size * size * 3) : null;
  for (let y = 0; y < size; y++) {
    const sy = Math.min(size - 1, Math.max(0, (y + (identity ? 0 : draw.oy) + 0.5) * scale - 0.5));
    const y0 = Math.floor(sy), y1 = Math.min(size - 1, y0 + 1), fy = sy - y0;
    for (let x = 0; x < size; x++) {
      const xo = draw.flip ? size - 1 - x : x;
      const sx = Math.min(size - 1, Math.max(0, (xo + (identity ? 0 : draw.ox) + 0.5) * scale - 0.5));
      const x0 = Math.floor(sx), x1 = Math.min(size - 1, x0 + 1), fx = sx - x0;
      const a = (y0 * size + x0) * 3, b = (y0 * size + x1) * 3, c = (y1 * size + x0) * 3, d = (y1 * size + x1) * 3;
      const w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
      let r = src[a] * w00 + src[b] * w01 + src[c] * w10 + src[d] * w11;
      let g = src[a + 1] * w00 + src[b + 1] * w01 + src[c + 1] * w10 + src[d + 1] * w11;
      let bl = src[a + 2] * w00 + src[b + 2] * w01 + src[c + 2] * w10 + src[d + 2] * w11;
      if (colour) {
        const r2 = m[0] * r + m[1] * g + m[2] * bl + shift[0];
        const g2 = m[3] * r + m[4] * g + m[5] * bl + shift[1];
        const b2 = m[6] * r + m[7] * g + m[8] * bl + shift[2];
        r = Math.min(255, Math.max(0, r2)), g = Math.min(255, Math.max(0, g2)), bl = Math.min(255, Math.max(0, b2));
      }
      if (degraded) {
        const o = (y * size + x) * 3;
        degraded[o] = r, degraded[o + 1] = g, degraded[o + 2] = bl;
        continue;
      }
      const o = offset + (y * size + x) * 3;
      out[o] = (r - 127.5) / 127.5, out[o + 1] = (g - 127.5) / 127.5, out[o + 2] = (bl - 127.5) / 127.5;
    }
  }
  if (degraded) {
    applyDegrade(degraded, size, drawDegrade(config.degrade!, size, rng));
    for (let i = 0; i < degraded.length; i++) {
      out[offset + i] = (Math.min(255, Math.max(0, degraded[i])) - 127.5) / 127.5;
    }
  }
}
