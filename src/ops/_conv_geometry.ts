/**
 * Output-size rules for convolution and pooling windows (PyTorch conventions, including ceil mode).
 * @module
 */
import type { Conv2dAttrs, Pool2dAttrs } from "../core/kernels.ts";
import { ShapeError } from "../core/shape.ts";

/** Convolution output size along one axis. */
export function convOutSize(op: string, size: number, kernel: number, stride: number, pad: number, dilation: number) {
  const out = Math.floor((size + 2 * pad - dilation * (kernel - 1) - 1) / stride) + 1;
  if (out <= 0) {
    throw new ShapeError(
      op,
      "x",
      `input size ${size} is too small for kernel ${kernel} (dilation ${dilation}, pad ${pad})`,
    );
  }
  return out;
}

/** Pooling output size along one axis; ceil mode drops a last window that would start in the padding. */
export function poolOutSize(op: string, size: number, kernel: number, stride: number, pad: number, ceil: boolean) {
  if (pad * 2 > kernel) throw new ShapeError(op, "padding", `must be at most half the kernel (${kernel}), got ${pad}`);
  const span = size + 2 * pad - kernel;
  let out = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceil && (out - 1) * stride >= size + pad) out--;
  if (out <= 0) throw new ShapeError(op, "x", `input size ${size} is too small for window ${kernel}`);
  return out;
}

/** Checks conv attributes are positive integers. */
export function validateConvAttrs(op: string, a: Conv2dAttrs): void {
  const ok = [...a.strides, ...a.dilations, a.groups].every((v) => Number.isInteger(v) && v >= 1) &&
    a.padding.every((v) => Number.isInteger(v) && v >= 0);
  if (!ok) {
    throw new ShapeError(
      op,
      "attrs",
      `expected positive strides/dilations/groups and padding ≥ 0, got ${JSON.stringify(a)}`,
    );
  }
}

/** Checks pool attributes are positive integers. */
export function validatePoolAttrs(op: string, a: Pool2dAttrs): void {
  const ok = [...a.kernel, ...a.strides].every((v) => Number.isInteger(v) && v >= 1) &&
    a.padding.every((v) => Number.isInteger(v) && v >= 0);
  if (!ok) {
    throw new ShapeError(op, "attrs", `expected positive kernel/strides and padding ≥ 0, got ${JSON.stringify(a)}`);
  }
}
