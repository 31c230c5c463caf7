/**
 * The one in-memory image type of the data layer: 8-bit, interleaved channels, row-major (HWC).
 * @module
 */

/** Number of interleaved channels: grey, RGB or RGBA. */
export type Channels = 1 | 3 | 4;

/** An 8-bit image; pixel (x, y) channel c is `data[(y * width + x) * channels + c]`. */
export interface Image {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** Interleaved channels per pixel. */
  channels: Channels;
  /** `width * height * channels` bytes. */
  data: Uint8Array;
}

/** A zero-filled image. */
export function createImage(width: number, height: number, channels: Channels): Image {
  return { width, height, channels, data: new Uint8Array(width * height * channels) };
}

/** The image as RGB: grey is replicated, alpha is dropped. Returns the input when it is already RGB. */
export function toRgb(image: Image): Image {
  if (image.channels === 3) return image;
  const out = createImage(image.width, image.height, 3);
  const n = image.width * image.height;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      out.data[3 * i + c] = image.data[i * image.channels + (image.channels === 1 ? 0 : c)];
    }
  }
  return out;
}

/**
 * The image as RGB on a black square of side max(width, height), centred (the odd pixel after): a letterbox that
 * keeps the aspect ratio.
 */
export function padToSquare(image: Image): Image {
  const rgb = toRgb(image);
  const size = Math.max(rgb.width, rgb.height);
  const out = createImage(size, size, 3);
  const ox = Math.floor((size - rgb.width) / 2), oy = Math.floor((size - rgb.height) / 2);
  for (let y = 0; y < rgb.height; y++) {
    const row = rgb.data.subarray(y * rgb.width * 3, (y + 1) * rgb.width * 3);
    out.data.set(row, ((y + oy) * size + ox) * 3);
  }
  return out;
}

/** The image as RGBA with opaque alpha (the layout of web `ImageData`). */
export function toRgba(image: Image): Uint8ClampedArray<ArrayBuffer> {
  const n = image.width * image.height;
  const out = new Uint8ClampedArray(4 * n);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 4; c++) {
      out[4 * i + c] = c === 3
        ? (image.channels === 4 ? image.data[4 * i + 3] : 255)
        : image.data[i * image.channels + (image.channels === 1 ? 0 : c)];
    }
  }
  return out;
}

/** Keeps the first `channels` of every RGBA pixel (1 keeps red, which equals grey for grey sources). */
export function fromRgba(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
  channels: Channels,
): Image {
  const out = createImage(width, height, channels);
  const n = width * height;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < channels; c++) out.data[i * channels + c] = rgba[4 * i + c];
  }
  return out;
}
