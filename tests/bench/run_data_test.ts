/** A run's data against its preset: own-data fields from the command line, and the t-SNE request's checks. */
import assert from "node:assert";
import { benchEvalSet } from "../../src/bench/eval_sets.ts";
import { applyFilters, loadPreset } from "../../src/bench/presets.ts";
import { dataProblems, loadRunData, type RunData, tsneRequest } from "../../src/bench/run_data.ts";
import type { EvalSet, FaceSet } from "../../src/data/dataset.ts";
import { trainingSetOf } from "../../src/data/dataset.ts";

/** A tiny set of `identities` × 2 grey 112 × 112 images (the tiny backbones' input side) with one same and one different pair per fold of 2 folds. */
function evalSet(name: string, kind: EvalSet["kind"], identities: number): EvalSet {
  const count = 2 * identities;
  const test: FaceSet = {
    images: new Uint8Array(count * 112 * 112 * 3).fill(100),
    labels: Int32Array.from({ length: count }, (_, i) => Math.floor(i / 2)),
    count,
    height: 112,
    width: 112,
    numClasses: identities,
  };
  const pairs = {
    left: Int32Array.of(0, 0, 2, 2),
    right: Int32Array.of(1, 2, 3, 4),
    same: Uint8Array.of(1, 0, 1, 0),
    fold: Int32Array.of(0, 0, 1, 1),
    folds: 2,
  };
  const known = kind !== "bin";
  const gallery = known ? Int32Array.from({ length: identities }, (_, k) => 2 * k) : new Int32Array(0);
  const probe = known ? Int32Array.from({ length: identities }, (_, k) => 2 * k + 1) : new Int32Array(0);
  return { name, source: name, kind, test, pairs, gallery, probe, identitiesKnown: known };
}

const data = (...sets: EvalSet[]): RunData => ({
  train: trainingSetOf(sets[0].test),
  trainId: "toy",
  evalSets: sets.map((s) => benchEvalSet(s, "0".repeat(64))),
  hash: "0".repeat(64),
  labelNoise: null,
});

Deno.test("own data on the command line: --train, --eval and --tsne replace the preset's fields", async () => {
  const preset = applyFilters(await loadPreset("own-data"), {
    trainSet: "faces/train.rec",
    evalSets: "lfw.bin, cfp_fp.bin,orl",
    tsne: "mobilefacenet_tiny/arcface@scratch",
  });
  assert.strictEqual(preset.trainSet, "faces/train.rec");
  assert.deepStrictEqual(preset.evalSets, ["lfw.bin", "cfp_fp.bin", "orl"]);
  assert.deepStrictEqual(preset.tsne, {
    backbone: "mobilefacenet_tiny",
    head: "arcface",
    stage: "scratch",
    evalSet: null,
    identities: 20,
    perplexity: 30,
    iterations: 1000,
  });
  assert.throws(
    () => applyFilters(preset, { tsne: "arcface" }),
    /--tsne: expected backbone\/head or backbone\/head@stage/,
  );
  assert.throws(() => applyFilters(preset, { tsne: "a/b@later" }), /got "a\/b@later"/);
});

Deno.test("tsneRequest: the first set with identities by default; a named set must exist and have enough identities", async () => {
  const preset = await loadPreset("own-data");
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const run = data(evalSet("lfw", "bin", 4), evalSet("orl", "dataset", 20));
  assert.deepStrictEqual(tsneRequest(preset, run, 7, log), { ...preset.tsne!, seed: 7, evalSet: 1 });
  assert.strictEqual(tsneRequest(preset, data(evalSet("lfw", "bin", 4)), 7, log), null);
  assert.match(lines.join("\n"), /no t-SNE map: none of the evaluation sets \(lfw\) has identities/);
  const named = (evalSet: string, identities = 20) => ({ ...preset, tsne: { ...preset.tsne!, evalSet, identities } });
  assert.throws(
    () => tsneRequest(named("agedb"), run, 7, log),
    /no evaluation set is named "agedb" \(sets: lfw, orl\)/,
  );
  assert.throws(() => tsneRequest(named("lfw"), run, 7, log), /lfw \(bin\) has no identities/);
  assert.throws(() => tsneRequest(named("orl", 21), run, 7, log), /tsne.identities: 21 > the 20 identities of orl/);
  assert.strictEqual(tsneRequest({ ...preset, tsne: null }, run, 7, log), null);
});

