/**
 * Loads a standard synthetic dataset: reads its committed manifest, takes each split's pixels from the cache
 * directory (one raw NHWC blob per split) or renders them on first use, and verifies them against the manifest's
 * SHA-256 so every machine trains on identical bytes. Temporary files left by an interrupted cache write are removed
 * on load.
 * @module
 */
import type { FaceDataset } from "./dataset.ts";
import { DataError } from "./errors.ts";
import { cacheDir, cleanStaleTempFilesBeside, exists, joinPath, readBytes, writeBytesAtomic } from "./files.ts";
import { sha256Hex } from "../core/sha256.ts";
import { host } from "../io/host.ts";
import { identificationOf, type Manifest, pairsOf, parseManifestText } from "./manifest.ts";
import { consoleProgress, type Progress } from "../io/progress.ts";
import { faceSetOf, synthOptionsOf } from "./synthface.ts";
import { renderSplit } from "./synth/split.ts";

/** Path of the committed manifest of a dataset id. */
export function manifestPath(id: string): string {
  return host().repoFile(`fixtures/data/${id}.json`);
}

/** Reads and validates a committed manifest. */
export async function readManifest(id: string): Promise<Manifest> {
  const path = manifestPath(id);
  if (!(await exists(path))) throw new DataError("load dataset", id, `no manifest at ${path}`);
  return parseManifestText(new TextDecoder().decode(await readBytes(path)), path);
}

/** Path of a split's pixel blob in the cache (the hash prefix makes stale blobs harmless). */
export function splitCachePath(m: Manifest, split: "train" | "test", dir = cacheDir()): string {
  return joinPath(dir, "datasets", m.id, `${split}-${m[split].sha256.slice(0, 16)}.u8`);
}

/** Options of {@link loadSynthDataset}. */
export interface SynthLoadOptions {
  /** Cache directory (default: {@link cacheDir}). */
  cacheDir?: string;
  /** Rendering workers when a split must be generated (default: `navigator.hardwareConcurrency`). */
  workers?: number;
  /** Progress of generation, per split, in identities (default: lines on stderr). */
  onProgress?: (split: "train" | "test") => Progress;
}

/** The pixels of one split: from the cache when its hash matches, else rendered, verified and cached. */
async function splitPixels(m: Manifest, split: "train" | "test", options: SynthLoadOptions): Promise<Uint8Array> {
  const path = splitCachePath(m, split, options.cacheDir);
  const expected = m[split].images * m.image.height * m.image.width * 3;
  if (await exists(path)) {
    const cached = await readBytes(path);
    if (cached.length === expected && (await sha256Hex(cached)) === m[split].sha256) return cached;
  }
  const request = { options: synthOptionsOf(m), split, ...m[split] };
  const progress = options.onProgress?.(split) ?? consoleProgress(`${m.id} ${split}: rendering identities`);
  const pixels = await renderSplit(request, options.workers ?? navigator.hardwareConcurrency, progress);
  const hash = await sha256Hex(pixels);
  if (hash !== m[split].sha256) {
    throw new DataError(
      "generate",
      `${m.id}/${split}`,
      `pixel SHA-256 ${hash} differs from the manifest's ${m[split].sha256} (generator ${m.generator.version})`,
    );
  }
  await writeBytesAtomic(path, pixels);
  return pixels;
}

/** Loads `synthface-ci`, `synthface-v1`, … by id (generating into the cache on first use). */
export async function loadSynthDataset(id: string, options: SynthLoadOptions = {}): Promise<FaceDataset> {
  const m = await readManifest(id);
  synthOptionsOf(m); // throws when the manifest's generator version is not in this code
  await cleanStaleTempFilesBeside(splitCachePath(m, "train", options.cacheDir)); // both splits share the directory
  const size = m.image.height;
  return {
    id: m.id,
    train: faceSetOf(await splitPixels(m, "train", options), m.train, size),
    test: faceSetOf(await splitPixels(m, "test", options), m.test, size),
    pairs: pairsOf(m),
    ...identificationOf(m),
  };
}
