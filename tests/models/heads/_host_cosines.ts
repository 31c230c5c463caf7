/** Host-side cosines for head tests: the margin-free reference the heads' logits are checked against. */

/** Cosines [n·c] of the rows of `x` [n, d] with the rows of `w` [c, d], computed on the host in float64. */
export function hostCosines(x: ArrayLike<number>, w: ArrayLike<number>, n: number, d: number, c: number): Float64Array {
  const out = new Float64Array(n * c);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < c; j++) {
      let dot = 0, nx = 0, nw = 0;
      for (let k = 0; k < d; k++) {
        dot += x[i * d + k] * w[j * d + k];
        nx += x[i * d + k] ** 2;
        nw += w[j * d + k] ** 2;
      }
      out[i * c + j] = dot / Math.sqrt(nx * nw);
    }
  }
  return out;
}
