import assert from "node:assert";
import { DOMAIN_AUGMENT, EVO_AUGMENT, FULL_AUGMENT } from "../../src/data/augment.ts";
import { pretrainingPreset } from "../../src/bench/pretrain.ts";
import {
  applyFilters,
  augmentOf,
  loadPreset,
  parsePreset,
  parseShard,
  presetNames,
  seedList,
  selectCells,
  toIterationSchedule,
} from "../../src/bench/presets.ts";
import { checkModelOptions, headOptionsOf } from "../../src/bench/model_options.ts";
import { checkTeacher } from "../../src/bench/teacher.ts";
import { main } from "../../src/cli/bench.ts";
import { globMatch } from "../../src/models/mod.ts";
import { learningRate } from "../../src/train/schedule.ts";
import { relianceSchedule } from "../../tools/synth_reliance.ts";

const registered = {
  backbones: ["ir_18", "ir_se_50", "mobilefacenet", "resnet_50"],
  heads: ["arcface", "cosface", "softmax"],
};

Deno.test("loadPreset: quick is a tiny cross design on synthface-quick; matrix is its full matrix", async () => {
  const quick = await loadPreset("quick");
  assert.strictEqual(quick.dataset, "synthface-quick");
  assert.strictEqual(quick.backbonePreset, "tiny");
  assert.deepStrictEqual([quick.backbones, quick.heads], [["*"], ["*"]]);
  assert.deepStrictEqual(quick.cross, { backbone: "mobilefacenet_tiny", head: "arcface" });
  const matrix = await loadPreset("matrix");
  assert.deepStrictEqual({ ...matrix, name: "quick", description: "", cross: quick.cross, throughput: null }, {
    ...quick,
    description: "",
    throughput: null,
  });
  for (const name of ["standard", "full"]) assert.strictEqual((await loadPreset(name)).name, name);
  await assert.rejects(
    loadPreset("nope"),
    /cannot read preset .*benchmarks\/presets\/nope.json.*presets: capacity, ci-gate/,
  );
});

Deno.test("presetNames: every committed preset parses and is named after its file; --help lists them", async () => {
  const names = await presetNames();
  for (const name of ["capacity", "ci-gate", "full", "matrix", "orl", "quick", "standard"]) {
    assert.ok(names.includes(name), name);
  }
  for (const name of names) assert.strictEqual((await loadPreset(name)).name, name);
  const printed: string[] = [];
  const log = console.log;
  console.log = (line: string) => printed.push(line);
  try {
    assert.strictEqual(await main(["--help"]), 0);
  } finally {
    console.log = log;
  }
  assert.match(printed.join("\n"), new RegExp(`Presets .*: ${names.join(", ")}`));
});

Deno.test("parsePreset: defaults fill in; errors name the file and field", () => {
  const p = parsePreset({
    name: "x",
    description: "",
    dataset: "d",
    train: { epochs: 1, batchSize: 8, schedule: { kind: "cosine", lr: 0.1 } },
  }, "x.json");
  assert.strictEqual(p.seed, 1337);
  assert.deepStrictEqual(p.train.optimizer, { momentum: 0.9, nesterov: false, weightDecay: 5e-4 });
  assert.deepStrictEqual(p.eval, { folds: 10, flip: true, farTargets: [1e-3, 1e-2] });
  assert.throws(
    () => parsePreset({ name: "x", description: "", dataset: "d", train: { epochs: 0, batchSize: 8 } }, "x.json"),
    (e: Error) =>
      /^preset x.json is invalid:/.test(e.message) && /train\.epochs: Too small/.test(e.message) &&
      /train\.schedule: /.test(e.message),
  );
});

Deno.test("parsePreset: AdamW is selected by optimizer.kind, with its defaults; a bad kind names the field", () => {
  const preset = (optimizer: unknown) => ({
    name: "x",
    description: "",
    dataset: "d",
    train: { epochs: 1, batchSize: 8, schedule: { kind: "cosine", lr: 5e-4 }, optimizer },
  });
  assert.deepStrictEqual(parsePreset(preset({ kind: "adamw", weightDecay: 0.1 }), "x.json").train.optimizer, {
    kind: "adamw",
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weightDecay: 0.1,
  });
  assert.throws(() => parsePreset(preset({ kind: "lamb" }), "x.json"), /train\.optimizer\.kind/);
});

