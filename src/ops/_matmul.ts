/**
 * Shape rule and gradient shared by `matmul` (2-D) and `batched_matmul` (rank 3, one product per batch entry): the
 * transpose flags let the backward pass multiply without explicit transposes.
 * @module
 */
import { assertRank, formatShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectDType, expectInputCount, type OutputSpec } from "./op.ts";

/** Transpose flags of a matrix product. */
export interface TransposeFlags {
  /** use Aᵀ (per batch entry) */
  transposeA: boolean;
  /** use Bᵀ (per batch entry) */
  transposeB: boolean;
}

/** A product op(a) · op(b) with the given transpose flags (matmul or batched_matmul). */
export type Product = (a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean) => Tensor;

/**
 * The output of op(A) · op(B) for two f32 operands of rank `batched ? 3 : 2` (leading batch axes equal):
 * [(batch,) M, N]; throws a ShapeError naming the operand whose axes disagree.
 */
export function productOutputs(
  op: string,
  inputs: readonly Tensor[],
  { transposeA, transposeB }: TransposeFlags,
  batched: boolean,
): OutputSpec[] {
  expectInputCount(op, inputs, 2);
  const [a, b] = inputs;
  expectDType(op, "a", a, "f32");
  expectDType(op, "b", b, "f32");
  const lead = batched ? "B, " : "";
  assertRank(op, "a", a.shape, batched ? 3 : 2, transposeA ? `[${lead}K, M]` : `[${lead}M, K]`);
  assertRank(op, "b", b.shape, batched ? 3 : 2, transposeB ? `[${lead}N, K]` : `[${lead}K, N]`);
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const [m, k] = transposeA ? [ac, ar] : [ar, ac];
  const [kb, n] = transposeB ? [bc, br] : [br, bc];
  const batch = a.shape.slice(0, -2);
  if (batched && b.shape[0] !== a.shape[0]) {
    throw new ShapeError(
      op,
      "b",
      `expected batch ${a.shape[0]} as a ${formatShape(a.shape)}, got ${formatShape(b.shape)}`,
    );
  }
  if (k !== kb) {
    throw new ShapeError(
      op,
      "b",
      `expected ${k} along its K axis to match a ${formatShape(a.shape)}${transposeA ? "ᵀ" : ""}, got ${
        formatShape(b.shape)
      }${transposeB ? "ᵀ" : ""}`,
    );
  }
  return [{ shape: [...batch, m, n], dtype: "f32" }];
}

/** dA and dB of C = op(A) · op(B) from dC, as products of the same kind (no explicit transposes). */
export function productGrads(product: Product, a: Tensor, b: Tensor, dc: Tensor, flags: TransposeFlags): Tensor[] {
  const { transposeA: ta, transposeB: tb } = flags;
  if (!ta && !tb) return [product(dc, b, false, true), product(a, dc, true, false)];
  if (!ta && tb) return [product(dc, b, false, false), product(dc, a, true, false)];
  if (ta && !tb) return [product(b, dc, false, true), product(a, dc, false, false)];
  return [product(b, dc, true, true), product(dc, a, true, true)];
}