Deno.test("dataProblems: batch larger than the training set, more folds than a set's pairs", async () => {
  const preset = await loadPreset("own-data");
  assert.deepStrictEqual(dataProblems(preset, data(evalSet("orl", "dataset", 20))), [
    "eval.folds 10 > the 4 evaluation pairs of orl",
  ]);
  assert.deepStrictEqual(
    dataProblems({ ...preset, eval: { ...preset.eval, folds: 2 } }, data(evalSet("a", "bin", 8))),
    [
      "train.batchSize 32 > the 16 training images",
    ],
  );
});

Deno.test("dataProblems: a backbone whose input side is not the training images' (Swin-T/S at 224 on 112 data)", async () => {
  const own = await loadPreset("own-data");
  const preset = { ...own, backbonePreset: "any" as const, backbones: ["swin_t", "mobilefacenet_tiny"] };
  const run = data(evalSet("a", "dataset", 40));
  const ok = { ...preset, eval: { ...preset.eval, folds: 2 } };
  assert.deepStrictEqual(dataProblems(ok, run), [
    "backbone swin_t takes 224×224 input but the training images are 112×112 (the bench does not resize; filter it " +
    "out with --backbones, set backboneOptions.swin_t.inputSize, or use data of that size)",
  ]);
  const adapted = { ...ok, backboneOptions: { swin_t: { inputSize: 112, patchSize: 2 } } };
  assert.deepStrictEqual(dataProblems(adapted, run), []);
});

Deno.test("label noise: only the training labels flip, round(fraction · N) of them, and the data hash says so", async () => {
  const ci = await loadPreset("ci-gate");
  const clean = await loadRunData(ci, { log: () => {} });
  const lines: string[] = [];
  const noise = { fraction: 0.25, to: "random", seed: 4 } as const;
  const noisy = await loadRunData({ ...ci, data: { ...ci.data, labelNoise: noise } }, { log: (l) => lines.push(l) });
  const changed = clean.train.labels.filter((y, i) => noisy.train.labels[i] !== y).length;
  assert.strictEqual(changed, 300);
  assert.deepStrictEqual(noisy.labelNoise, { ...noise, flipped: 300 });
  assert.deepStrictEqual(lines, [
    "data.labelNoise: 300 of 1200 training labels flipped to random other identities (seed 4)",
  ]);
  assert.deepStrictEqual(noisy.evalSets[0].set.test.labels, clean.evalSets[0].set.test.labels, "evaluation untouched");
  assert.notStrictEqual(noisy.hash, clean.hash);
  assert.strictEqual(clean.labelNoise, null);
});

Deno.test("dataProblems: a P×K batch that K does not divide, or with more identities than the training set", async () => {
  const own = await loadPreset("own-data");
  const preset = { ...own, heads: ["arcface", "triplet"], eval: { ...own.eval, folds: 2 } };
  const train = data(evalSet("a", "dataset", 40));
  const withBatch = (batchSize: number, k: number) => ({
    ...preset,
    train: { ...preset.train, batchSize },
    data: { ...preset.data, imagesPerIdentity: k },
  });
  assert.deepStrictEqual(dataProblems(withBatch(32, 4), train), []);
  assert.deepStrictEqual(dataProblems(withBatch(30, 4), train), [
    "the P×K sampler of triplet: train.batchSize 30 is not a multiple of data.imagesPerIdentity 4",
  ]);
  assert.deepStrictEqual(dataProblems(withBatch(64, 1), train), [
    "the P×K sampler of triplet: P = 64 identities per batch > the 40 training identities",
  ]);
  const arcfaceOnly = { ...withBatch(30, 4), heads: ["arcface"] };
  assert.deepStrictEqual(dataProblems(arcfaceOnly, train), [], "no triplet cell, no P×K sampler");
  assert.deepStrictEqual(dataProblems({ ...arcfaceOnly, data: { ...arcfaceOnly.data, sampler: "pk" } }, train), [
    'data.sampler "pk": train.batchSize 30 is not a multiple of data.imagesPerIdentity 4',
  ]);
});