Deno.test("parsePreset: onnxReferences take the input convention's defaults; bad fields are named", () => {
  const json = {
    name: "x",
    description: "",
    dataset: "d",
    train: { epochs: 1, batchSize: 8, schedule: { kind: "cosine", lr: 0.1 } },
  };
  assert.deepStrictEqual(parsePreset(json, "x.json").onnxReferences, []);
  const p = parsePreset(
    { ...json, onnxReferences: [{ name: "mfn", path: "m.onnx", layout: "NHWC", std: 128 }] },
    "x.json",
  );
  assert.deepStrictEqual(p.onnxReferences, [
    { name: "mfn", path: "m.onnx", layout: "NHWC", channels: "RGB", size: 112, mean: 127.5, std: 128 },
  ]);
  assert.throws(
    () => parsePreset({ ...json, onnxReferences: [{ name: "a b", path: "m.onnx", layout: "CHW" }] }, "x.json"),
    (e: Error) => /onnxReferences\.0\.layout/.test(e.message) && /onnxReferences\.0\.name/.test(e.message),
  );
});

Deno.test("globMatch: * and ?, anchored, regex characters literal", () => {
  assert.ok(globMatch("ir*", "ir_se_50"));
  assert.ok(!globMatch("ir*", "resnet_50"));
  assert.ok(globMatch("ir_??", "ir_18"));
  assert.ok(!globMatch("ir.18", "ir_18"));
  assert.ok(globMatch("*", "anything"));
});

Deno.test("selectCells: globs, head list, backbone-major order, shards partition the matrix", async () => {
  const preset = applyFilters(await loadPreset("matrix"), { backbones: "ir*, mobile*", heads: "arcface,softmax" });
  const all = selectCells(preset, registered);
  assert.deepStrictEqual(all.map((c) => `${c.index}:${c.backbone}/${c.head}`), [
    "0:ir_18/arcface",
    "1:ir_18/softmax",
    "2:ir_se_50/arcface",
    "3:ir_se_50/softmax",
    "4:mobilefacenet/arcface",
    "5:mobilefacenet/softmax",
  ]);
  const shards = [1, 2, 3, 4].map((i) => selectCells(preset, registered, { index: i, count: 4 }).map((c) => c.index));
  assert.deepStrictEqual(shards, [[0, 4], [1, 5], [2], [3]]);
  assert.throws(
    () => selectCells(applyFilters(preset, { heads: "arcfce" }), registered),
    /--heads: "arcfce" matches no registered head \(known: arcface, cosface, softmax\)/,
  );
});

Deno.test("applyFilters: backend, seed and seeds override; parseShard validates", async () => {
  const p = applyFilters(await loadPreset("quick"), { backend: "reference", seed: 7, seeds: 3 });
  assert.deepStrictEqual([p.backend, p.seed, p.seeds], ["reference", 7, 3]);
  assert.deepStrictEqual(seedList(p), [7, 8, 9]);
  assert.deepStrictEqual(seedList(await loadPreset("quick")), [1337], "one seed unless the preset asks for more");
  assert.deepStrictEqual(parseShard("2/4"), { index: 2, count: 4 });
  for (const bad of ["0/4", "5/4", "2", "a/b"]) assert.throws(() => parseShard(bad), /--shard: expected i\/n/);
});

Deno.test("toIterationSchedule: epochs become iterations", () => {
  const s = toIterationSchedule(
    { kind: "multistep", lr: 0.1, warmupEpochs: 1, milestones: [3, 4.5], gamma: 0.1 },
    10,
    5,
  );
  assert.deepStrictEqual(s, { kind: "multistep", lr: 0.1, warmupSteps: 10, milestones: [30, 45], gamma: 0.1 });
  assert.ok(Math.abs(learningRate(s, 44) - 0.01) < 1e-12);
  assert.deepStrictEqual(toIterationSchedule({ kind: "cosine", lr: 1, warmupEpochs: 0, minLr: 0 }, 7, 3), {
    kind: "cosine",
    lr: 1,
    warmupSteps: 0,
    totalSteps: 21,
    minLr: 0,
  });
});

Deno.test("checkModelOptions: registry schemas validate preset options up front, naming the field", () => {
  const ok = { backboneOptions: { mobilefacenet_tiny: { init: "kaiming" } }, headOptions: { arcface: { s: 30 } } };
  checkModelOptions(ok);
  assert.deepStrictEqual(headOptionsOf(ok, "arcface", { numClasses: 10, embeddingSize: 512 }), {
    s: 30,
    numClasses: 10,
    embeddingSize: 512,
  });
  assert.throws(
    () => checkModelOptions({ backboneOptions: {}, headOptions: { arcface: { s: -1 } } }),
    /preset field headOptions\.arcface: head "arcface": invalid options\n {2}s: .* \(got -1\)/,
  );
  assert.throws(
    () => checkModelOptions({ backboneOptions: {}, headOptions: { arcface: { numClasses: 3 } } }),
    /headOptions\.arcface: numClasses come from the data/,
  );
  assert.throws(
    () => checkModelOptions({ backboneOptions: { mobilefacenet_tiniest: {} }, headOptions: {} }),
    /backboneOptions\.mobilefacenet_tiniest: Unknown backbone/,
  );
  assert.throws(
    () => checkModelOptions({ backboneOptions: { ir_tiny: { channels: "wide" } }, headOptions: {} }),
    /backboneOptions\.ir_tiny: backbone "ir_tiny": invalid options/,
  );
});

