/**
 * The parity step of a backend comparison: every trained model (cell × seed, weights from each backend's run) is
 * loaded into a freshly built backbone (the preset's options) on every backend and embeds the primary evaluation
 * set, timed; its verification accuracy and k-fold pair decisions are kept for `parityRows`. Each backend is
 * created once for the step and destroyed after it. A failure is recorded in its entry's note.
 * @module
 */
import type { Backend } from "../core/backend.ts";
import { foldDecisions } from "../eval/verification.ts";
import { cellKey } from "../report/statistics.ts";
import { restoreTensors } from "../train/checkpoint.ts";
import type { NamedArray } from "../train/safetensors.ts";
import type { ParityEmbedding } from "./backend_comparison.ts";
import type { BenchEvalSet } from "./eval_sets.ts";
import { embedTestSet, testMetrics } from "./evaluate_model.ts";
import { backboneEntries, seededBackbone } from "./model_options.ts";
import type { MatrixCell, Preset } from "./presets.ts";

/** A backend of the parity step: its label and how to create it. */
export interface ParityBackend {
  /** label as in report rows */
  label: string;
  /** creates the backend (destroyed after the step) */
  create: () => Promise<Backend>;
}

/** The backbone weights a backend's run trained for a cell × seed, or why there are none. */
export type WeightsOf = (label: string, cell: MatrixCell, seed: number) => NamedArray[] | string;

/** What the parity step needs. */
export interface ParityInput {
  /** the backends, the reference first */
  backends: readonly ParityBackend[];
  cells: readonly MatrixCell[];
  seeds: readonly number[];
  weightsOf: WeightsOf;
  /** the primary evaluation set */
  evalSet: BenchEvalSet;
  preset: Preset;
  /** one line per embedding */
  log?: (line: string) => void;
}

const message = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** Embeds `evalSet` on `backend` with `weights` loaded into a fresh backbone of `cell`. */
async function embedWith(
  backend: Backend,
  input: ParityInput,
  cell: MatrixCell,
  seed: number,
  weights: NamedArray[],
): Promise<Pick<ParityEmbedding, "embeddings" | "accuracy" | "decisions" | "inferenceImagesPerSecond">> {
  const { preset, evalSet } = input;
  const backbone = seededBackbone(backend, preset, cell.backbone, seed);
  try {
    restoreTensors(backboneEntries(backbone), new Map(weights.map((w) => [w.name, w])), "trained weights");
    const started = performance.now();
    const embeddings = await embedTestSet(backend, backbone, evalSet.images, preset);
    const seconds = (performance.now() - started) / 1000;
    const forwards = evalSet.images.shape[0] * (preset.eval.flip ? 2 : 1);
    const { metrics, distances } = testMetrics(evalSet.set, embeddings, preset);
    const issame = Array.from(evalSet.set.pairs.same, (s) => s === 1);
    return {
      embeddings,
      accuracy: metrics.accuracyMean,
      decisions: foldDecisions(distances, issame, preset.eval.folds),
      inferenceImagesPerSecond: forwards / Math.max(seconds, 1e-9),
    };
  } finally {
    backbone.dispose();
  }
}

/** Every trained model embedded on every backend (runOn-major, then cell, seed, weightsFrom). */
export async function embedTrainedWeights(input: ParityInput): Promise<ParityEmbedding[]> {
  const out: ParityEmbedding[] = [];
  for (const on of input.backends) {
    let backend: Backend | null = null;
    let createError: string | null = null;
    try {
      backend = await on.create();
    } catch (error) {
      createError = `cannot create ${on.label}: ${message(error)}`;
    }
    try {
      for (const cell of input.cells) {
        for (const seed of input.seeds) {
          for (const from of input.backends) {
            const entry: ParityEmbedding = {
              cell: cellKey(cell),
              seed,
              weightsFrom: from.label,
              runOn: on.label,
              embeddings: null,
              accuracy: null,
              decisions: null,
              inferenceImagesPerSecond: null,
              note: createError,
            };
            const weights = input.weightsOf(from.label, cell, seed);
            if (typeof weights === "string") entry.note = weights;
            else if (backend) {
              try {
                Object.assign(entry, await embedWith(backend, input, cell, seed, weights));
              } catch (error) {
                entry.note = message(error);
              }
            }
            out.push(entry);
            input.log?.(
              `  parity ${entry.cell} s${seed}: weights from ${from.label} on ${on.label}: ` +
                (entry.note ?? `accuracy ${(100 * entry.accuracy!).toFixed(2)}%, ` +
                    `${entry.inferenceImagesPerSecond!.toFixed(1)} img/s`),
            );
          }
        }
      }
    } finally {
      backend?.destroy();
    }
  }
  return out;
}
