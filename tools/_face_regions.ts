/**
 * Regions of the 112×112 aligned face crop (the template's eyes at y ≈ 52, nose at y ≈ 72, mouth at y ≈ 92) and
 * greying them out; shared by the synthetic-vs-real tools (`synth_reliance.ts`, `synth_vs_real.ts`).
 * @module
 */

/** A set of aligned-crop pixels, as a predicate over (x, y). */
export type Region = (x: number, y: number) => boolean;

/** The axis-aligned box [x0, x1) × [y0, y1). */
export const box = (x0: number, y0: number, x1: number, y1: number): Region => (x, y) =>
  x >= x0 && x < x1 && y >= y0 && y < y1;

/** Named face regions of the 112×112 aligned crop (template eyes at y≈52, nose y≈72, mouth y≈92). */
export const NAMED_REGIONS: Readonly<Record<string, Region>> = {
  "border (x<14, x>=98 or y<14)": (x, y) => x < 14 || x >= 98 || y < 14,
  "hair / forehead (y<36)": box(0, 0, 112, 36),
  "brows (x 22-90, y 32-46)": box(22, 32, 90, 46),
  "eyes (x 22-90, y 42-62)": box(22, 42, 90, 62),
  "nose (x 42-70, y 58-84)": box(42, 58, 70, 84),
  "mouth (x 32-80, y 82-102)": box(32, 82, 80, 102),
  "cheeks (x<34 or x>=78, y 60-100)": (x, y) => (x < 34 || x >= 78) && y >= 60 && y < 100,
  "chin / neck (y>=100)": box(0, 100, 112, 112),
};

/** The 4×4 grid of 28×28 patches, named `r<row>c<col>` (row 0 at the top). */
export const GRID_REGIONS: Readonly<Record<string, Region>> = Object.fromEntries(
  Array.from({ length: 16 }, (_, k) => {
    const row = Math.floor(k / 4), col = k % 4;
    return [`r${row}c${col}`, box(col * 28, row * 28, col * 28 + 28, row * 28 + 28)];
  }),
);

/** Greys out `region` (value 128) of each crop. */
export function occlude(crops: readonly Uint8Array[], region: Region): Uint8Array[] {
  return crops.map((c) => {
    const out = c.slice();
    for (let y = 0; y < 112; y++) {
      for (let x = 0; x < 112; x++) if (region(x, y)) out.fill(128, (y * 112 + x) * 3, (y * 112 + x) * 3 + 3);
    }
    return out;
  });
}
