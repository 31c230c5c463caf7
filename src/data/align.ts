/**
 * 5-point face alignment: a similarity transform from detected landmarks to the 112×112 reference template
 * (Umeyama's closed form, as insightface/AFT/FXZ; or face.evoLVe's cp2tform-style fit with the reflective option),
 * then a bilinear warp with a black border. Pixel centres sit at integer coordinates (the `cv2.warpAffine` rule).
 * Pure math on typed arrays.
 * @module
 */
import { createImage, type Image } from "./image/image.ts";

/** A 2-D point `[x, y]` in pixels. */
export type Point = readonly [number, number];

/**
 * Five landmarks in template order: eye on image-left, eye on image-right, nose tip, mouth corner image-left,
 * mouth corner image-right.
 */
export type Landmarks = readonly [Point, Point, Point, Point, Point];

/** A 2×3 affine matrix `[a, b, c, d, e, f]`: x' = a·x + b·y + c, y' = d·x + e·y + f (row-major, as cv2). */
export type Affine = readonly [number, number, number, number, number, number];

/** The 112×112 ArcFace/face.evoLVe template (the 96×112 SphereFace points + 8 px in x). */
export const TEMPLATE_112: Landmarks = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

/** Output crop sizes supported by the template. */
export type CropSize = 112 | 224;

/** The template scaled to a crop size (size / 112). */
export function templateFor(size: CropSize): Landmarks {
  const s = size / 112;
  return TEMPLATE_112.map(([x, y]) => [x * s, y * s] as Point) as unknown as Landmarks;
}

