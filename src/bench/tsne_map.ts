/**
 * The report's t-SNE map (the seed's Fig. 3): one chosen cell's final, flip-fused embeddings of the images of the
 * first identities of one evaluation set, mapped to 2-D with the project's exact t-SNE (`src/eval/tsne.ts`), seeded
 * by the cell's seed so the map is reproducible. Only sets with identities can be mapped (a `.bin` file has none).
 * @module
 */
import type { CellStage, Tsne } from "../report/schema.ts";
import { cellKey } from "../report/statistics.ts";
import { tsne } from "../eval/tsne.ts";
import type { BenchEvalSet, SetResults } from "./eval_sets.ts";
import { embeddingRows } from "./evaluate_model.ts";

/** Which cell is mapped, and how. */
export interface TsneRequest {
  /** backbone registry name */
  backbone: string;
  /** head registry name */
  head: string;
  /** the cell's stage */
  stage: CellStage;
  /** the training seed whose model is mapped (the run's first seed) */
  seed: number;
  /** index of the evaluation set among the run's sets */
  evalSet: number;
  /** identities 0 … identities − 1 of that set are mapped, all their images */
  identities: number;
  /** t-SNE perplexity */
  perplexity: number;
  /** t-SNE iterations */
  iterations: number;
}

/** Indices of the images of identities 0 … `identities` − 1, in set order. */
export function firstIdentityImages(labels: Int32Array, identities: number): number[] {
  return [...labels.keys()].filter((i) => labels[i] < identities);
}

/** Whether `request` names this cell and seed. */
export function wantsTsne(
  request: TsneRequest,
  cell: { backbone: string; head: string; stage: CellStage },
  seed: number,
): boolean {
  return request.backbone === cell.backbone && request.head === cell.head && request.stage === cell.stage &&
    request.seed === seed;
}

/** The t-SNE map of the requested set's first identities from a cell's final embeddings on every set. */
export function tsneOfCell(request: TsneRequest, sets: readonly BenchEvalSet[], final: SetResults): Tsne {
  const { set } = sets[request.evalSet];
  const embeddings = final.embeddings[request.evalSet];
  const { labels } = set.test;
  const picked = firstIdentityImages(labels, request.identities);
  const map = tsne(embeddingRows(embeddings, picked), picked.length, embeddings.dim, {
    perplexity: request.perplexity,
    iterations: request.iterations,
    seed: request.seed,
  });
  return {
    cell: cellKey(request),
    seed: request.seed,
    evalSet: set.name,
    perplexity: map.perplexity,
    iterations: request.iterations,
    points: picked.map((k, i) => ({
      x: map.embedding[2 * i],
      y: map.embedding[2 * i + 1],
      identity: labels[k],
    })),
  };
}
