/**
 * The raster of the synthetic renderer: float RGB plus a "skin" mask (where head lighting applies), anti-aliased
 * painting of signed-distance shapes through affine frames, Gaussian blur, sensor noise and quantisation.
 * @module
 */
import { type Affine, composeAffine, invertAffine } from "../align.ts";
import type { Rng } from "../../core/rng.ts";
import { createImage, type Image } from "../image/image.ts";

/** A linear RGB colour, components nominally in [0, 1]. */
export type Rgb = [number, number, number];

/** A local shape frame: `m` maps local units to image pixels. */
export interface Frame {
  /** Local → image. */
  m: Affine;
  /** Image → local. */
  inv: Affine;
  /** Image pixels per local unit (geometric mean of the axis scales). */
  unit: number;
}

/** Builds a frame from a local → image affine matrix. */
export function frameOf(m: Affine): Frame {
  return { m, inv: invertAffine(m), unit: Math.sqrt(Math.abs(m[0] * m[4] - m[1] * m[3])) };
}

/** A frame placed at local point (x, y) of `parent`, rotated by `angle` and scaled by `scale`. */
export function childFrame(parent: Frame, x: number, y: number, angle = 0, scale = 1): Frame {
  const c = Math.cos(angle) * scale, s = Math.sin(angle) * scale;
  return frameOf(composeAffine(parent.m, [c, -s, x, s, c, y]));
}

/** A colour, or a function writing the colour at a local point into `out`. */
export type Paint = Rgb | ((x: number, y: number, out: Rgb) => void);

/** How one shape is painted. */
export interface PaintOptions {
  /** Multiplies the coverage (0..1). Default 1. */
  opacity?: number;
  /** Extra edge blur in local units (soft shadows, blush). Default 0. */
  soft?: number;
  /** Value blended into the skin mask (1 = lit as head, 0 = not). Default: mask untouched. */
  skin?: 0 | 1;
}

/** Float RGB raster with a skin mask. */
export class Canvas {
  /** Interleaved RGB floats. */
  readonly rgb: Float32Array;
  /** Per pixel, how much head lighting applies. */
  readonly skin: Float32Array;
  readonly #colour: Rgb = [0, 0, 0];

  /** A black canvas. */
  constructor(readonly width: number, readonly height: number) {
    this.rgb = new Float32Array(width * height * 3);
    this.skin = new Float32Array(width * height);
  }

  /** Paints the shape `sdf < 0` given in `frame`'s local units, within the local box [x0, x1] × [y0, y1]. */
  paint(
    frame: Frame,
    box: readonly [number, number, number, number],
    sdf: (x: number, y: number) => number,
    paint: Paint,
    options: PaintOptions = {},
  ): void {
    const { m, inv, unit } = frame;
    const opacity = options.opacity ?? 1;
    const edge = 1 + (options.soft ?? 0) * unit;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let k = 0; k < 4; k++) {
      const lx = k & 1 ? box[2] : box[0], ly = k & 2 ? box[3] : box[1];
      const px = m[0] * lx + m[1] * ly + m[2], py = m[3] * lx + m[4] * ly + m[5];
      minX = Math.min(minX, px), maxX = Math.max(maxX, px), minY = Math.min(minY, py), maxY = Math.max(maxY, py);
    }
    const xa = Math.max(0, Math.floor(minX - edge)), xb = Math.min(this.width - 1, Math.ceil(maxX + edge));
    const ya = Math.max(0, Math.floor(minY - edge)), yb = Math.min(this.height - 1, Math.ceil(maxY + edge));
    const colour = this.#colour;
    const fixed = Array.isArray(paint) ? paint : null;
    for (let py = ya; py <= yb; py++) {
      for (let px = xa; px <= xb; px++) {
        const x = inv[0] * px + inv[1] * py + inv[2], y = inv[3] * px + inv[4] * py + inv[5];
        const cover = Math.min(1, Math.max(0, 0.5 - (sdf(x, y) * unit) / edge)) * opacity;
        if (cover <= 0) continue;
        let c = colour;
        if (fixed) c = fixed;
        else (paint as (x: number, y: number, out: Rgb) => void)(x, y, colour);
        const i = py * this.width + px;
        this.rgb[3 * i] += (c[0] - this.rgb[3 * i]) * cover;
        this.rgb[3 * i + 1] += (c[1] - this.rgb[3 * i + 1]) * cover;
        this.rgb[3 * i + 2] += (c[2] - this.rgb[3 * i + 2]) * cover;
        if (options.skin !== undefined) this.skin[i] += (options.skin - this.skin[i]) * cover;
      }
    }
  }

  /** Multiplies every pixel by `factor(px, py)` blended by the skin mask. */
  shadeSkin(factor: (px: number, py: number) => number): void {
    for (let py = 0; py < this.height; py++) {
      for (let px = 0; px < this.width; px++) {
        const i = py * this.width + px;
        const s = this.skin[i];
        if (s <= 0) continue;
        const f = 1 + (factor(px, py) - 1) * s;
        this.rgb[3 * i] *= f, this.rgb[3 * i + 1] *= f, this.rgb[3 * i + 2] *= f;
      }
    }
  }

  /** Multiplies all channels by a colour (scene illumination). */
  tint(colour: Rgb): void {
    for (let i = 0; i < this.rgb.length; i++) this.rgb[i] *= colour[i % 3];
  }

  /** Separable Gaussian blur with standard deviation `sigma` pixels (clamped borders); no-op below 0.2. */
  blur(sigma: number): void {
    if (sigma < 0.2) return;
    const radius = Math.ceil(3 * sigma);
    const kernel = new Float32Array(2 * radius + 1);
    let sum = 0;
    for (let k = -radius; k <= radius; k++) sum += kernel[k + radius] = Math.exp(-(k * k) / (2 * sigma * sigma));
    for (let k = 0; k < kernel.length; k++) kernel[k] /= sum;
    const { width: w, height: h } = this;
    const tmp = new Float32Array(this.rgb.length);
    const pass = (src: Float32Array, dst: Float32Array, horizontal: boolean) => {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          let r = 0, g = 0, b = 0;
          for (let k = -radius; k <= radius; k++) {
            const xs = horizontal ? Math.min(w - 1, Math.max(0, x + k)) : x;
            const ys = horizontal ? y : Math.min(h - 1, Math.max(0, y + k));
            const j = 3 * (ys * w + xs), wk = kernel[k + radius];
            r += src[j] * wk, g += src[j + 1] * wk, b += src[j + 2] * wk;
          }
          const o = 3 * (y * w + x);
          dst[o] = r, dst[o + 1] = g, dst[o + 2] = b;
        }
      }
    };
    pass(this.rgb, tmp, true);
    pass(tmp, this.rgb, false);
  }

  /**
   * Adds Gaussian sensor noise of `sigma` (in 8-bit levels) and rounds to an RGB image. The noise is the
   * Irwin–Hall sum of the four bytes of one random word, so each value costs one draw.
   */
  toImage(rng: Rng, sigma: number): Image {
    const out = createImage(this.width, this.height, 3);
    const scale = sigma / 147.80;
    for (let i = 0; i < this.rgb.length; i++) {
      const w = rng.uint32();
      const n = (w & 255) + ((w >>> 8) & 255) + ((w >>> 16) & 255) + (w >>> 24) - 510;
      out.data[i] = Math.min(255, Math.max(0, Math.round(this.rgb[i] * 255 + n * scale)));
    }
    return out;
  }
}