/** Applies an affine matrix to a point. */
export function applyAffine(m: Affine, [x, y]: Point): Point {
  return [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
}

/** Inverse of an invertible affine matrix. */
export function invertAffine(m: Affine): Affine {
  const det = m[0] * m[4] - m[1] * m[3];
  if (!(Math.abs(det) > 1e-12)) throw new RangeError("invertAffine: matrix is singular");
  const a = m[4] / det, b = -m[1] / det, d = -m[3] / det, e = m[0] / det;
  return [a, b, -(a * m[2] + b * m[5]), d, e, -(d * m[2] + e * m[5])];
}

/** Composition: `outer ∘ inner` (apply `inner` first). */
export function composeAffine(outer: Affine, inner: Affine): Affine {
  const [a, b, c, d, e, f] = outer;
  return [
    a * inner[0] + b * inner[3],
    a * inner[1] + b * inner[4],
    a * inner[2] + b * inner[5] + c,
    d * inner[0] + e * inner[3],
    d * inner[1] + e * inner[4],
    d * inner[2] + e * inner[5] + f,
  ];
}

/** The similarity `scale·R(angle)` followed by a translation. */
export function similarity(scale: number, angle: number, tx: number, ty: number): Affine {
  const a = scale * Math.cos(angle), b = scale * Math.sin(angle);
  return [a, -b, tx, b, a, ty];
}

/**
 * Umeyama's least-squares similarity (rotation, uniform scale, translation; no reflection) mapping `src` onto
 * `dst`, residuals measured in `dst`. In 2-D the rotation-scale block [[a, −b], [b, a]] is linear in (a, b), so the
 * closed form is a = Σ⟨x, y⟩ / Σ|x|², b = Σ x×y / Σ|x|² on centred points, which equals Umeyama's SVD solution.
 */
export function umeyama(src: readonly Point[], dst: readonly Point[]): Affine {
  if (src.length !== dst.length || src.length < 2) {
    throw new RangeError(`umeyama: needs two equal lists of at least 2 points, got ${src.length} and ${dst.length}`);
  }
  const n = src.length;
  let sx = 0, sy = 0, dx = 0, dy = 0;
  for (let i = 0; i < n; i++) {
    sx += src[i][0], sy += src[i][1], dx += dst[i][0], dy += dst[i][1];
  }
  sx /= n, sy /= n, dx /= n, dy /= n;
  let dot = 0, cross = 0, norm = 0;
  for (let i = 0; i < n; i++) {
    const x0 = src[i][0] - sx, y0 = src[i][1] - sy, x1 = dst[i][0] - dx, y1 = dst[i][1] - dy;
    dot += x0 * x1 + y0 * y1;
    cross += x0 * y1 - y0 * x1;
    norm += x0 * x0 + y0 * y0;
  }
  if (!(norm > 1e-12)) throw new RangeError("umeyama: source points coincide");
  const a = dot / norm, b = cross / norm;
  return [a, -b, dx - (a * sx - b * sy), b, a, dy - (b * sx + a * sy)];
}

/** Horizontal mirror x → −x. */
const MIRROR_X: Affine = [-1, 0, 0, 0, 1, 0];

/** Frobenius norm of the residuals of `m` mapping `src` onto `dst`. */
function residual(m: Affine, src: readonly Point[], dst: readonly Point[]): number {
  let sum = 0;
  src.forEach((p, i) => {
    const [x, y] = applyAffine(m, p);
    sum += (x - dst[i][0]) ** 2 + (y - dst[i][1]) ** 2;
  });
  return Math.sqrt(sum);
}

/**
 * face.evoLVe's `get_similarity_transform` (a port of MATLAB `cp2tform('similarity')`): fits the non-reflective
 * similarity template → detected by least squares (residuals in detected pixels) and inverts it. With `reflective`
 * it also fits against the x-mirrored template, composes with the mirror, and keeps the fit with the smaller
 * residual in template pixels.
 */
export function cp2tform(detected: readonly Point[], template: readonly Point[], reflective = true): Affine {
  const direct = invertAffine(umeyama(template, detected));
  if (!reflective) return direct;
  const mirroredTemplate = template.map(([x, y]) => [-x, y] as Point);
  const mirrored = composeAffine(MIRROR_X, invertAffine(umeyama(mirroredTemplate, detected)));
  return residual(mirrored, detected, template) < residual(direct, detected, template) ? mirrored : direct;
}

/**
 * Bilinear warp: output pixel (x, y) samples the source at `inverse(m)·(x, y)`; taps outside the source are black
 * (cv2 `BORDER_CONSTANT`, value 0). Works for any channel count.
 */
export function warpAffine(image: Image, m: Affine, width: number, height: number): Image {
  const out = createImage(width, height, image.channels);
  const inv = invertAffine(m);
  const { width: w, height: h, channels: ch, data } = image;
  const acc = new Float64Array(ch);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = inv[0] * x + inv[1] * y + inv[2];
      const sy = inv[3] * x + inv[4] * y + inv[5];
      const x0 = Math.floor(sx), y0 = Math.floor(sy);
      if (x0 < -1 || y0 < -1 || x0 >= w || y0 >= h) continue;
      const fx = sx - x0, fy = sy - y0;
      acc.fill(0);
      for (let k = 0; k < 4; k++) {
        const xi = x0 + (k & 1), yi = y0 + (k >> 1);
        if (xi < 0 || yi < 0 || xi >= w || yi >= h) continue;
        const weight = (k & 1 ? fx : 1 - fx) * (k >> 1 ? fy : 1 - fy);
        const base = (yi * w + xi) * ch;
        for (let c = 0; c < ch; c++) acc[c] += weight * data[base + c];
      }
      const o = (y * width + x) * ch;
      for (let c = 0; c < ch; c++) out.data[o + c] = Math.round(acc[c]);
    }
  }
  return out;
}

/** How the similarity transform is estimated. */
export type AlignMethod = "umeyama" | "cp2tform";

/** Options of {@link alignFace}. */
export interface AlignOptions {
  /** Output size (square); the template is scaled by size / 112. Default 112. */
  size?: CropSize;
  /** Default "umeyama" (insightface); "cp2tform" is face.evoLVe's fit, reflective by default. */
  method?: AlignMethod;
  /** Only for "cp2tform": also try the mirrored fit. Default true. */
  reflective?: boolean;
}

/** The transform from detected landmarks to the template of the chosen size. */
export function alignmentTransform(landmarks: Landmarks, options: AlignOptions = {}): Affine {
  const template = templateFor(options.size ?? 112);
  return (options.method ?? "umeyama") === "umeyama"
    ? umeyama(landmarks, template)
    : cp2tform(landmarks, template, options.reflective ?? true);
}

/** Aligns a face: estimates the similarity to the template and warps to a size×size crop. */
export function alignFace(image: Image, landmarks: Landmarks, options: AlignOptions = {}): Image {
  const size = options.size ?? 112;
  return warpAffine(image, alignmentTransform(landmarks, options), size, size);
}
