/**
 * Pooling option normalisation and output-shape rule shared by max and average pooling.
 * @module
 */
import type { Pool2dAttrs } from "../core/kernels.ts";
import { assertRank } from "../core/shape.ts";
import { poolOutSize, validatePoolAttrs } from "./_conv_geometry.ts";

/** Options of the 2-D pooling ops. */
export interface Pool2dOptions {
  /** window size, a number or [h, w] */
  kernel: number | [number, number];
  /** stride (default: the window size, as in PyTorch) */
  stride?: number | [number, number];
  /** symmetric padding (default 0) */
  padding?: number | [number, number];
  /** ceil mode (default false) */
  ceilMode?: boolean;
}

function pair(v: number | [number, number]): [number, number] {
  return typeof v === "number" ? [v, v] : [v[0], v[1]];
}

/** Normalises {@link Pool2dOptions} into kernel attributes. */
export function poolAttrs(options: Pool2dOptions): Pool2dAttrs {
  const kernel = pair(options.kernel);
  return {
    kernel,
    strides: options.stride === undefined ? kernel : pair(options.stride),
    padding: pair(options.padding ?? 0),
    ceilMode: options.ceilMode ?? false,
  };
}

/** Output shape [N, OH, OW, C] of a pooling window over NHWC `x`. */
export function poolOutputShape(op: string, x: readonly number[], attrs: Pool2dAttrs): number[] {
  assertRank(op, "x", x, 4, "NHWC");
  validatePoolAttrs(op, attrs);
  const oh = poolOutSize(op, x[1], attrs.kernel[0], attrs.strides[0], attrs.padding[0], attrs.ceilMode);
  const ow = poolOutSize(op, x[2], attrs.kernel[1], attrs.strides[1], attrs.padding[1], attrs.ceilMode);
  return [x[0], oh, ow, x[3]];
}
