/**
 * Registry-driven backbone tests. Every preset is built structure-only (shape backend): [1, 512] output and, where
 * the anchors state one, the exact parameter count. Every `tiny` preset runs forward and backward on the reference
 * backend at 32×32: finite [N, 512] output and a non-zero finite gradient for every parameter. Every family has a
 * `tiny` preset. Options are validated with errors naming the field.
 */
import assert from "node:assert";
import type { HostData } from "../../src/core/backend.ts";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { Rng } from "../../src/core/rng.ts";
import { scope } from "../../src/core/scope.ts";
import { noGrad } from "../../src/core/tape.ts";
import { backward } from "../../src/ops/backward.ts";
import type { Tensor } from "../../src/core/tensor.ts";
import type { Backbone } from "../../src/models/backbones/backbone.ts";
import { backboneCost } from "../../src/models/flops.ts";
import { backbones } from "../../src/models/mod.ts";
import { mul, reduceSum, tensor } from "../../src/ops/mod.ts";
import { tinyTestOptions } from "../_util/tiny_options.ts";

/**
 * Exact counts of the anchor implementations' layer lists (PReLU and BN affine in, running stats out): face.evoLVe
 * `backbone/model_irse.py` = FaceX-Zoo `backbone/ResNets.py` (IR, IR-SE), FaceX-Zoo `backbone/MobileFaceNets.py`,
 * arcface_torch `backbones/iresnet.py` and `mobilefacenet.py`, FaceX-Zoo `backbone/GhostNet.py` (= its published 26.76 M;
 * SE conv biases in), `backbone/LightCNN.py` `network_29layers_v2` (= its published 11.60 M; MFM conv biases in,
 * there is no PReLU), `backbone/TF_NAS.py` `TF_NAS_A` (= its published 39.59 M; SE conv biases and the output
 * BN1d in, no BN2d in its output layer) and `backbone/HRNet.py` with its `backbone_conf.yaml` entry (= its published
 * 70.63 M; head conv biases in), counted layer by layer; arcface_torch `backbones/vit.py` (`vit_t`, `vit_s`, `vit_b`;
 * position embedding and mask token in), FaceX-Zoo `backbone/ReXNets.py` (= its published 15.20 M) and
 * `backbone/resnest/` ResNeSt-50 (= its published 76.79 M; attention conv biases and the stem PReLU in), counted on the
 * re-statements in tools/golden_backbones.py.
 */
const ANCHOR_PARAMS: Record<string, number> = {
  ir_50: 43_574_976,
  ir_se_50: 43_797_696,
  ir_100: 65_129_792,
  ir_se_100: 65_502_016,
  ir_152: 70_737_600,
  ir_se_152: 71_148_736,
  mobilefacenet: 1_200_512,
  mbf: 2_059_520,
  iresnet_50: 43_590_848,
  iresnet_100: 65_156_160,
  ghostnet: 26_759_364,
  lightcnn_29v2: 11_596_320,
  tf_nas_a: 39_590_703,
  hrnet: 70_631_252,
  vit_t: 19_137_792,
  vit_s: 76_023_296,
  vit_b: 113_833_472,
  rexnet_1_0: 15_197_128,
  resnest_50: 76_793_248,
};

/**
 * Published ImageNet parameter counts of the ResNeXt bodies: torchvision `resnext50_32x4d`, timm `resnext101_32x4d`,
 * Cadene `pretrainedmodels` `se_resnext50_32x4d` / `se_resnext101_32x4d` (SE 1×1 convs with bias). No face ResNeXt is
 * published (face-recognition.md §1.5–1.6).
 */
const IMAGENET_RESNEXT_PARAMS: Record<string, number> = {
  resnext_50: 25_028_904,
  resnext_101: 44_177_704,
  se_resnext_50: 27_559_896,
  se_resnext_101: 48_955_416,
};

const SIZE = 32;
const BATCH = 2;
const backend = new ReferenceBackend();

Deno.test("backbones: DenseNet = torchvision's published ImageNet counts with the output layer for the classifier", () => {
  // torchvision `densenet121` / `densenet169` IMAGENET1K_V1 num_params; the dense body's size is resolution-free
  for (
    const [name, channels, torchvision] of [["densenet_121", 1024, 7_978_856], [
      "densenet_169",
      1664,
      14_149_480,
    ]] as const
  ) {
    const outputLayer = 2 * channels + (channels * 7 * 7 + 1) * 512 + 2 * 512;
    const classifier = (channels + 1) * 1000;
    const params = backboneCost(backbones.get(name)).params;
    assert.strictEqual(params - outputLayer + classifier, torchvision, name);
  }
});

Deno.test("backbones: LightCNN v1 at the original's 128 input and 256-d feature = its layer list + RGB stem weights", () => {
  // FaceX-Zoo `network_9layers` / `network_29layers` with a grey stem, counted layer by layer (classifier fc2 out)
  for (const [name, grey] of [["lightcnn_9", 5_480_864], ["lightcnn_29", 12_573_280]] as const) {
    const params = backboneCost(backbones.get(name), { inputSize: 128, embeddingSize: 256 }).params;
    assert.strictEqual(params - grey, 96 * 5 * 5 * (3 - 1), name); // 5×5 stem to 2·48 channels, 3 inputs, not 1
  }
});

