/**
 * Datasets as the bench uses them: `loadDataset` with the detector the data layer lacks (ORL is aligned with MTCNN
 * landmarks, cached under the cache directory), and the dataset hash that reports carry.
 * @module
 */
import { sha256Hex } from "../core/sha256.ts";
import { describeAlignment, type FaceDataset } from "../data/dataset.ts";
import { removeLowShot } from "../data/sampler.ts";
import { loadDataset } from "../data/datasets.ts";
import type { Progress } from "../io/progress.ts";
import { readManifest } from "../data/synth_cache.ts";
import { SYNTH_DATASETS } from "../data/synthface.ts";
import { MtcnnLandmarkDetector } from "./mtcnn_landmarks.ts";

/** Options of {@link loadBenchDataset}. */
export interface BenchDatasetOptions {
  /** progress of long loading work (rendering a synthetic split, detecting faces), by label */
  onProgress?: (label: string) => Progress;
  /** receives one line per notable fact (ORL's alignment statistics) */
  log?: (line: string) => void;
}

/** Loads dataset `id`; ORL is aligned from MTCNN landmarks (WASM backend, one thread) and its statistics logged. */
export async function loadBenchDataset(id: string, options: BenchDatasetOptions = {}): Promise<FaceDataset> {
  const detector = new MtcnnLandmarkDetector();
  try {
    const dataset = await loadDataset(id, {
      onProgress: options.onProgress && ((split) => options.onProgress!(`${id}/${split}`)),
      orl: { detector, onProgress: options.onProgress?.(`${id}: detecting faces`) },
    });
    if (dataset.alignment) options.log?.(describeAlignment(dataset.id, dataset.alignment));
    return dataset;
  } finally {
    await detector.close();
  }
}

/**
 * The dataset's identity for reports: SHA-256 of "<train pixels SHA-256>\n<test pixels SHA-256>\n" (taken from
 * the committed manifest for the synthetic sets, computed from the pixels otherwise).
 */
export async function datasetHash(dataset: FaceDataset): Promise<string> {
  const [train, test] = dataset.id in SYNTH_DATASETS
    ? await readManifest(dataset.id).then((m) => [m.train.sha256, m.test.sha256])
    : await Promise.all([sha256Hex(dataset.train.images), sha256Hex(dataset.test.images)]);
  return await sha256Hex(new TextEncoder().encode(`${train}\n${test}\n`));
}

/**
 * The dataset with every training identity of `numMin` images or fewer removed (face.evoLVe's remove_lowshot) and
 * the rest renumbered; the test split is untouched. Returns the dataset itself when nothing is removed.
 */
export function withoutLowShot(dataset: FaceDataset, numMin: number): FaceDataset {
  const cleaned = removeLowShot(dataset.train.labels, numMin);
  if (cleaned.keep.length === dataset.train.count) return dataset;
  if (cleaned.numClasses < 2) {
    throw new Error(`data.numMin ${numMin} leaves ${cleaned.numClasses} training identities of ${dataset.id}`);
  }
  const { train } = dataset;
  const per = train.height * train.width * 3;
  const images = new Uint8Array(cleaned.keep.length * per);
  cleaned.keep.forEach((k, i) => images.set(train.images.subarray(k * per, (k + 1) * per), i * per));
  return {
    ...dataset,
    train: { ...train, images, labels: cleaned.labels, count: cleaned.keep.length, numClasses: cleaned.numClasses },
  };
}
