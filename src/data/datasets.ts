/**
 * Datasets by id, the entry point of the trainer and bench harness: the standard synthetic sets
 * (`synthface-ci`, `synthface-v1`) and the real ORL faces (`orl`).
 * @module
 */
import type { FaceDataset } from "./dataset.ts";
import { DataError } from "./errors.ts";
import { loadOrl, type OrlOptions } from "./importers/orl.ts";
import { loadSynthDataset, type SynthLoadOptions } from "./synth_cache.ts";
import { SYNTH_DATASETS } from "./synthface.ts";

/** Ids accepted by {@link loadDataset}. */
export function datasetIds(): string[] {
  return [...Object.keys(SYNTH_DATASETS), "orl"];
}

/** Options of {@link loadDataset}: those of the synthetic sets, and ORL's (its landmark detector). */
export interface DatasetOptions extends SynthLoadOptions {
  /** options of ORL (`detector` aligns it; see `loadOrl`) */
  orl?: OrlOptions;
}

/**
 * Loads a dataset by id; synthetic sets are generated into the cache on first use and verified by hash; ORL is
 * aligned when `options.orl.detector` is given (the data layer has no detector of its own).
 */
export function loadDataset(id: string, options: DatasetOptions = {}): Promise<FaceDataset> {
  if (id === "orl") return loadOrl(undefined, options.orl);
  if (id in SYNTH_DATASETS) return loadSynthDataset(id, options);
  return Promise.reject(new DataError("load dataset", id, `unknown id; known: ${datasetIds().join(", ")}`));
}