Deno.test("backbones: every anchor count names a registered preset", () => {
  for (const name of Object.keys(ANCHOR_PARAMS)) assert.ok(backbones.get(name));
});

Deno.test("backbones: ResNeXt = the published ImageNet body with the face stem and output layer", () => {
  const faceStem = 3 * 3 * 3 * 64 + 2 * 64 + 64; // Conv3×3(3 → 64), BN, PReLU
  const faceOutput = 2 * 2048 + 2048 * 7 * 7 * 512 + 512 + 2 * 512; // BN2d, Linear(2048·7·7 → 512), BN1d
  const imagenetEnds = 7 * 7 * 3 * 64 + 2 * 64 + 2048 * 1000 + 1000; // Conv7×7(3 → 64), BN, Linear(2048 → 1000)
  for (const [name, published] of Object.entries(IMAGENET_RESNEXT_PARAMS)) {
    const params = backboneCost(backbones.get(name)).params;
    assert.strictEqual(params - faceStem - faceOutput + imagenetEnds, published, name);
  }
});

Deno.test("backbones: DPN = the published ImageNet model with the face stem and output layer for its ends", () => {
  // Cadene `pretrainedmodels` / timm `dpn68`, `dpn92` (12,611,602 / 37,668,392; timm lists 12.61 M / 37.67 M):
  // stem k×k conv (3×3 for DPN-68, 7×7 for DPN-92) + BN, classifier 1×1 conv with bias to 1000
  for (
    const [name, stem, kernel, channels, published] of [
      ["dpn_68", 10, 3, 832, 12_611_602],
      ["dpn_92", 64, 7, 2688, 37_668_392],
    ] as const
  ) {
    const faceStem = 3 * 3 * 3 * stem + 2 * stem + stem; // Conv3×3, BN, PReLU
    const faceOutput = 2 * channels + channels * 7 * 7 * 512 + 512 + 2 * 512; // BN2d, Linear(C·7·7 → 512), BN1d
    const imagenetEnds = kernel * kernel * 3 * stem + 2 * stem + channels * 1000 + 1000;
    const params = backboneCost(backbones.get(name)).params;
    assert.strictEqual(params - faceStem - faceOutput + imagenetEnds, published, name);
  }
});

Deno.test("backbones: TF-NAS starts every bias at 0 (FaceX-Zoo's init) and has no BN2d in its output layer", async () => {
  const model = backbones.get("tf_nas_tiny").create({}, { backend, rng: new Rng(3, "init") });
  const params = model.parameters();
  const biases = params.filter((p) => p.path.endsWith("bias"));
  assert.ok(biases.some((p) => p.path.endsWith("fc1.bias")), "SE conv biases present");
  for (const p of biases) assert.ok((await p.tensor.read()).every((v) => v === 0), `${p.path} is not zero`);
  // Linear weight + bias, BN1d gamma + beta
  assert.deepStrictEqual(
    params.filter((p) => p.path.startsWith("output_layer")).map((p) => p.tensor.shape),
    [[512, 64 * 7 * 7], [512], [512], [512]],
  );
  model.dispose();
});

Deno.test("backbones: every family registers a tiny preset", () => {
  const tinyFamilies = new Set(backbones.list("tiny").map((e) => e.tags[0]));
  for (const e of backbones.list()) assert.ok(tinyFamilies.has(e.tags[0]), `family ${e.tags[0]} has no tiny preset`);
});

for (const entry of backbones.list()) {
  Deno.test(`backbone ${entry.name}: builds, gives [1, 512], parameter count`, () => {
    const cost = backboneCost(entry);
    assert.deepStrictEqual(cost.outputShape, [1, 512]);
    assert.ok(cost.macs > 0);
    const anchor = ANCHOR_PARAMS[entry.name];
    if (anchor !== undefined) assert.strictEqual(cost.params, anchor, `${entry.name}: parameter count`);
  });
}

/** Forward + backward of Σ w·y; returns the output and every parameter's gradient values. */
async function step(model: Backbone, x: Tensor, w: Tensor): Promise<{ y: number[]; grads: Map<string, HostData> }> {
  const y = scope(() => {
    const out = model.forward(x);
    backward(reduceSum(mul(out, w)));
    return out;
  });
  assert.deepStrictEqual(y.shape, [BATCH, 512]);
  const grads = new Map<string, HostData>();
  for (const p of model.parameters()) {
    // every parameter takes part in training; eval mode may leave one out (the ViT's mask token)
    if (!p.tensor.grad && !model.training) continue;
    assert.ok(p.tensor.grad, `${p.path} received no gradient`);
    grads.set(p.path, await p.tensor.grad.read());
    p.tensor.grad.dispose();
    p.tensor.grad = null;
  }
  const values = await y.toArray();
  y.dispose();
  return { y: values, grads };
}

