/**
 * The reference rows of every report, evaluated on the same pairs as the cells: raw pixels (a fixed
 * downsampling, no learning) and each backbone untrained (built with the cell's init seed, never trained). A
 * trained cell that does not beat them has not learned anything the test can see.
 * @module
 */
import type { Backend } from "../core/backend.ts";
import { fuseFlip, l2NormalizeRows } from "../eval/embeddings.ts";
import type { Embeddings } from "../eval/extract.ts";
import type { Reference } from "../report/schema.ts";
import { type BenchEvalSet, evaluateOnSets, referenceRow } from "./eval_sets.ts";
import { type EvalPairs, testMetrics } from "./evaluate_model.ts";
import { seededBackbone } from "./model_options.ts";
import type { Preset } from "./presets.ts";

/** Side of the raw-pixel grid. */
export const RAW_PIXEL_GRID = 28;

/**
 * Raw-pixel embeddings: each test image to grey (0.299 R + 0.587 G + 0.114 B), averaged over square blocks to a
 * 28 × 28 grid (4 × 4 blocks at 112 × 112), its mean subtracted, L2-normalised; with `flip`, the mirrored grid is
 * added before normalising, as flip fusion does for models.
 */
export function rawPixelEmbeddings(dataset: Pick<EvalPairs, "test">, flip: boolean): Embeddings {
  const { test } = dataset;
  const g = RAW_PIXEL_GRID, block = test.width / g;
  if (test.width !== test.height || !Number.isInteger(block)) {
    throw new RangeError(
      `raw pixels: test images must be square multiples of ${g} px, got ${test.width}×${test.height}`,
    );
  }
  const dim = g * g, plain = new Float32Array(test.count * dim), mirrored = new Float32Array(test.count * dim);
  for (let n = 0; n < test.count; n++) {
    const grid = new Float64Array(dim);
    for (let y = 0; y < test.height; y++) {
      for (let x = 0; x < test.width; x++) {
        const p = ((n * test.height + y) * test.width + x) * 3;
        const grey = 0.299 * test.images[p] + 0.587 * test.images[p + 1] + 0.114 * test.images[p + 2];
        grid[Math.floor(y / block) * g + Math.floor(x / block)] += grey / (block * block);
      }
    }
    const mean = grid.reduce((s, v) => s + v, 0) / dim;
    for (let k = 0; k < dim; k++) {
      const [row, col] = [Math.floor(k / g), k % g];
      plain[n * dim + k] = grid[k] - mean;
      mirrored[n * dim + row * g + (g - 1 - col)] = grid[k] - mean;
    }
  }
  return { data: flip ? fuseFlip(plain, mirrored, dim) : l2NormalizeRows(plain, dim), dim };
}

/** The raw-pixel reference row on every set of the run (the first is the primary). */
export function rawPixelReference(sets: readonly BenchEvalSet[], preset: Pick<Preset, "eval">): Reference {
  const results = sets.map((s) => testMetrics(s.set, rawPixelEmbeddings(s.set, preset.eval.flip), preset));
  return referenceRow("raw_pixels", null, null, results);
}

/** The untrained reference row of backbone `name` initialised with `seed` (the init stream of its cells). */
export async function untrainedReference(
  backend: Backend,
  sets: readonly BenchEvalSet[],
  preset: Pick<Preset, "train" | "eval" | "backboneOptions">,
  name: string,
  seed: number,
): Promise<Reference> {
  const backbone = seededBackbone(backend, preset, name, seed);
  try {
    const { results } = await evaluateOnSets(backend, backbone, sets, preset);
    return referenceRow("untrained", name, seed, results);
  } finally {
    backbone.dispose();
  }
}
