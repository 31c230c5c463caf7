/**
 * Closed-set identification: each probe embedding is matched to its nearest gallery embedding (squared
 * Euclidean distance, equivalent to cosine for L2-normalised embeddings; ties go to the lower gallery index).
 * @module
 */
import { rowCount, squaredDistance } from "./embeddings.ts";

/** Rank-1 result. */
export interface IdentificationResult {
  /** fraction of probes whose nearest gallery entry has the probe's label */
  rank1: number;
  /** probes identified correctly */
  correct: number;
  /** number of probes */
  total: number;
}

/** Rank-1 identification accuracy of `probe` against `gallery` (row-major `count × dim` matrices). */
export function rank1Identification(
  gallery: Float32Array,
  galleryLabels: ArrayLike<number>,
  probe: Float32Array,
  probeLabels: ArrayLike<number>,
  dim: number,
): IdentificationResult {
  const g = rowCount("rank1Identification: gallery", gallery, dim);
  const p = rowCount("rank1Identification: probe", probe, dim);
  if (g !== galleryLabels.length || p !== probeLabels.length) {
    throw new RangeError(
      `rank1Identification: gallery ${g} rows / ${galleryLabels.length} labels, probe ${p} rows / ` +
        `${probeLabels.length} labels; expected rows = labels`,
    );
  }
  if (g === 0 || p === 0) throw new RangeError(`rank1Identification: needs a non-empty gallery and probe set`);
  let correct = 0;
  for (let i = 0; i < p; i++) {
    let best = 0, bestDistance = Infinity;
    for (let j = 0; j < g; j++) {
      const d = squaredDistance(probe, i, gallery, j, dim);
      if (d < bestDistance) [best, bestDistance] = [j, d];
    }
    if (galleryLabels[best] === probeLabels[i]) correct++;
  }
  return { rank1: correct / p, correct, total: p };
}
