/**
 * Verification pairs and gallery/probe splits, drawn with a seeded stream. Folds are identity-disjoint (as LFW's):
 * fold f uses the f-th contiguous block of identities; each fold lists its positive pairs, then its negatives.
 * @module
 */
import type { Rng } from "../core/rng.ts";
import { indicesByLabel, type PairList } from "./dataset.ts";

/** Draws `folds × perFold` pairs (half same, half different) over images with these labels. */
export function drawPairs(labels: Int32Array, numClasses: number, folds: number, perFold: number, rng: Rng): PairList {
  if (perFold % 2 !== 0) throw new RangeError(`drawPairs: perFold must be even, got ${perFold}`);
  if (numClasses < 2 * folds) {
    throw new RangeError(
      `drawPairs: ${folds} identity-disjoint folds need at least ${2 * folds} identities, got ${numClasses}`,
    );
  }
  const groups = indicesByLabel(labels, numClasses);
  const total = folds * perFold;
  const out: PairList = {
    left: new Int32Array(total),
    right: new Int32Array(total),
    same: new Uint8Array(total),
    fold: new Int32Array(total),
    folds,
  };
  let k = 0;
  for (let f = 0; f < folds; f++) {
    const first = Math.floor((f * numClasses) / folds), last = Math.floor(((f + 1) * numClasses) / folds);
    const ids = Array.from({ length: last - first }, (_, i) => first + i);
    const present = ids.filter((id) => groups[id].length >= 1);
    const multi = ids.filter((id) => groups[id].length >= 2);
    if (present.length < 2) throw new RangeError(`drawPairs: fold ${f} has fewer than 2 identities with images`);
    const available = multi.reduce((sum, id) => sum + (groups[id].length * (groups[id].length - 1)) / 2, 0);
    if (available < perFold / 2) {
      throw new RangeError(
        `drawPairs: fold ${f} has only ${available} distinct same-identity pairs, needs ${perFold / 2}`,
      );
    }
    const seen = new Set<string>();
    for (let same = 1; same >= 0; same--) {
      for (let n = 0; n < perFold / 2;) {
        let a: number, b: number;
        if (same) {
          const g = groups[multi[rng.int(multi.length)]];
          a = g[rng.int(g.length)], b = g[rng.int(g.length)];
        } else {
          const gi = groups[present[rng.int(present.length)]], gj = groups[present[rng.int(present.length)]];
          if (gi === gj) continue;
          a = gi[rng.int(gi.length)], b = gj[rng.int(gj.length)];
        }
        const key = a < b ? `${a},${b}` : `${b},${a}`;
        if (a === b || seen.has(key)) continue;
        seen.add(key);
        out.left[k] = Math.min(a, b), out.right[k] = Math.max(a, b), out.same[k] = same, out.fold[k] = f;
        k++, n++;
      }
    }
  }
  return out;
}

/** One random gallery image per identity; all other images are probes. */
export function drawGalleryProbe(
  labels: Int32Array,
  numClasses: number,
  rng: Rng,
): { gallery: Int32Array; probe: Int32Array } {
  const groups = indicesByLabel(labels, numClasses);
  const gallery = new Set(groups.filter((g) => g.length > 0).map((g) => g[rng.int(g.length)]));
  const probe = labels.map((_, i) => i).filter((i) => !gallery.has(i));
  return { gallery: Int32Array.from([...gallery].sort((a, b) => a - b)), probe };
}
