/**
 * ROC curve, AUC and TAR at a fixed FAR for distance scores ("same" when the distance is small).
 *
 * The curve is exact: one operating point per distinct distance d, accepting every pair with distance ≤ d,
 * from (FAR 0, TAR 0) to (1, 1). TAR at FAR f is the highest TAR among points whose FAR does not exceed f
 * (no interpolation), so with fewer than 1/f negative pairs it is the TAR at FAR 0.
 *
 * Pairs may carry non-negative weights (the identity-cluster bootstrap of `bootstrap.ts` does): FAR and TAR are then
 * weighted fractions of the different and same pairs accepted, distances whose pairs all weigh 0 give no operating
 * point, and the trapezoid AUC equals the weighted Mann–Whitney statistic (ties count one half). With unit weights
 * every number is the unweighted one, bit for bit.
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

/** Options of {@link rocCurve}. */
export interface RocOptions {
  /**
   * Non-negative weight of each pair (default 1 each): FAR and TAR become weighted fractions of the different and
   * same pairs accepted. Unit weights give exactly the unweighted curve.
   */
  weights?: ArrayLike<number>;
  /** Pair indices by ascending distance, from {@link distanceOrder} (pass it to sort once for many weightings). */
  order?: Int32Array;
}

/** Pair indices sorted by ascending distance (stable); throws on a NaN distance. */
export function distanceOrder(distances: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({ length: distances.length }, (_, i) => i);
  const bad = order.find((i) => Number.isNaN(distances[i]));
  if (bad !== undefined) throw new RangeError(`distanceOrder: distance ${bad} is NaN`);
  return order.sort((a, b) => distances[a] - distances[b]);
}

/** Builds the exact ROC curve from pair distances and same/different labels (both classes must be present). */
export function rocCurve(distances: ArrayLike<number>, issame: readonly boolean[], options: RocOptions = {}): RocCurve {
  const n = distances.length;
  if (issame.length !== n) throw new RangeError(`rocCurve: ${n} distances but ${issame.length} labels; expected equal`);
  const { weights } = options;
  if (weights && weights.length !== n) {
    throw new RangeError(`rocCurve: ${n} distances but ${weights.length} weights; expected equal`);
  }
  const order = options.order ?? distanceOrder(distances);
  if (order.length !== n) {
    throw new RangeError(`rocCurve: ${n} distances but an order of ${order.length}; expected equal`);
  }
  let positives = 0, negatives = 0;
  for (let i = 0; i < n; i++) {
    if (issame[i]) positives += weights ? weights[i] : 1;
    else negatives += weights ? weights[i] : 1;
  }
  if (!(positives > 0 && negatives > 0)) {
    const kind = weights ? " (weighted)" : "";
    throw new RangeError(
      `rocCurve: needs same and different pairs, got ${positives} same and ${negatives} different${kind}`,
    );
  }
  const curve: RocCurve = { far: [0], tar: [0], threshold: [-Infinity] };
  let tp = 0, fp = 0, group = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const w = weights ? weights[i] : 1;
    if (issame[i]) tp += w;
    else fp += w;
    group += w;
    if ((k + 1 < n && distances[order[k + 1]] === distances[i]) || group === 0) continue;
    group = 0;
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
