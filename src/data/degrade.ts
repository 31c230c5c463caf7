/**
 * Domain-randomisation degradations of a training image, applied after the crop and colour pass of
 * `augment.ts`: gamma, greyscale, low resolution, Gaussian blur and random erasing. They vary, per image and per
 * epoch, the nuisances in which synthetic and real photographs differ, which DigiFace-1M (Bae et al., WACV 2023)
 * found to narrow the synthetic-to-real gap ("aggressive data augmentation"). Random erasing follows Zhong et al.,
 * AAAI 2020 (area fraction and aspect ratio drawn per image, the rectangle filled with uniform noise).
 *
 * Every image consumes the same number of random words whatever the draws decide, so one image's draws never
 * shift the next image's.
 * @module
 */
import type { Rng } from "../core/rng.ts";

/** Probabilities and ranges of the degradations; a probability of 0 turns one off. */
export interface DegradeConfig {
  /** Probability of a gamma curve 255·(x/255)^γ with ln γ ~ U[−gammaLog, gammaLog]. */
  gamma: number;
  /** Bound of ln γ. */
  gammaLog: number;
  /** Probability of converting to grey (ITU-R BT.601 luma). */
  grayscale: number;
  /** Probability of box-downsampling to a fraction of the side and resizing back bilinearly. */
  downscale: number;
  /** Range of that fraction. */
  downscaleRange: readonly [number, number];
  /** Probability of a Gaussian blur. */
  blur: number;
  /** Range of its standard deviation, in pixels of the training crop. */
  blurSigma: readonly [number, number];
  /** Probability of erasing one rectangle. */
  erase: number;
  /** Range of its area as a fraction of the image. */
  eraseArea: readonly [number, number];
  /** Range of its aspect ratio (height / width), drawn log-uniformly. */
  eraseAspect: readonly [number, number];
}

/**
 * The `domain` recipe's settings, fixed before any transfer result was measured: gamma on half the images
 * (γ ∈ [0.67, 1.49]), greyscale on a fifth, low resolution (35–80% of the side) and blur (σ 0.5–1.5 px) on 30%
 * each, and Zhong et al.'s random erasing on half (2–25% of the area; their default area range is 2–40%).
 */
export const DOMAIN_DEGRADE: DegradeConfig = {
  gamma: 0.5,
  gammaLog: 0.4,
  grayscale: 0.2,
  downscale: 0.3,
  downscaleRange: [0.35, 0.8],
  blur: 0.3,
  blurSigma: [0.5, 1.5],
  erase: 0.5,
  eraseArea: [0.02, 0.25],
  eraseAspect: [0.3, 1 / 0.3],
};

/** The draws of one image. */
export interface DegradeDraw {
  /** γ, or null for none. */
  gamma: number | null;
  /** Convert to grey. */
  grayscale: boolean;
  /** Side of the low-resolution copy in pixels, or null for none. */
  downscaleTo: number | null;
  /** Blur σ in pixels, or null for none. */
  blurSigma: number | null;
  /** Erased rectangle (top-left corner and size in pixels, and the fill's seed), or null for none. */
  erase: { x: number; y: number; w: number; h: number; fillSeed: number } | null;
}

/** Draws one image's degradations, always consuming the same number of words. */
export function drawDegrade(config: DegradeConfig, size: number, rng: Rng): DegradeDraw {
  const useGamma = rng.float() < config.gamma, logGamma = rng.uniform(-config.gammaLog, config.gammaLog);
  const grayscale = rng.float() < config.grayscale;
  const useDown = rng.float() < config.downscale, fraction = rng.uniform(...config.downscaleRange);
  const useBlur = rng.float() < config.blur, sigma = rng.uniform(...config.blurSigma);
  const useErase = rng.float() < config.erase;
  const area = rng.uniform(...config.eraseArea) * size * size;
  const aspect = Math.exp(rng.uniform(Math.log(config.eraseAspect[0]), Math.log(config.eraseAspect[1])));
  const h = Math.min(size, Math.max(1, Math.round(Math.sqrt(area * aspect))));
  const w = Math.min(size, Math.max(1, Math.round(Math.sqrt(area / aspect))));
  const x = rng.int(size - w + 1), y = rng.int(size - h + 1), fillSeed = rng.int(0x7fffffff);
  return {
    gamma: useGamma ? Math.exp(logGamma) : null,
    grayscale,
    downscaleTo: useDown ? Math.max(2, Math.round(fraction * size)) : null,
    blurSigma: useBlur ? sigma : null,
    erase: useErase ? { x, y, w, h, fillSeed } : null,
  };
}

