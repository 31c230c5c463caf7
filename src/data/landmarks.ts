/**
 * Five-point landmarks from a detector that a higher layer supplies (dependency inversion: the data layer knows
 * nothing of models; the bench passes MTCNN), cached per dataset and detector as JSON under the cache directory,
 * keyed by image name and checked by the SHA-256 of the pixels, so repeated runs do not detect again. Each entry
 * also stores a SHA-256 over its detector, name, pixel hash and landmark values, verified on read: an entry whose
 * values were edited (or that predates the check) is detected again, and a line says so.
 * @module
 */
import { sha256Hex } from "../core/sha256.ts";
import type { Landmarks, Point } from "./align.ts";
import { cacheDir, cleanStaleTempFilesBeside, exists, joinPath, readBytes, writeTextAtomic } from "./files.ts";
import type { Image } from "./image/image.ts";
import type { Progress } from "../io/progress.ts";

/** Finds the five landmarks of the most confident face in an image. */
export interface LandmarkDetector {
  /** names the detector and its settings (part of the cache file name; change it when results change) */
  readonly id: string;
  /** the landmarks in template order (see `Landmarks`), or null when no face is found */
  detect(image: Image): Promise<Landmarks | null>;
}

/** An image with the name that keys it in the cache (e.g. its path below the dataset root). */
export interface NamedImage {
  /** unique name within the dataset */
  name: string;
  /** the pixels the detector sees */
  image: Image;
}

/** Landmarks of a list of images and where they came from. */
export interface LandmarkResults {
  /** per image, in input order; null where no face was found */
  landmarks: (Landmarks | null)[];
  /** how many came from the cache */
  cached: number;
  /** seconds spent detecting the others */
  detectSeconds: number;
}

/** Options of {@link detectLandmarks}. */
export interface DetectLandmarksOptions {
  /** cache file (default: none); read when present, written back atomically when anything was detected */
  cachePath?: string | null;
  /** progress of detection, in images */
  onProgress?: Progress;
  /** a line about cache entries that failed their check (default `console.warn`) */
  onWarning?: (line: string) => void;
}

/** Version of the cache file (2: entries carry `check`). */
const CACHE_VERSION = 2;

/** One cached result. */
interface CacheEntry {
  /** SHA-256 of the pixels */
  sha256: string;
  /** what the detector found */
  landmarks: Landmarks | null;
  /** {@link entryCheck} of the above */
  check: string;
}

/** SHA-256 binding an entry's values to its detector and image name. */
function entryCheck(detectorId: string, name: string, sha256: string, landmarks: Landmarks | null): Promise<string> {
  return sha256Hex(new TextEncoder().encode(JSON.stringify([detectorId, name, sha256, landmarks])));
}

/** Default cache file of a dataset's landmarks from one detector: `<cache>/landmarks/<dataset>-<detector>.json`. */
export function landmarkCachePath(dataset: string, detectorId: string, dir = cacheDir()): string {
  return joinPath(dir, "landmarks", `${dataset}-${detectorId}.json`);
}

function isLandmarks(value: unknown): value is Landmarks {
  return Array.isArray(value) && value.length === 5 &&
    value.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isFinite(v)));
}

/**
 * The cache's entries that pass their check, and the names of well-formed entries that do not; a missing,
 * unreadable or malformed file is an empty cache (it is rebuilt).
 */
async function readCache(
  path: string,
  detectorId: string,
): Promise<{ entries: Map<string, CacheEntry>; failed: string[] }> {
  const entries = new Map<string, CacheEntry>();
  const failed: string[] = [];
  if (!(await exists(path))) return { entries, failed };
  let images: Record<string, Partial<CacheEntry> | null>;
  try {
    images = JSON.parse(new TextDecoder().decode(await readBytes(path))).images ?? {};
  } catch {
    return { entries, failed };
  }
  for (const [name, e] of Object.entries(images)) {
    if (typeof e?.sha256 !== "string" || !(e.landmarks === null || isLandmarks(e.landmarks))) continue;
    const entry = { sha256: e.sha256, landmarks: e.landmarks, check: e.check };
    if (entry.check === (await entryCheck(detectorId, name, entry.sha256, entry.landmarks))) {
      entries.set(name, entry as CacheEntry);
    } else failed.push(name);
  }
  return { entries, failed };
}

/** Writes the entries (sorted by input order) as one JSON document. */
function writeCache(path: string, detectorId: string, names: readonly string[], entries: Map<string, CacheEntry>) {
  const images = Object.fromEntries(names.map((n) => [n, entries.get(n)]));
  return writeTextAtomic(path, JSON.stringify({ version: CACHE_VERSION, detector: detectorId, images }) + "\n");
}

/** The warning about entries that failed their check. */
function failedLine(path: string, failed: readonly string[]): string {
  const names = failed.slice(0, 5).join(", ") + (failed.length > 5 ? ", …" : "");
  return `landmark cache ${path}: ${failed.length} entr${failed.length === 1 ? "y fails its" : "ies fail their"} ` +
    `check (edited, or written by an older version): ${names}; detecting them again`;
}

/** Rounds a point for the cache (1e-4 px is far below what alignment can see; keeps the file small). */
function compact(landmarks: Landmarks | null): Landmarks | null {
  return landmarks && landmarks.map(([x, y]) => [+x.toFixed(4), +y.toFixed(4)] as Point) as unknown as Landmarks;
}

/**
 * Landmarks of every image: from the cache where the entry's pixel hash matches and its check passes, else from
 * `detector` (one image at a time, in order, so results do not depend on timing). Cached values are rounded to 1e-4 px, and freshly
 * detected ones are rounded the same way, so a run that detects and a run that reads the cache align identically.
 */
export async function detectLandmarks(
  images: readonly NamedImage[],
  detector: LandmarkDetector,
  options: DetectLandmarksOptions = {},
): Promise<LandmarkResults> {
  const path = options.cachePath ?? null;
  if (path) await cleanStaleTempFilesBeside(path);
  const { entries, failed } = path ? await readCache(path, detector.id) : { entries: new Map(), failed: [] };
  const wanted = new Set(images.map((i) => i.name));
  const relevant = failed.filter((name) => wanted.has(name));
  if (path && relevant.length > 0) (options.onWarning ?? console.warn)(failedLine(path, relevant));
  const hashes = await Promise.all(images.map(({ image }) => sha256Hex(image.data)));
  const missing = images.flatMap(({ name }, k) => entries.get(name)?.sha256 === hashes[k] ? [] : [k]);
  const start = performance.now();
  for (const [done, k] of missing.entries()) {
    const { name, image } = images[k];
    const landmarks = compact(await detector.detect(image));
    entries.set(name, {
      sha256: hashes[k],
      landmarks,
      check: await entryCheck(detector.id, name, hashes[k], landmarks),
    });
    options.onProgress?.(done + 1, missing.length);
  }
  const detectSeconds = (performance.now() - start) / 1000;
  if (path && missing.length > 0) await writeCache(path, detector.id, images.map((i) => i.name), entries);
  return {
    landmarks: images.map(({ name }) => entries.get(name)!.landmarks),
    cached: images.length - missing.length,
    detectSeconds,
  };
}
