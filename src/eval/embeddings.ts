/**
 * Host-side helpers on row-major embedding matrices (`Float32Array` of `count × dim`): L2 normalisation and
 * flip fusion (embedding of the image plus embedding of its mirror, then L2-normalised, as in face.evoLVe and
 * arcface_torch "Accuracy-Flip").
 * @module
 */

/** Number of rows of a row-major matrix; throws when the length is not a multiple of `dim`. */
export function rowCount(what: string, data: Float32Array, dim: number): number {
  if (!Number.isInteger(dim) || dim <= 0) throw new RangeError(`${what}: dim must be a positive integer, got ${dim}`);
  if (data.length % dim !== 0) {
    throw new RangeError(`${what}: length ${data.length} is not a multiple of dim ${dim}`);
  }
  return data.length / dim;
}

/** Returns a copy with every row scaled to unit L2 norm (all-zero rows stay zero). Norms are summed in float64. */
export function l2NormalizeRows(data: Float32Array, dim: number): Float32Array {
  const rows = rowCount("l2NormalizeRows", data, dim);
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) {
    let sq = 0;
    for (let j = 0; j < dim; j++) sq += data[r * dim + j] ** 2;
    const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
    for (let j = 0; j < dim; j++) out[r * dim + j] = data[r * dim + j] * inv;
  }
  return out;
}

/** Flip fusion: `normalize(plain + flipped)` row by row; both matrices must have the same shape. */
export function fuseFlip(plain: Float32Array, flipped: Float32Array, dim: number): Float32Array {
  if (plain.length !== flipped.length) {
    throw new RangeError(`fuseFlip: plain has ${plain.length} values, flipped ${flipped.length}; expected equal`);
  }
  rowCount("fuseFlip", plain, dim);
  const sum = new Float32Array(plain.length);
  for (let i = 0; i < plain.length; i++) sum[i] = plain[i] + flipped[i];
  return l2NormalizeRows(sum, dim);
}

/** Squared Euclidean distance between row `i` of `a` and row `j` of `b`, accumulated in float64. */
export function squaredDistance(a: Float32Array, i: number, b: Float32Array, j: number, dim: number): number {
  let d = 0;
  for (let k = 0; k < dim; k++) d += (a[i * dim + k] - b[j * dim + k]) ** 2;
  return d;
}

/** Mirrors NHWC images left-right (a copy); `shape` is `[n, height, width, channels]`. */
export function flipHorizontal(images: Float32Array, shape: readonly [number, number, number, number]): Float32Array {
  const [n, h, w, c] = shape;
  if (images.length !== n * h * w * c) {
    throw new RangeError(`flipHorizontal: ${images.length} values, shape [${shape}] needs ${n * h * w * c}`);
  }
  const out = new Float32Array(images.length);
  for (let row = 0; row < n * h; row++) {
    for (let x = 0; x < w; x++) {
      const src = (row * w + x) * c, dst = (row * w + (w - 1 - x)) * c;
      for (let k = 0; k < c; k++) out[dst + k] = images[src + k];
    }
  }
  return out;
}
