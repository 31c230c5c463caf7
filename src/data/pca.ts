/**
 * RGB principal components of a set of images (AlexNet's "PCA lighting" basis): eigen-decomposition of the 3×3
 * covariance of pixel colours scaled to [0, 1], by cyclic Jacobi rotations.
 * @module
 */

/** Eigenvalues (descending) and unit eigenvectors (rows) of the RGB covariance. */
export interface RgbPca {
  /** Eigenvalues, largest first (variances in [0, 1]² units). */
  eigenvalues: [number, number, number];
  /** `eigenvectors[k]` is the RGB direction of eigenvalue k. */
  eigenvectors: [number, number, number][];
}

/** ImageNet's basis (from fb.resnet.torch), usable when no data is at hand. */
export const IMAGENET_PCA: RgbPca = {
  eigenvalues: [0.2175, 0.0188, 0.0045],
  eigenvectors: [[-0.5675, -0.5808, -0.5836], [0.7192, -0.0045, -0.6948], [0.4009, -0.814, 0.4203]],
};

/** Eigen-decomposition of a symmetric 3×3 matrix (row-major, 9 numbers). */
export function symmetricEigen3(matrix: readonly number[]): RgbPca {
  const a = [...matrix];
  const v = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = a[1] ** 2 + a[2] ** 2 + a[5] ** 2;
    if (off < 1e-30) break;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]]) {
      const apq = a[3 * p + q];
      if (Math.abs(apq) < 1e-300) continue;
      const theta = (a[3 * q + q] - a[3 * p + p]) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1), s = t * c;
      for (let k = 0; k < 3; k++) {
        const akp = a[3 * k + p], akq = a[3 * k + q];
        a[3 * k + p] = c * akp - s * akq, a[3 * k + q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[3 * p + k], aqk = a[3 * q + k];
        a[3 * p + k] = c * apk - s * aqk, a[3 * q + k] = s * apk + c * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const vkp = v[3 * k + p], vkq = v[3 * k + q];
        v[3 * k + p] = c * vkp - s * vkq, v[3 * k + q] = s * vkp + c * vkq;
      }
    }
  }
  const order = [0, 1, 2].sort((i, j) => a[4 * j] - a[4 * i]);
  return {
    eigenvalues: order.map((i) => a[4 * i]) as [number, number, number],
    eigenvectors: order.map((i) => [v[i], v[3 + i], v[6 + i]] as [number, number, number]),
  };
}

/** RGB PCA of packed RGB bytes, using every `stride`-th pixel. */
export function rgbPca(pixels: Uint8Array, stride = 7): RgbPca {
  const sum = [0, 0, 0], cross = new Array<number>(9).fill(0);
  let n = 0;
  for (let i = 0; i + 2 < pixels.length; i += 3 * stride) {
    const c = [pixels[i] / 255, pixels[i + 1] / 255, pixels[i + 2] / 255];
    for (let p = 0; p < 3; p++) {
      sum[p] += c[p];
      for (let q = 0; q < 3; q++) cross[3 * p + q] += c[p] * c[q];
    }
    n++;
  }
  if (n < 2) throw new RangeError("rgbPca: needs at least two pixels");
  const cov = cross.map((x, k) => x / n - (sum[Math.floor(k / 3)] / n) * (sum[k % 3] / n));
  return symmetricEigen3(cov);
}