Deno.test("preset data: augmentation recipes by name or by field, sampler and numMin validated", async () => {
  const quick = await loadPreset("quick");
  assert.deepStrictEqual(
    quick.data,
    { augment: "evo", sampler: "shuffle", imagesPerIdentity: 4, numMin: 0, labelNoise: null },
    "face.evoLVe's defaults, clean labels",
  );
  assert.deepStrictEqual(augmentOf("full"), FULL_AUGMENT);
  const own = { crop: "center", resizeTo: 120, flip: 0, colorJitter: 0.2, pcaStd: 0 } as const;
  assert.deepStrictEqual(augmentOf(own), { ...own, pca: EVO_AUGMENT.pca });
  const json = JSON.parse(await Deno.readTextFile(new URL("../../benchmarks/presets/quick.json", import.meta.url)));
  assert.throws(
    () => parsePreset({ ...json, data: { augment: "heavy", sampler: "balanced", numMin: -1 } }, "x.json"),
    (e: Error) => /data\.augment/.test(e.message) && /data\.numMin: Too small/.test(e.message),
  );
});

Deno.test("selectCells: a cross design keeps the reference row and column with full-matrix indices", async () => {
  const preset = { ...(await loadPreset("quick")), backbones: ["*"], heads: ["*"] };
  const cross = { ...preset, cross: { backbone: "mobilefacenet", head: "arcface" } };
  const cells = selectCells(cross, registered);
  assert.deepStrictEqual(cells.map((c) => `${c.index}:${c.backbone}/${c.head}`), [
    "0:ir_18/arcface",
    "3:ir_se_50/arcface",
    "6:mobilefacenet/arcface",
    "7:mobilefacenet/cosface",
    "8:mobilefacenet/softmax",
    "9:resnet_50/arcface",
  ]);
  const shards = [1, 2].map((i) => selectCells(cross, registered, { index: i, count: 2 }).map((c) => c.index));
  assert.deepStrictEqual(shards, [[0, 6, 8], [3, 7, 9]], "shards split the selected cells evenly");
  assert.throws(
    () => selectCells({ ...cross, heads: ["cosface", "softmax"] }, registered),
    /cross: the reference cell mobilefacenet × arcface is not in the selection/,
  );
});

Deno.test("preset stages: need a pretrain block; the pretrained stage needs the pre-training head selected", async () => {
  const json = JSON.parse(await Deno.readTextFile(new URL("../../benchmarks/presets/matrix.json", import.meta.url)));
  assert.throws(
    () => parsePreset({ ...json, stages: ["scratch", "finetuned"] }, "x.json"),
    /stages: the pretrained and finetuned stages need a pretrain block/,
  );
  const schedule = { kind: "cosine", lr: 0.1 };
  const pretrain = { dataset: "synthface-ci", epochs: 1, batchSize: 32, schedule };
  assert.throws(
    () => parsePreset({ ...json, pretrain, stages: ["scratch", "scratch"] }, "x.json"),
    /stages: a stage is listed twice/,
  );
  const preset = parsePreset({ ...json, pretrain, stages: ["pretrained", "finetuned"] }, "x.json");
  assert.strictEqual(preset.pretrain!.head, "softmax", "softmax pre-training by default");
  const cells = selectCells({ ...preset, backbones: ["ir_18"] }, registered);
  assert.deepStrictEqual(cells.map((c) => `${c.index}:${c.head}@${c.stage}`), [
    "0:arcface@finetuned",
    "1:cosface@finetuned",
    "2:softmax@pretrained",
    "2:softmax@finetuned",
  ]);
  assert.throws(
    () => selectCells({ ...preset, heads: ["arcface"] }, registered),
    /the pretrained stage is evaluated for the pre-training head softmax, which is not among the selected heads/,
  );
});

