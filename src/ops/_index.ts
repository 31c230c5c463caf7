/**
 * Validation shared by the indexing ops.
 * @module
 */
import { formatShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectDType } from "./op.ts";

/** Throws unless `idx` is an i32 vector of length `n`. */
export function expectIndexVector(op: string, idx: Tensor, n?: number): void {
  expectDType(op, "idx", idx, "i32");
  if (idx.rank !== 1 || (n !== undefined && idx.shape[0] !== n)) {
    throw new ShapeError(op, "idx", `expected shape [${n ?? "M"}], got ${formatShape(idx.shape)}`);
  }
}

/** Throws unless `x` has rank 2 ([N, C]). */
export function expectMatrix(op: string, arg: string, x: Tensor): void {
  if (x.rank !== 2) throw new ShapeError(op, arg, `expected rank 2 ([N, C]), got ${formatShape(x.shape)}`);
}
