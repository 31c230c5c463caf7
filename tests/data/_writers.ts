/**
 * Test-only builders of hostile files for the importers. The honest writers (RecordIO records and `.bin` pickles)
 * are the project's own, in `src/data/export/`.
 * @module
 */

/**
 * A hostile `.bin` pickle (protocol 4) whose `bins` list holds `2 * pairs` memo references (BINGET) to one stored
 * byte string: a few hundred bytes that name one image thousands of times.
 */
export function pickleSharedBin(image: Uint8Array, pairs: number): Uint8Array {
  const u32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
  const out: number[] = [0x80, 4, 0x5d, 0x94, 0x28, 0x42, ...u32(image.length), ...image, 0x94];
  for (let i = 1; i < 2 * pairs; i++) out.push(0x68, 1);
  out.push(0x65, 0x5d, 0x28, ...Array(pairs).fill(0x88), 0x65, 0x86, 0x2e);
  return Uint8Array.from(out);
}
