/**
 * ROC curve, AUC and TAR at a fixed FAR for distance scores ("same" when the distance is small).
 *
 * The curve is exact: one operating point per distinct distance d, accepting every pair with distance ≤ d,
 * from (FAR 0, TAR 0) to (1, 1). TAR at FAR f is the highest TAR among points whose FAR does not exceed f
 * (no interpolation), so with fewer than 1/f negative pairs it is the TAR at FAR 0.
 * @module
 */

/** A ROC curve: parallel arrays, FAR ascending. */
export interface RocCurve {
  /** false accept rate of each operating point */
  far: number[];
  /** true accept rate of each operating point */
  tar: number[];
  /** largest accepted distance of each point (-Infinity for the first point, which accepts nothing) */
  threshold: number[];
}

/** TAR at one FAR target. */
export interface TarAtFar {
  /** target false accept rate */
  far: number;
  /** best true accept rate with FAR ≤ target */
  tar: number;
  /** largest accepted distance at that point */
  threshold: number;
}

/** Builds the exact ROC curve from pair distances and same/different labels (both classes must be present). */
export function rocCurve(distances: ArrayLike<number>, issame: readonly boolean[]): RocCurve {
  if (issame.length !== distances.length) {
    throw new RangeError(`rocCurve: ${distances.length} distances but ${issame.length} labels; expected equal`);
  }
  const positives = issame.filter(Boolean).length;
  const negatives = issame.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new RangeError(`rocCurve: needs same and different pairs, got ${positives} same and ${negatives} different`);
  }
  const order = Array.from({ length: distances.length }, (_, i) => i);
  const bad = order.find((i) => Number.isNaN(distances[i]));
  if (bad !== undefined) throw new RangeError(`rocCurve: distance ${bad} is NaN`);
  order.sort((a, b) => distances[a] - distances[b]);
  const curve: RocCurve = { far: [0], tar: [0], threshold: [-Infinity] };
  let tp = 0, fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (issame[i]) tp++;
    else fp++;
    if (k + 1 < order.length && distances[order[k + 1]] === distances[i]) continue;
    curve.far.push(fp / negatives);
    curve.tar.push(tp / positives);
    curve.threshold.push(distances[i]);
  }
  return curve;
}

/** Area under the ROC curve (trapezoid rule over the exact curve; ties count one half, as in sklearn). */
export function rocAuc(curve: RocCurve): number {
  let area = 0;
  for (let i = 1; i < curve.far.length; i++) {
    area += (curve.far[i] - curve.far[i - 1]) * (curve.tar[i] + curve.tar[i - 1]) / 2;
  }
  return area;
}

/** TAR at each FAR target (default 1e-3 and 1e-2). */
export function tarAtFar(curve: RocCurve, targets: readonly number[] = [1e-3, 1e-2]): TarAtFar[] {
  return targets.map((far) => {
    let best = 0;
    while (best + 1 < curve.far.length && curve.far[best + 1] <= far) best++;
    return { far, tar: curve.tar[best], threshold: curve.threshold[best] };
  });
}