Deno.test("preset distill: the distilled stage and the distill block go together; teachers and label noise parse", async () => {
  const json = JSON.parse(await Deno.readTextFile(new URL("../../benchmarks/presets/matrix.json", import.meta.url)));
  const distill = { teacher: {}, terms: { softTargets: {} } };
  assert.throws(
    () => parsePreset({ ...json, stages: ["scratch", "distilled"] }, "x.json"),
    /stages: the distilled stage/,
  );
  assert.throws(
    () => parsePreset({ ...json, distill }, "x.json"),
    /distill: the distilled stage and the distill block/,
  );
  assert.throws(
    () => parsePreset({ ...json, distill: { teacher: {}, terms: {} }, stages: ["distilled"] }, "x.json"),
    /distill\.terms: name at least one distillation term/,
  );
  const self = parsePreset({ ...json, distill, stages: ["scratch", "distilled"] }, "x.json");
  assert.deepStrictEqual(self.distill!.teacher, {
    backbone: "self",
    head: "self",
    epochs: null,
    batchSize: null,
    schedule: null,
  });
  assert.deepStrictEqual(self.distill!.terms.softTargets, { weight: 1, temperature: 4 });
  const cells = selectCells({ ...self, backbones: ["ir_18"], heads: ["arcface"] }, registered);
  assert.deepStrictEqual(cells.map((c) => `${c.index}:${c.head}@${c.stage}`), [
    "0:arcface@scratch",
    "0:arcface@distilled",
  ]);
  const fromFile = parsePreset({
    ...json,
    distill: { ...distill, teacher: { checkpoint: "runs/t/step-00000100.safetensors", backbone: "ir_50" } },
    stages: ["distilled"],
  }, "x.json");
  assert.deepStrictEqual(fromFile.distill!.teacher, {
    checkpoint: "runs/t/step-00000100.safetensors",
    backbone: "ir_50",
    head: null,
  });
  checkTeacher(fromFile);
  assert.throws(
    () => checkTeacher({ distill: { ...self.distill!, teacher: { ...self.distill!.teacher, backbone: "ir_5o" } } }),
    /distill\.teacher\.backbone: "ir_5o" is not a registered backbone/,
  );
  const noisy = parsePreset({ ...json, data: { labelNoise: { fraction: 0.3, to: "lookalike" } } }, "x.json");
  assert.deepStrictEqual(noisy.data.labelNoise, { fraction: 0.3, to: "lookalike", seed: 0 });
  assert.throws(
    () => parsePreset({ ...json, data: { labelNoise: { fraction: 1 } } }, "x.json"),
    /data\.labelNoise\.fraction/,
  );
  for (const name of ["findings-distill", "findings-noise"]) {
    const preset = await loadPreset(name);
    checkTeacher(preset);
    assert.deepStrictEqual(preset.stages, ["scratch", "distilled"], name);
  }
});

Deno.test("parsePreset: a pretrain block may name its own augmentation; without one it adds no key", async () => {
  const base = {
    name: "x",
    description: "",
    dataset: "orl",
    train: { epochs: 1, batchSize: 8, schedule: { kind: "cosine", lr: 0.1 } },
    stages: ["scratch", "pretrained"],
  };
  const pretrain = { dataset: "synthface-v2", epochs: 1, batchSize: 8, schedule: { kind: "cosine", lr: 0.1 } };
  const plain = parsePreset({ ...base, pretrain }, "x.json");
  assert.ok(plain.pretrain && !("augment" in plain.pretrain));
  assert.strictEqual(pretrainingPreset(plain), plain);
  const domain = parsePreset({ ...base, pretrain: { ...pretrain, augment: "domain" } }, "x.json");
  const seen = pretrainingPreset(domain);
  assert.strictEqual(seen.data.augment, "domain");
  assert.strictEqual(domain.data.augment, "evo");
  assert.deepStrictEqual(augmentOf(seen.data.augment), DOMAIN_AUGMENT);
  const transfer = await loadPreset("findings-transfer");
  assert.strictEqual(pretrainingPreset(transfer).data.augment, transfer.pretrain?.augment ?? transfer.data.augment);
  assert.throws(
    () => parsePreset({ ...base, pretrain: { ...pretrain, augment: "strong" } }, "x.json"),
    (e: Error) => /pretrain\.augment/.test(e.message),
  );
});

Deno.test("transfer presets: the pre-training schedule is the one the dev pairs chose it with (tools/synth_reliance)", async () => {
  for (const name of ["transfer", "findings-transfer"]) {
    const preset = await loadPreset(name);
    const stage = preset.pretrain!;
    const stepsPerEpoch = Math.floor(40_000 / stage.batchSize); // synthface-v2: 2,000 ids × 20 training images
    const iterations = toIterationSchedule(stage.schedule, stepsPerEpoch, stage.epochs);
    assert.deepStrictEqual(iterations, relianceSchedule(stage.epochs * stepsPerEpoch), name);
  }
});
