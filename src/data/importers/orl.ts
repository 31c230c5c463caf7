/**
 * The ORL (AT&T) faces at `<FACEBENCH_SHARED_DATA>/orl` as a real-face dataset: 40 identities × 10 grey 92×112
 * PGMs, padded with 10 black columns each side to 112×112 RGB (the faces are centred and upright but not aligned
 * to the template). Identities s1–s20 train, s21–s40 test; 600 pairs in 10 identity-disjoint folds.
 * Credit: Olivetti Research Laboratory; F. Samaria and A. Harter, IEEE WACV 1994.
 * @module
 */
import { Rng } from "../../core/rng.ts";
import type { FaceDataset, FaceSet } from "../dataset.ts";
import { DataError } from "../errors.ts";
import { exists, joinPath, readBytes, sharedDataDir } from "../files.ts";
import { createImage, type Image } from "../image/image.ts";
import { decodePgm } from "../image/pgm.ts";
import { drawGalleryProbe, drawPairs } from "../pairs.ts";
import { FaceSetBuilder } from "./builder.ts";

/** Default location of the ORL images. */
export function orlDir(): string {
  return joinPath(sharedDataDir(), "orl");
}

/** Pads a grey image horizontally (black) to a square RGB image. */
export function padToSquare(image: Image): Image {
  const size = Math.max(image.width, image.height);
  const out = createImage(size, size, 3);
  const ox = Math.floor((size - image.width) / 2), oy = Math.floor((size - image.height) / 2);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const v = image.data[(y * image.width + x) * image.channels];
      out.data.fill(v, ((y + oy) * size + x + ox) * 3, ((y + oy) * size + x + ox) * 3 + 3);
    }
  }
  return out;
}

async function readIdentities(root: string, from: number, to: number): Promise<FaceSet> {
  const builder = new FaceSetBuilder();
  for (let id = from; id <= to; id++) {
    for (let n = 1; n <= 10; n++) {
      const path = joinPath(root, `s${id}`, `${n}.pgm`);
      builder.add(padToSquare(decodePgm(await readBytes(path), path)), id, path);
    }
  }
  return builder.build();
}

/** Loads ORL as a {@link FaceDataset}; fails clearly when the data directory is absent. */
export async function loadOrl(root = orlDir()): Promise<FaceDataset> {
  if (!(await exists(joinPath(root, "s1")))) {
    throw new DataError(
      "load dataset",
      root,
      "ORL faces not found (expected s1..s40/*.pgm); set FACEBENCH_SHARED_DATA to the shared data directory",
    );
  }
  const train = await readIdentities(root, 1, 20);
  const test = await readIdentities(root, 21, 40);
  return {
    id: "orl",
    train,
    test,
    pairs: drawPairs(test.labels, test.numClasses, 10, 60, new Rng(0, "orl/pairs")),
    ...drawGalleryProbe(test.labels, test.numClasses, new Rng(0, "orl/gallery")),
  };
}
