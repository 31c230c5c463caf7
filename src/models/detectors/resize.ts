/**
 * 8-bit images and the resize the MTCNN port uses on them: Pillow's `Image.resize(size, Image.BILINEAR)`, a
 * separable triangle filter whose support widens with the downscale factor (so shrinking averages, like an area
 * filter), with Pillow's 22-bit fixed-point coefficients and rounding, horizontal pass first, each pass rounded to
 * 8 bits. Pure math on typed arrays.
 * @module
 */

/** An 8-bit interleaved image (structurally the data layer's `Image`). */
export interface PixelImage {
  /** width in pixels */
  width: number;
  /** height in pixels */
  height: number;
  /** interleaved channels per pixel */
  channels: number;
  /** `width · height · channels` bytes, row-major */
  data: Uint8Array;
}

const PRECISION_BITS = 22;

/** Per output position: the first input index, the tap count and the fixed-point weights (Pillow's `precompute_coeffs`). */
interface Coefficients {
  start: Int32Array;
  count: Int32Array;
  weights: Float64Array;
  taps: number;
}

function coefficients(inSize: number, outSize: number): Coefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale; // bilinear filter support 1, widened when shrinking
  const taps = Math.ceil(support) * 2 + 1;
  const c: Coefficients = {
    start: new Int32Array(outSize),
    count: new Int32Array(outSize),
    weights: new Float64Array(outSize * taps),
    taps,
  };
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale;
    const lo = Math.max(Math.trunc(centre - support + 0.5), 0);
    const hi = Math.min(Math.trunc(centre + support + 0.5), inSize);
    const w = c.weights.subarray(o * taps, o * taps + taps);
    let sum = 0;
    for (let i = 0; i < hi - lo; i++) {
      w[i] = Math.max(0, 1 - Math.abs((i + lo - centre + 0.5) / filterScale));
      sum += w[i];
    }
    for (let i = 0; i < hi - lo; i++) w[i] = Math.trunc(0.5 + (sum !== 0 ? w[i] / sum : 0) * (1 << PRECISION_BITS));
    c.start[o] = lo;
    c.count[o] = hi - lo;
  }
  return c;
}

/** Fixed-point sum → 8 bits, rounding half up and clipping (Pillow's `clip8`). */
function clip8(sum: number): number {
  return Math.min(255, Math.max(0, Math.floor((sum + (1 << (PRECISION_BITS - 1))) / (1 << PRECISION_BITS))));
}

/** Resamples along one axis: `horizontal` maps width → `size`, else height → `size`. */
function resampleAxis(image: PixelImage, size: number, horizontal: boolean): PixelImage {
  const { width, height, channels: ch, data } = image;
  const outW = horizontal ? size : width, outH = horizontal ? height : size;
  const c = coefficients(horizontal ? width : height, size);
  const out = new Uint8Array(outW * outH * ch);
  const step = horizontal ? ch : width * ch;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const o = horizontal ? x : y;
      const base = horizontal ? (y * width + c.start[o]) * ch : (c.start[o] * width + x) * ch;
      for (let k = 0; k < ch; k++) {
        let sum = 0;
        for (let t = 0; t < c.count[o]; t++) sum += data[base + t * step + k] * c.weights[o * c.taps + t];
        out[(y * outW + x) * ch + k] = clip8(sum);
      }
    }
  }
  return { width: outW, height: outH, channels: ch, data: out };
}

/** Pillow's bilinear `resize` of an 8-bit image to `width`×`height` (passes skipped when a side is unchanged). */
export function resizeBilinear(image: PixelImage, width: number, height: number): PixelImage {
  const wide = width === image.width ? image : resampleAxis(image, width, true);
  return height === image.height ? wide : resampleAxis(wide, height, false);
}
