/**
 * The ORL (AT&T) faces at `<FACEBENCH_SHARED_DATA>/orl` as a real-face dataset: 40 identities × 10 grey 92×112
 * PGMs made 112×112 RGB. Given a landmark detector (the bench passes MTCNN), each image is aligned to the 5-point
 * template with {@link alignFace}; without one, or where no face is found, it is padded with 10 black columns each
 * side (the faces are centred and upright, but not aligned). Identities s1–s20 train, s21–s40 test; 600 pairs in
 * 10 identity-disjoint folds. Credit: Olivetti Research Laboratory; F. Samaria and A. Harter, IEEE WACV 1994.
 * @module
 */
import { Rng } from "../../core/rng.ts";
import { alignFace, type Landmarks } from "../align.ts";
import type { AlignmentStats, FaceDataset, FaceSet } from "../dataset.ts";
import { DataError } from "../errors.ts";
import { exists, joinPath, readBytes, sharedDataDir } from "../files.ts";
import { type Image, padToSquare } from "../image/image.ts";
import { decodePgm } from "../image/pgm.ts";
import { detectLandmarks, landmarkCachePath, type LandmarkDetector, type NamedImage } from "../landmarks.ts";
import { drawGalleryProbe, drawPairs } from "../pairs.ts";
import type { Progress } from "../../io/progress.ts";
import { FaceSetBuilder } from "./builder.ts";

/** Default location of the ORL images. */
export function orlDir(): string {
  return joinPath(sharedDataDir(), "orl");
}

/** Options of {@link loadOrl}. */
export interface OrlOptions {
  /** aligns every image from this detector's landmarks (default: none, every image is padded) */
  detector?: LandmarkDetector;
  /** landmark cache file (default `<cache>/landmarks/orl-<detector id>.json`; null: no cache) */
  cachePath?: string | null;
  /** progress of detection, in images */
  onProgress?: Progress;
}

/** The 400 grey images, named `s<id>/<n>.pgm`, identities in order. */
export async function readOrlImages(root = orlDir()): Promise<NamedImage[]> {
  const images: NamedImage[] = [];
  for (let id = 1; id <= 40; id++) {
    for (let n = 1; n <= 10; n++) {
      const name = `s${id}/${n}.pgm`, path = joinPath(root, name);
      images.push({ name, image: decodePgm(await readBytes(path), path) });
    }
  }
  return images;
}

/** The 112×112 face: aligned when landmarks were found, else padded. */
function faceOf(image: Image, landmarks: Landmarks | null): Image {
  return landmarks ? alignFace(image, landmarks) : padToSquare(image);
}

/** Packs images `from`..`to` (0-based, exclusive end; 10 per identity) into a set labelled by identity. */
function packSet(images: readonly NamedImage[], faces: readonly Image[], from: number, to: number): FaceSet {
  const builder = new FaceSetBuilder();
  for (let i = from; i < to; i++) builder.add(faces[i], images[i].name.split("/")[0], images[i].name);
  return builder.build();
}

/** Landmarks of every image from the detector (cached), with the alignment statistics. */
async function landmarksOf(
  images: readonly NamedImage[],
  options: OrlOptions,
): Promise<{ landmarks: (Landmarks | null)[]; stats?: AlignmentStats }> {
  const detector = options.detector;
  if (!detector) return { landmarks: images.map(() => null) };
  const cachePath = options.cachePath === undefined ? landmarkCachePath("orl", detector.id) : options.cachePath;
  const found = await detectLandmarks(images, detector, { cachePath, onProgress: options.onProgress });
  const fallbacks = images.filter((_, i) => found.landmarks[i] === null).map((i) => i.name);
  return {
    landmarks: found.landmarks,
    stats: {
      detector: detector.id,
      aligned: images.length - fallbacks.length,
      fallbacks,
      cached: found.cached,
      detectSeconds: found.detectSeconds,
    },
  };
}

/**
 * Loads ORL as a {@link FaceDataset}, aligned when `options.detector` is given (its statistics in `alignment`);
 * fails clearly when the data directory is absent.
 */
export async function loadOrl(root = orlDir(), options: OrlOptions = {}): Promise<FaceDataset> {
  if (!(await exists(joinPath(root, "s1")))) {
    throw new DataError(
      "load dataset",
      root,
      "ORL faces not found (expected s1..s40/*.pgm); set FACEBENCH_SHARED_DATA to the shared data directory",
    );
  }
  const images = await readOrlImages(root);
  const { landmarks, stats } = await landmarksOf(images, options);
  const faces = images.map(({ image }, i) => faceOf(image, landmarks[i]));
  const test = packSet(images, faces, 200, 400);
  return {
    id: "orl",
    train: packSet(images, faces, 0, 200),
    test,
    pairs: drawPairs(test.labels, test.numClasses, 10, 60, new Rng(0, "orl/pairs")),
    ...drawGalleryProbe(test.labels, test.numClasses, new Rng(0, "orl/gallery")),
    ...(stats ? { alignment: stats } : {}),
  };
}
