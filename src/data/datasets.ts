/**
 * Datasets by id, the entry point of the trainer and bench harness: a registry of loaders, filled with the
 * standard synthetic sets (`synthface-ci`, `synthface-v1`) and the real ORL faces (`orl`). Adding a source is one
 * entry here, not a branch in the callers.
 * @module
 */
import type { FaceDataset } from "./dataset.ts";
import { DataError } from "./errors.ts";
import { loadOrl, type OrlOptions } from "./importers/orl.ts";
import { loadSynthDataset, type SynthLoadOptions } from "./synth_cache.ts";
import { SYNTH_DATASETS } from "./synthface.ts";

/** Options of {@link loadDataset}: those of the synthetic sets, and ORL's (its landmark detector). */
export interface DatasetOptions extends SynthLoadOptions {
  /** options of ORL (`detector` aligns it; see `loadOrl`) */
  orl?: OrlOptions;
}

/** A registered dataset: how to load it and one line about it. */
export interface DatasetEntry {
  /** one line for listings */
  description: string;
  /** loads the dataset */
  load(options: DatasetOptions): Promise<FaceDataset>;
}

const DATASETS = new Map<string, DatasetEntry>([
  ...Object.values(SYNTH_DATASETS).map((spec) =>
    [spec.id, {
      description: spec.description,
      load: (options: DatasetOptions) => loadSynthDataset(spec.id, options),
    }] as const
  ),
  ["orl", {
    description: "ORL (AT&T) real faces from the shared data: 20 training ids, 20 test ids × 10, 600 pairs",
    load: (options: DatasetOptions) => loadOrl(undefined, options.orl),
  }],
]);

/** Ids accepted by {@link loadDataset}, in registration order. */
export function datasetIds(): string[] {
  return [...DATASETS.keys()];
}

/**
 * Loads a dataset by id; synthetic sets are generated into the cache on first use and verified by hash; ORL is
 * aligned when `options.orl.detector` is given (the data layer has no detector of its own).
 */
export function loadDataset(id: string, options: DatasetOptions = {}): Promise<FaceDataset> {
  const entry = DATASETS.get(id);
  if (!entry) return Promise.reject(new DataError("load dataset", id, `unknown id; known: ${datasetIds().join(", ")}`));
  return entry.load(options);
}