/** Applies a draw in place to an RGB `size`×`size` image of floats in [0, 255] (NHWC, 3 channels). */
export function applyDegrade(image: Float32Array, size: number, draw: DegradeDraw): void {
  if (draw.gamma !== null) {
    const g = draw.gamma;
    for (let i = 0; i < image.length; i++) image[i] = 255 * Math.pow(image[i] / 255, g);
  }
  if (draw.grayscale) {
    for (let i = 0; i < image.length; i += 3) {
      const y = 0.299 * image[i] + 0.587 * image[i + 1] + 0.114 * image[i + 2];
      image[i] = image[i + 1] = image[i + 2] = y;
    }
  }
  if (draw.downscaleTo !== null) lowResolution(image, size, draw.downscaleTo);
  if (draw.blurSigma !== null) gaussianBlur(image, size, draw.blurSigma);
  if (draw.erase !== null) {
    const { x, y, w, h, fillSeed } = draw.erase;
    let state = fillSeed >>> 0 || 1;
    for (let r = y; r < y + h; r++) {
      for (let c = x; c < x + w; c++) {
        for (let ch = 0; ch < 3; ch++) {
          // xorshift32: a cheap deterministic fill; its quality does not matter for an occluder
          state ^= state << 13, state >>>= 0, state ^= state >>> 17, state ^= state << 5, state >>>= 0;
          image[(r * size + c) * 3 + ch] = (state / 0x100000000) * 255;
        }
      }
    }
  }
}

/** Box-averages the image down to `small`×`small` and resizes it back bilinearly (half-pixel centres). */
function lowResolution(image: Float32Array, size: number, small: number): void {
  const low = new Float32Array(small * small * 3);
  const step = size / small;
  for (let sy = 0; sy < small; sy++) {
    const y0 = Math.floor(sy * step), y1 = Math.max(y0 + 1, Math.floor((sy + 1) * step));
    for (let sx = 0; sx < small; sx++) {
      const x0 = Math.floor(sx * step), x1 = Math.max(x0 + 1, Math.floor((sx + 1) * step));
      const n = (y1 - y0) * (x1 - x0);
      for (let ch = 0; ch < 3; ch++) {
        let sum = 0;
        for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += image[(y * size + x) * 3 + ch];
        low[(sy * small + sx) * 3 + ch] = sum / n;
      }
    }
  }
  const scale = small / size;
  for (let y = 0; y < size; y++) {
    const fy = Math.min(small - 1, Math.max(0, (y + 0.5) * scale - 0.5));
    const ya = Math.floor(fy), yb = Math.min(small - 1, ya + 1), wy = fy - ya;
    for (let x = 0; x < size; x++) {
      const fx = Math.min(small - 1, Math.max(0, (x + 0.5) * scale - 0.5));
      const xa = Math.floor(fx), xb = Math.min(small - 1, xa + 1), wx = fx - xa;
      for (let ch = 0; ch < 3; ch++) {
        const top = low[(ya * small + xa) * 3 + ch] * (1 - wx) + low[(ya * small + xb) * 3 + ch] * wx;
        const bottom = low[(yb * small + xa) * 3 + ch] * (1 - wx) + low[(yb * small + xb) * 3 + ch] * wx;
        image[(y * size + x) * 3 + ch] = top * (1 - wy) + bottom * wy;
      }
    }
  }
}

/** Separable Gaussian blur with radius ⌈3σ⌉ and clamped edges. */
function gaussianBlur(image: Float32Array, size: number, sigma: number): void {
  const radius = Math.ceil(3 * sigma);
  const taps = Array.from({ length: 2 * radius + 1 }, (_, k) => Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)));
  const total = taps.reduce((a, b) => a + b, 0);
  const kernel = taps.map((t) => t / total);
  const tmp = new Float32Array(image.length);
  const pass = (from: Float32Array, to: Float32Array, horizontal: boolean) => {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let ch = 0; ch < 3; ch++) {
          let sum = 0;
          for (let k = -radius; k <= radius; k++) {
            const xx = horizontal ? Math.min(size - 1, Math.max(0, x + k)) : x;
            const yy = horizontal ? y : Math.min(size - 1, Math.max(0, y + k));
            sum += kernel[k + radius] * from[(yy * size + xx) * 3 + ch];
          }
          to[(y * size + x) * 3 + ch] = sum;
        }
      }
    }
  };
  pass(image, tmp, true);
  pass(tmp, image, false);
}
