/**
 * Evaluation of a model on an evaluation set (a dataset's test split, a `.bin` file, a folder tree with pairs):
 * flip-fused embeddings of every image once, then 10-fold verification on the pairs, ROC/AUC, TAR@FAR and rank-1
 * identification on the gallery/probe split (none when the set has no identities). The pair distances are returned
 * with the metrics, for the report's statistics.
 * @module
 */
import type { Backend } from "../core/backend.ts";
import type { EvalSet } from "../data/dataset.ts";
import { evaluateDistances } from "../eval/evaluate.ts";
import { type Embeddings, extractEmbeddings } from "../eval/extract.ts";
import { rank1Identification } from "../eval/identification.ts";
import { pairDistances } from "../eval/verification.ts";
import type { Backbone } from "../models/backbones/backbone.ts";
import type { CellMetrics, Evaluation } from "../report/schema.ts";
import type { Preset } from "./presets.ts";

/** What evaluation needs of a set: its images, pairs and gallery/probe split (a `FaceDataset` has them too). */
export type EvalPairs = Pick<EvalSet, "test" | "pairs" | "gallery" | "probe">;

/** Test images as normalised floats, (x − 127.5) / 127.5, NHWC. */
export function normalizedTestImages(
  dataset: Pick<EvalSet, "test">,
): { images: Float32Array; shape: [number, number, number, 3] } {
  const { test } = dataset;
  const images = new Float32Array(test.images.length);
  for (let i = 0; i < images.length; i++) images[i] = (test.images[i] - 127.5) / 127.5;
  return { images, shape: [test.count, test.height, test.width, 3] };
}

/** Embeds every test image with `backbone` in eval mode (flip-fused when the preset says so). */
export async function embedTestSet(
  backend: Backend,
  backbone: Backbone,
  test: ReturnType<typeof normalizedTestImages>,
  preset: Pick<Preset, "train" | "eval">,
): Promise<Embeddings> {
  backbone.train(false);
  try {
    return await extractEmbeddings(backend, test.images, test.shape, (x) => backbone.forward(x), {
      batchSize: preset.train.batchSize,
      flip: preset.eval.flip,
    });
  } finally {
    backbone.train(true);
  }
}

/** The embeddings of the images at `indices`, in that order, packed. */
export function embeddingRows(e: Embeddings, indices: Int32Array | readonly number[]): Float32Array {
  const out = new Float32Array(indices.length * e.dim);
  indices.forEach((k, i) => out.set(e.data.subarray(k * e.dim, (k + 1) * e.dim), i * e.dim));
  return out;
}

/** Metrics of one evaluated model and its distance on every evaluation pair. */
export interface TestResult {
  /** verification and identification metrics */
  metrics: CellMetrics;
  /** squared distance of each pair, in pair order */
  distances: Float64Array;
}

/**
 * Every metric of a model from its test-set embeddings; rank-1 is null when the set has no gallery (a `.bin` file
 * carries no identities).
 */
export function testMetrics(dataset: EvalPairs, e: Embeddings, preset: Pick<Preset, "eval">): TestResult {
  const { pairs, test } = dataset;
  const distances = pairDistances(embeddingRows(e, pairs.left), embeddingRows(e, pairs.right), e.dim);
  const metrics = evaluateDistances(distances, Array.from(pairs.same, (s) => s === 1), {
    folds: preset.eval.folds,
    farTargets: preset.eval.farTargets,
  });
  const identification = dataset.gallery.length === 0 || dataset.probe.length === 0 ? null : rank1Identification(
    embeddingRows(e, dataset.gallery),
    dataset.gallery.map((i) => test.labels[i]),
    embeddingRows(e, dataset.probe),
    dataset.probe.map((i) => test.labels[i]),
    e.dim,
  );
  return {
    metrics: {
      accuracyMean: metrics.accuracyMean,
      accuracyStd: metrics.accuracyStd,
      threshold: metrics.threshold,
      auc: metrics.auc,
      tarAtFar: metrics.tarAtFar.map((t) => ({ far: t.far, tar: t.tar })),
      rank1: identification?.rank1 ?? null,
    },
    distances,
  };
}

/**
 * The report's description of the evaluation pairs: the test identity (or, without identities, the bootstrap unit)
 * of both images of each pair.
 */
export function evaluationOf(dataset: EvalPairs, preset: Pick<Preset, "eval">): Evaluation {
  const { pairs, test } = dataset;
  return {
    identities: test.numClasses,
    folds: preset.eval.folds,
    leftIdentity: Array.from(pairs.left, (i) => test.labels[i]),
    rightIdentity: Array.from(pairs.right, (i) => test.labels[i]),
    same: Array.from(pairs.same, (s) => (s === 1 ? 1 : 0)),
  };
}
