/**
 * Scale-factor normalisation shared by the nearest-neighbour upsampling op and its gradient.
 * @module
 */
import { ShapeError } from "../core/shape.ts";

/** Integer upsampling factors [h, w] from a number or a pair; throws naming `op` unless both are integers ≥ 1. */
export function upsampleScale(op: string, scale: number | readonly [number, number]): [number, number] {
  const pair: [number, number] = typeof scale === "number" ? [scale, scale] : [scale[0], scale[1]];
  if (!pair.every((s) => Number.isInteger(s) && s >= 1)) {
    throw new ShapeError(op, "scale", `expected integers >= 1, got [${pair.join(", ")}]`);
  }
  return pair;
}
