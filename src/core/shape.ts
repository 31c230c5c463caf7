/**
 * Shape utilities: sizes, strides, NumPy broadcasting and validation with readable errors.
 * @module
 */

/** A shape or argument error that names the op, the argument, and expected vs actual values. */
export class ShapeError extends Error {
  /** Creates an error; `op` and `arg` appear at the start of the message. */
  constructor(op: string, arg: string, message: string) {
    super(`${op}: argument "${arg}" ${message}`);
    this.name = "ShapeError";
  }
}

/** Formats a shape as `[2, 3]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** True when both shapes have the same rank and dimensions. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Checks that a shape is a list of non-negative integers; throws a {@link ShapeError} otherwise. */
export function assertValidShape(op: string, arg: string, shape: readonly number[]): void {
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ShapeError(op, arg, `expected non-negative integer dimensions, got ${formatShape(shape)}`);
  }
}

/** Result shape of broadcasting `a` with `b` (right-aligned, NumPy rules). */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        op,
        "b",
        `cannot broadcast shape ${formatShape(b)} with ${formatShape(a)} (axis ${i}: ${db} vs ${da})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides for reading an input of shape `inShape` while iterating `outShape` (right-aligned broadcast):
 * broadcast axes get stride 0.
 */
export function broadcastStrides(inShape: readonly number[], outShape: readonly number[]): number[] {
  const inStrides = stridesOf(inShape);
  const offset = outShape.length - inShape.length;
  return outShape.map((_, i) => {
    const j = i - offset;
    return j < 0 || inShape[j] === 1 ? 0 : inStrides[j];
  });
}

/** Normalises a possibly negative axis into [0, rank); throws naming the op when out of range. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new ShapeError(op, "axis", `expected an integer in [${-rank}, ${rank}), got ${axis}`);
  }
  return a;
}

/** Throws unless `shape` has exactly `rank` dimensions. */
export function assertRank(op: string, arg: string, shape: readonly number[], rank: number, layout: string): void {
  if (shape.length !== rank) {
    throw new ShapeError(op, arg, `expected rank ${rank} (${layout}), got shape ${formatShape(shape)}`);
  }
}