for (const entry of backbones.list("tiny")) {
  Deno.test(`backbone ${entry.name}: forward [${BATCH}, 512] finite, every parameter gets a gradient`, async () => {
    const model = entry.create(tinyTestOptions(entry.name, SIZE), { backend, rng: new Rng(5, "init") });
    const data = new Rng(5, "data");
    const pixels = Float32Array.from({ length: BATCH * SIZE * SIZE * 3 }, () => data.uniform(-1, 1));
    const x = tensor(backend, pixels, [BATCH, SIZE, SIZE, 3]);
    const w = tensor(backend, Float32Array.from({ length: BATCH * 512 }, () => data.uniform(0.5, 1.5)), [BATCH, 512]);
    const train = await step(model, x, w);
    assert.ok(train.y.every(Number.isFinite), `${entry.name}: non-finite output in training mode`);
    for (const [path, g] of train.grads) assert.ok(g.every(Number.isFinite), `${entry.name}: ${path} not finite`);
    // In training mode the final BN1d removes any per-feature shift, so the biases just before it get an exactly
    // zero gradient (as in PyTorch); in eval mode a small random net may have a dead ReLU (SE). Each parameter
    // must get a non-zero gradient in at least one of the two modes.
    const evaluation = await step(model.eval(), x, w);
    assert.ok(evaluation.y.every(Number.isFinite), `${entry.name}: non-finite output in eval mode`);
    assert.ok(train.grads.size > 0);
    for (const [path, g] of train.grads) {
      const e = evaluation.grads.get(path) ?? new Float64Array();
      assert.ok(e.every(Number.isFinite), `${entry.name}: ${path} has a non-finite gradient`);
      const moves = (values: HostData) => values.some((v) => v !== 0);
      assert.ok(moves(g) || moves(e), `${entry.name}: ${path} has an all-zero gradient`);
    }
    for (const t of [x, w]) t.dispose();
    model.dispose();
  });
}

Deno.test("backbones: same seed, same weights; state round-trips through load in eval mode", async () => {
  const entry = backbones.get("mobilefacenet_tiny");
  const a = entry.create({ inputSize: SIZE }, { backend, rng: new Rng(1, "init") });
  const b = entry.create({ inputSize: SIZE }, { backend, rng: new Rng(1, "init") });
  const c = entry.create({ inputSize: SIZE }, { backend, rng: new Rng(2, "init") });
  const first = (m: typeof a) => m.parameters()[0].tensor.toArray();
  assert.deepStrictEqual(await first(a), await first(b));
  assert.notDeepStrictEqual(await first(a), await first(c));
  const x = tensor(backend, Float32Array.from({ length: 2 * SIZE * SIZE * 3 }, (_, i) => Math.sin(i)), [
    2,
    SIZE,
    SIZE,
    3,
  ]);
  scope(() => a.forward(x)); // training step: moves a's running statistics away from their init
  c.load(a.state());
  const [ya, yc] = noGrad(() => scope(() => [a.eval().forward(x), c.eval().forward(x)]));
  assert.deepStrictEqual(await ya.toArray(), await yc.toArray());
  for (const t of [x, ya, yc]) t.dispose();
  for (const m of [a, b, c]) m.dispose();
});

Deno.test("backbones: invalid options name the field, the value and the expectation", () => {
  assert.throws(
    () => backbones.get("ir_50").create({ dropout: 2 }, { backend, rng: new Rng(0, "init") }),
    /backbone "ir_50": invalid options\n {2}dropout: .*\(got 2\)/,
  );
  assert.throws(
    () => backbones.get("ir_50").create({ inputSize: 100 }, { backend, rng: new Rng(0, "init") }),
    /inputSize: .*multiple of 16.*\(got 100\)/,
  );
  assert.throws(
    () => backbones.get("resnext_tiny").create({ baseWidth: 4 }, { backend, rng: new Rng(0, "init") }),
    /baseWidth: planes · baseWidth \/ 64 must be at least 1 in every stage/,
  );
  assert.throws(
    () => backbones.get("resnet_50").create({ downsample: "pool" }, { backend, rng: new Rng(0, "init") }),
    /downsample: .*"conv".*"avgpool".*\(got "pool"\)/,
  );
  assert.throws(() => backbones.get("ir_51"), /Unknown backbone "ir_51": expected one of ir_50, /);
});

Deno.test("backbones: list() filters by glob and by tag", () => {
  const names = (f: string) => backbones.list(f).map((e) => e.name);
  assert.deepStrictEqual(names("iresnet*"), ["iresnet_18", "iresnet_34", "iresnet_50", "iresnet_100", "iresnet_tiny"]);
  assert.ok(names("tiny").every((n) => n.endsWith("_tiny")));
  assert.deepStrictEqual(names("*_tiny"), names("tiny"));
  assert.deepStrictEqual(names("aft"), [
    "iresnet_18",
    "iresnet_34",
    "iresnet_50",
    "iresnet_100",
    "mbf",
    "mbf_large",
    "vit_t",
    "vit_s",
    "vit_b",
  ]);
});
