/**
 * The evaluation sets of a bench run (the seed's Table 3 columns): each set with its images normalised once and
 * its hash, embedding a model on every set, and the report's description of a set. The first set is the primary
 * one (its results are a row's `metrics`); the others are the report's further sets.
 * @module
 */
import type { Backend } from "../core/backend.ts";
import type { EvalSet } from "../data/dataset.ts";
import type { Embeddings } from "../eval/extract.ts";
import type { Backbone } from "../models/backbones/backbone.ts";
import { encodeDistances } from "../report/distances.ts";
import type { EvalSetInfo, FurtherEvalSet, Reference } from "../report/schema.ts";
import { embedTestSet, evaluationOf, normalizedTestImages, testMetrics, type TestResult } from "./evaluate_model.ts";
import type { Preset } from "./presets.ts";

/** An evaluation set prepared for a run. */
export interface BenchEvalSet {
  /** the set */
  set: EvalSet;
  /** its images as normalised floats, computed once */
  images: ReturnType<typeof normalizedTestImages>;
  /** SHA-256 of its pixels and pairs */
  hash: string;
}

/** Prepares `set` (normalises its images once). */
export function benchEvalSet(set: EvalSet, hash: string): BenchEvalSet {
  return { set, images: normalizedTestImages(set), hash };
}

/** One model's results on every set of a run, in order, with the embeddings they came from. */
export interface SetResults {
  /** metrics and pair distances per set */
  results: TestResult[];
  /** embeddings per set */
  embeddings: Embeddings[];
}

/** Embeds every set with `backbone` (eval mode, flip-fused when the preset says so) and scores it. */
export async function evaluateOnSets(
  backend: Backend,
  backbone: Backbone,
  sets: readonly BenchEvalSet[],
  preset: Pick<Preset, "train" | "eval">,
): Promise<SetResults> {
  const embeddings: Embeddings[] = [];
  for (const s of sets) embeddings.push(await embedTestSet(backend, backbone, s.images, preset));
  return { embeddings, results: sets.map((s, k) => testMetrics(s.set, embeddings[k], preset)) };
}

/** A reference row from its results on every set of the run (the first is the primary, the rest `evalSets`). */
export function referenceRow(
  kind: Reference["kind"],
  backbone: string | null,
  seed: number | null,
  results: readonly TestResult[],
): Reference {
  return {
    kind,
    backbone,
    seed,
    metrics: results[0].metrics,
    distances: encodeDistances(results[0].distances),
    evalSets: results.slice(1).map((r) => ({ metrics: r.metrics, distances: encodeDistances(r.distances) })),
  };
}

/** The report's description of a set. */
export function evalSetInfo(s: BenchEvalSet): EvalSetInfo {
  const { name, source, kind, identitiesKnown } = s.set;
  return { name, source, kind, hash: s.hash, identitiesKnown };
}

/** The report's further sets (every set but the primary), with their pairs. */
export function furtherEvalSets(sets: readonly BenchEvalSet[], preset: Pick<Preset, "eval">): FurtherEvalSet[] {
  return sets.slice(1).map((s) => ({ ...evalSetInfo(s), evaluation: evaluationOf(s.set, preset) }));
}
