/**
 * `conv2d`: 2-D convolution, NHWC input, HWIO filter [KH, KW, C/groups, O], with stride, symmetric padding,
 * dilation and groups (depthwise when groups = C = O). No bias: add one with `add`.
 * @module
 */
import type { Conv2dAttrs } from "../core/kernels.ts";
import { assertRank, formatShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { convOutSize, validateConvAttrs } from "./_conv_geometry.ts";
import { conv2dGradInput } from "./conv2d_grad_input.ts";
import { conv2dGradWeight } from "./conv2d_grad_weight.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Output shape of a convolution; validates every argument. */
export function conv2dOutputShape(
  op: string,
  x: readonly number[],
  w: readonly number[],
  attrs: Conv2dAttrs,
): number[] {
  assertRank(op, "x", x, 4, "NHWC");
  assertRank(op, "w", w, 4, "HWIO");
  validateConvAttrs(op, attrs);
  const [n, h, wd, c] = x;
  const [kh, kw, ci, o] = w;
  const g = attrs.groups;
  if (c % g !== 0 || o % g !== 0) {
    throw new ShapeError(op, "groups", `${g} must divide input channels ${c} and output channels ${o}`);
  }
  if (ci !== c / g) {
    throw new ShapeError(
      op,
      "w",
      `expected shape [${kh}, ${kw}, ${c / g}, ${o}] (input channels ${c} / groups ${g}), got ${formatShape(w)}`,
    );
  }
  const oh = convOutSize(op, h, kh, attrs.strides[0], attrs.padding[0], attrs.dilations[0]);
  const ow = convOutSize(op, wd, kw, attrs.strides[1], attrs.padding[1], attrs.dilations[1]);
  return [n, oh, ow, o];
}

/** Shape rule and gradient of `conv2d`. */
export const conv2dSpec: OpSpec<"conv2d"> = {
  name: "conv2d",
  outputs(inputs, attrs) {
    expectInputCount("conv2d", inputs, 2);
    expectDType("conv2d", "x", inputs[0], "f32");
    expectDType("conv2d", "w", inputs[1], "f32");
    return [{ shape: conv2dOutputShape("conv2d", inputs[0].shape, inputs[1].shape, attrs), dtype: "f32" }];
  },
  grad: ({ inputs: [x, w], grads: [dy], attrs }) => [
    x.requiresGrad ? conv2dGradInput(dy!, w, x.shape, attrs) : null,
    w.requiresGrad ? conv2dGradWeight(x, dy!, w.shape, attrs) : null,
  ],
};

/** Options of {@link conv2d}; every field defaults to the identity geometry. */
export interface Conv2dOptions {
  /** stride, a number for both axes or [h, w] (default 1) */
  stride?: number | [number, number];
  /** symmetric zero padding (default 0) */
  padding?: number | [number, number];
  /** dilation (default 1) */
  dilation?: number | [number, number];
  /** channel groups (default 1) */
  groups?: number;
  /** the filter comes back unchanged call after call, as in an eval-mode layer (see {@link Conv2dAttrs}) */
  filterReused?: boolean;
}

function pair(v: number | [number, number] | undefined, fallback: number): [number, number] {
  if (v === undefined) return [fallback, fallback];
  return typeof v === "number" ? [v, v] : [v[0], v[1]];
}

/** Normalises {@link Conv2dOptions} into kernel attributes. */
export function conv2dAttrs(options: Conv2dOptions = {}): Conv2dAttrs {
  return {
    strides: pair(options.stride, 1),
    padding: pair(options.padding, 0),
    dilations: pair(options.dilation, 1),
    groups: options.groups ?? 1,
    ...(options.filterReused ? { filterReused: true } : {}),
  };
}

/** Convolves NHWC `x` with HWIO `w`. */
export function conv2d(x: Tensor, w: Tensor, options: Conv2dOptions = {}): Tensor {
  return runOp(conv2dSpec, [x, w], conv2dAttrs(options))[0];
}
