/**
 * Pair distances as report text: little-endian float64 values in base64, exact and about half the size of
 * decimal JSON numbers.
 * @module
 */

/** Encodes distances as base64 of their little-endian float64 bytes. */
export function encodeDistances(values: ArrayLike<number>): string {
  const view = new DataView(new ArrayBuffer(values.length * 8));
  for (let i = 0; i < values.length; i++) view.setFloat64(8 * i, values[i], true);
  const bytes = new Uint8Array(view.buffer);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Decodes {@link encodeDistances}; `what` names the row in errors, `count` is the expected number of pairs. */
export function decodeDistances(text: string, count: number, what: string): Float64Array {
  const binary = atob(text);
  if (binary.length !== count * 8) {
    throw new RangeError(`${what}: distances hold ${binary.length / 8} values, the evaluation has ${count} pairs`);
  }
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) view.setUint8(i, binary.charCodeAt(i));
  return Float64Array.from({ length: count }, (_, i) => view.getFloat64(8 * i, true));
}
