/**
 * The cost counter: MACs of a hand-computable model, and the anchors' published MACs (FaceX-Zoo, THOP rule)
 * reproduced from our backbones.
 */
import assert from "node:assert";
import { Rng } from "../../src/core/rng.ts";
import { noGrad } from "../../src/core/tape.ts";
import { backboneCost, backbones } from "../../src/models/mod.ts";
import { ShapeBackend } from "../../src/backends/shape/backend.ts";
import { BatchNorm, Conv2d, Linear } from "../../src/nn/mod.ts";
import { flatten, zeros } from "../../src/ops/mod.ts";

Deno.test("flops: conv, depthwise conv, FC and BN are counted as hand-computed", () => {
  const backend = new ShapeBackend();
  const ctx = { backend, rng: new Rng(0, "init"), initialize: false };
  const conv = new Conv2d(ctx, { inChannels: 3, outChannels: 8, kernel: 3, stride: 2, padding: 1 });
  const dw = new Conv2d(ctx, { inChannels: 8, outChannels: 8, kernel: 3, padding: 1, groups: 8 });
  const bn = new BatchNorm(ctx, { channels: 8 });
  const fc = new Linear(ctx, { inFeatures: 8 * 5 * 5, outFeatures: 7 });
  noGrad(() => fc.forward(flatten(bn.forward(dw.forward(conv.forward(zeros(backend, [2, 10, 10, 3])))))));
  assert.strictEqual(backend.macs, 2 * 5 * 5 * 8 * 27 + 2 * 5 * 5 * 8 * 9 + 2 * 200 * 7);
  assert.strictEqual(backend.bnElements, 2 * 5 * 5 * 8);
});

Deno.test("flops: FaceX-Zoo's published MACs are reproduced (conv + FC + 2 per BN element)", () => {
  const mmacs = (name: string) => backboneCost(backbones.get(name)).thopMacs / 1e6;
  assert.strictEqual(mmacs("mobilefacenet").toFixed(2), "227.57");
  assert.strictEqual((mmacs("ir_50") / 1e3).toFixed(2), "6.31");
  assert.strictEqual((mmacs("ir_se_152") / 1e3).toFixed(2), "12.33");
});

Deno.test("flops: arcface_torch's published GFLOPs match our conv + FC MACs", () => {
  const gmacs = (name: string) => backboneCost(backbones.get(name)).macs / 1e9;
  assert.strictEqual(gmacs("iresnet_18").toFixed(1), "2.6");
  assert.strictEqual(gmacs("iresnet_50").toFixed(1), "6.3");
  assert.strictEqual(gmacs("iresnet_100").toFixed(1), "12.1");
});

Deno.test("flops: the 224 input of IR multiplies the cost by about four", () => {
  const at = (inputSize: number) => backboneCost(backbones.get("ir_50"), { inputSize });
  const small = at(112);
  const large = at(224);
  assert.strictEqual(large.params - small.params, 512 * (14 * 14 - 7 * 7) * 512);
  assert.ok(Math.abs(large.macs / small.macs - 4) < 0.01);
});

Deno.test("flops: FaceX-Zoo's GhostNet 194.49 M = THOP rule + SE adaptive pools + the output FC a second time", () => {
  const cost = backboneCost(backbones.get("ghostnet"));
  assert.strictEqual(cost.thopMacs, 169_897_680);
  // THOP's AdaptiveAvgPool2d rule, (H·W + 1) per output, on the seven SE pools of FaceX-Zoo's stages
  const sePools = [[28, 72], [28, 120], [14, 480], [14, 672], [7, 672], [7, 960], [7, 960]]
    .reduce((sum, [side, channels]) => sum + (side * side + 1) * channels, 0);
  const fc = 960 * 7 * 7 * 512;
  assert.strictEqual(((cost.thopMacs + sePools + fc) / 1e6).toFixed(2), "194.49");
});

Deno.test("flops: FaceX-Zoo's HRNet 70.63 M / 4.35 G = its parameters and the THOP rule", () => {
  const cost = backboneCost(backbones.get("hrnet"));
  assert.strictEqual((cost.params / 1e6).toFixed(2), "70.63");
  assert.strictEqual(cost.thopMacs, 4_348_021_316);
  assert.strictEqual((cost.thopMacs / 1e9).toFixed(2), "4.35");
  // the older THOP conv rule's one op per output of a biased conv (the head's three stride-2 convs and final 1×1)
  // does not change the rounding; a doubled output FC (as in FaceX-Zoo's GhostNet figure) would give 4.40 G
  const biasedOutputs = 256 * 28 * 28 + 512 * 14 * 14 + 1024 * 7 * 7 + 2048 * 7 * 7;
  assert.strictEqual(((cost.thopMacs + biasedOutputs) / 1e9).toFixed(2), "4.35");
  assert.strictEqual(((cost.thopMacs + 2048 * 7 * 7 * 512) / 1e9).toFixed(2), "4.40");
});

Deno.test("flops: FaceX-Zoo's LightCNN-29v2 2.84 G = THOP rule + one op per output of each biased MFM conv", () => {
  const cost = backboneCost(backbones.get("lightcnn_29v2"));
  assert.strictEqual(cost.thopMacs, 2_831_144_192);
  // THOP's conv rule adds one op per output element when the conv has a bias: [side, 2·channels, convs] per level
  const biasOutputs = [
    [112, 96, 1], // stem MFM 5×5
    [56, 96, 2], // block 1
    [56, 96 + 192, 1], // group 1 (1×1, 3×3)
    [28, 192, 4], // block 2
    [28, 192 + 384, 1], // group 2
    [14, 384, 6], // block 3
    [14, 384 + 256, 1], // group 3
    [14, 256, 8], // block 4
    [14, 256 + 256, 1], // group 4
  ].reduce((sum, [side, channels, convs]) => sum + side * side * channels * convs, 0);
  assert.strictEqual(((cost.thopMacs + biasOutputs) / 1e9).toFixed(2), "2.84");
  assert.strictEqual((cost.thopMacs / 1e9).toFixed(2), "2.83", "without the bias ops the figure rounds lower");
});

Deno.test("flops: DenseNet's body at 112 costs torchvision's published GFLOPS at 224 (stem and classifier aside)", () => {
  // the dense blocks run at 56/28/14/7 in both; torchvision's stem conv runs at 112×112 instead of 56×56
  const stemAt = (side: number) => side * side * 64 * 7 * 7 * 3;
  for (const [name, channels, gflops] of [["densenet_121", 1024, "2.83"], ["densenet_169", 1664, "3.36"]] as const) {
    const cost = backboneCost(backbones.get(name));
    const outputFc = channels * 7 * 7 * 512;
    const imagenet = cost.macs - outputFc - stemAt(56) + stemAt(112) + channels * 1000;
    assert.strictEqual((imagenet / 1e9).toFixed(2), gflops, name);
  }
});

Deno.test("flops: FaceX-Zoo's EfficientNet-B0 33.44 M / 77.83 M leave out every conv (THOP skips its conv subclass)", () => {
  const entry = backbones.get("efficientnet_b0");
  const cost = backboneCost(entry);
  assert.strictEqual(cost.params, 36_124_284);
  assert.strictEqual(cost.macs, 416_647_392);
  const model = entry.create({}, { backend: new ShapeBackend(), rng: new Rng(0, "init"), initialize: false });
  // running mean + variance: as many elements as the BN affine parameters (gamma + beta)
  const bnAffine = model.buffers().reduce((n, b) => n + b.tensor.size, 0);
  model.dispose();
  const fc = 1280 * 7 * 7 * 512;
  const imageNetClassifier = 1280 * 1000 + 1000; // FaceX-Zoo's registered but unused `_fc`
  assert.strictEqual(bnAffine + fc + 512 + imageNetClassifier, 33_439_752);
  assert.strictEqual(((bnAffine + fc + 512 + imageNetClassifier) / 1e6).toFixed(2), "33.44");
  // THOP's 2 per BN element, plus the output FC counted twice (as in FaceX-Zoo's GhostNet figure), no conv
  assert.strictEqual(cost.thopMacs - cost.macs, 13_601_856);
  assert.strictEqual(((cost.thopMacs - cost.macs + 2 * fc) / 1e6).toFixed(2), "77.83");
});

Deno.test("flops: ShuffleNet V2's body equals torchvision's in parameters and ImageNet-224 MACs", () => {
  // torchvision `models/shufflenetv2.py` weights meta of x0_5 … x2_0: `num_params`, `_ops` (GMACs); conv5 channels
  const torchvision: [string, number, string, number][] = [
    ["shufflenetv2_0_5", 1_366_792, "0.040", 1024],
    ["shufflenetv2_1_0", 2_278_604, "0.145", 1024],
    ["shufflenetv2_1_5", 3_503_624, "0.296", 1024],
    ["shufflenetv2_2_0", 7_393_996, "0.583", 2048],
  ];
  for (const [name, params, gmacs, last] of torchvision) {
    const cost = backboneCost(backbones.get(name));
    const faceOutput = 2 * last + last * 7 * 7 * 512 + 512 + 2 * 512;
    const imageNetClassifier = last * 1000 + 1000;
    assert.strictEqual(cost.params - faceOutput, params - imageNetClassifier, name);
    // the stride-1 stem at 112 runs at the same 112×112 as ImageNet's stride-2 stem at 224, and so do the stages
    const imageNetMacs = cost.macs - last * 7 * 7 * 512 + last * 1000;
    assert.strictEqual((imageNetMacs / 1e9).toFixed(3), gmacs, name);
  }
});

Deno.test("flops: ResNeXt's MACs = the published ImageNet GMACs with the face stem, first unit and output swapped", () => {
  // ImageNet (224 input): Conv7×7 s2 stem at 112², max-pool, stage 1 at 56²; the face version (112 input) has a
  // Conv3×3 s1 stem at 112², and stage 1's first 1×1 conv (64 → 128) runs at 112² before its stride-2 3×3.
  const stem7 = 112 * 112 * 7 * 7 * 3 * 64;
  const stem3 = 112 * 112 * 3 * 3 * 3 * 64;
  const firstConv = (112 * 112 - 56 * 56) * 64 * 128;
  const fc = 2048 * 7 * 7 * 512;
  const imagenet = (name: string) =>
    (backboneCost(backbones.get(name)).macs - stem3 - firstConv - fc + stem7 + 2048 * 1000) / 1e9;
  assert.strictEqual(imagenet("resnext_50").toFixed(2), "4.23"); // torchvision resnext50_32x4d, 4.23 GFLOPS
  assert.strictEqual(imagenet("resnext_101").toFixed(1), "8.0"); // timm resnext101_32x4d, 8.0 GMACs
});

Deno.test("flops: ResNet-D costs nothing; the deep stem adds its hand-computed params and MACs", () => {
  const cost = (name: string, options: Record<string, unknown> = {}) => backboneCost(backbones.get(name), options);
  for (const name of ["resnet_50", "resnext_50", "ir_50"]) {
    const base = cost(name);
    const d = cost(name, { downsample: "avgpool" });
    assert.deepStrictEqual([d.params, d.macs], [base.params, base.macs], `${name}: ResNet-D`);
  }
  const deepConvs = (3 * 32 + 32 * 32 + 32 * 64) * 9;
  // ResNet: replaces Conv7×7 s2 (output 56²), adds two BN(32)
  const resnet = cost("resnet_50", { deepStem: true });
  assert.strictEqual(resnet.params - cost("resnet_50").params, deepConvs - 7 * 7 * 3 * 64 + 2 * 2 * 32);
  assert.strictEqual(resnet.macs - cost("resnet_50").macs, (deepConvs - 7 * 7 * 3 * 64) * 56 * 56);
  // face stems: replaces Conv3×3 s1 (output 112²), adds two BN(32) and two PReLU(32)
  for (const name of ["resnext_50", "ir_50"]) {
    const deep = cost(name, { deepStem: true });
    assert.strictEqual(deep.params - cost(name).params, deepConvs - 3 * 3 * 3 * 64 + 3 * 2 * 32, name);
    assert.strictEqual(deep.macs - cost(name).macs, (deepConvs - 3 * 3 * 3 * 64) * 112 * 112, name);
  }
});

Deno.test("flops: DPN's MACs = the ImageNet model's at 224 with the face stem, first unit and output swapped", () => {
  // ImageNet: k×k stride-2 stem conv at 112², max pool, stage 1 at 56² (first block stride 1); the face version has a
  // 3×3 stride-1 stem at 112² and stage 1's first 1×1 bottleneck conv (stem → k_R channels) runs at 112² before its
  // stride-2 grouped 3×3 (its stride-2 projection gives 56² outputs, as ImageNet's stride-1 one does).
  for (
    const [name, stem, kernel, kR, channels, gmacs] of [
      ["dpn_68", 10, 3, 128, 832, "2.33"], // 2,326,163,456; the authors' table says 2.5 GFLOPs
      ["dpn_92", 64, 7, 96, 2688, "6.50"], // 6,501,684,224; the authors' table: 6.5 GFLOPs
    ] as const
  ) {
    const faceStem = 112 * 112 * 3 * 3 * 3 * stem;
    const firstConv = (112 * 112 - 56 * 56) * stem * kR;
    const fc = channels * 7 * 7 * 512;
    const imagenetEnds = 112 * 112 * kernel * kernel * 3 * stem + channels * 1000;
    const imagenet = backboneCost(backbones.get(name)).macs - faceStem - firstConv - fc + imagenetEnds;
    assert.strictEqual((imagenet / 1e9).toFixed(2), gmacs, name);
  }
});

Deno.test("flops: FaceX-Zoo's TF-NAS-A 534.41 M = THOP rule + the output FC a second time + SE conv bias ops", () => {
  const cost = backboneCost(backbones.get("tf_nas_a"));
  assert.strictEqual(cost.thopMacs, 502_291_545);
  const fc = 1280 * 7 * 7 * 512;
  // THOP's conv rule adds one op per output element of a biased conv: the SE 1×1 convs (1×1 outputs), [mid, SE]
  const seBiasOutputs = [
    [32, 8],
    [83, 32],
    [138, 48],
    [170, 80],
    [248, 80],
    [504, 160],
    [723, 224],
    [555, 224],
    [1138, 384],
    [1359, 384],
    [1203, 384],
  ].reduce((sum, [mid, se]) => sum + mid + se, 0);
  assert.strictEqual(seBiasOutputs, 8161);
  assert.strictEqual(((cost.thopMacs + fc + seBiasOutputs) / 1e6).toFixed(2), "534.41");
  assert.strictEqual(((cost.thopMacs + fc) / 1e6).toFixed(2), "534.40", "without the bias ops the figure rounds lower");
});

Deno.test("flops: FaceX-Zoo's AttentionNet 98.96 M / 6.34 G and 134.56 M / 10.62 G, term by term", () => {
  // FaceX-Zoo's ResidualBlock creates its 1×1 projection conv (C·C) even where the shortcut is the identity; ours
  // does not. Identity units: 12 per stage-1 module, 9 per stage-2, 6 per stage-3, and the last two 2048 units.
  const unusedProjections = (modules: number[]) =>
    [[12, 256], [9, 512], [6, 1024]].reduce((sum, [units, c], s) => sum + modules[s] * units * c * c, 0) +
    2 * 2048 * 2048;
  // THOP's bilinear rule, 11 ops per output element, on the soft-mask up-samplings (outputs 14², 28², 56² at 256 ch
  // in stage 1; 14², 28² at 512 ch in stage 2; 14² at 1024 ch in stage 3)
  const upsampled = (modules: number[]) =>
    modules[0] * (14 * 14 + 28 * 28 + 56 * 56) * 256 + modules[1] * (14 * 14 + 28 * 28) * 512 +
    modules[2] * 14 * 14 * 1024;
  const fc = 2048 * 7 * 7 * 512;
  const cases: [string, number[], number, string, string][] = [
    ["attentionnet_56", [1, 1, 1], 6_264_600_064, "98.96", "6.34"],
    ["attentionnet_92", [1, 2, 3], 10_542_053_888, "134.56", "10.62"],
  ];
  for (const [name, modules, thopMacs, params, gmacs] of cases) {
    const cost = backboneCost(backbones.get(name));
    assert.strictEqual(cost.thopMacs, thopMacs);
    assert.strictEqual(((cost.params + unusedProjections(modules)) / 1e6).toFixed(2), params);
    assert.strictEqual(((cost.thopMacs + 11 * upsampled(modules) + fc) / 1e9).toFixed(2), gmacs);
    // neither extra term alone reaches the published figure
    assert.notStrictEqual(((cost.thopMacs + fc) / 1e9).toFixed(2), gmacs);
    assert.notStrictEqual(((cost.thopMacs + 11 * upsampled(modules)) / 1e9).toFixed(2), gmacs);
  }
});

Deno.test("flops: FaceX-Zoo's ReXNet 429.64 M and ResNeSt-50 5.55 G = THOP rule + the output FC a second time", () => {
  const cases: [string, number, number, number, string][] = [
    // [preset, THOP-rule MACs, channels into the output FC, unit of the published figure, published figure]
    ["rexnet_1_0", 416_798_552, 512, 1e6, "429.64"],
    ["resnest_50", 5_500_779_200, 2048, 1e9, "5.55"],
  ];
  for (const [name, thopMacs, channels, unit, published] of cases) {
    const cost = backboneCost(backbones.get(name));
    assert.strictEqual(cost.thopMacs, thopMacs);
    const fc = channels * 7 * 7 * 512;
    assert.strictEqual(((cost.thopMacs + fc) / unit).toFixed(2), published);
    assert.notStrictEqual((cost.thopMacs / unit).toFixed(2), published, "without the doubled FC the figure is lower");
  }
});
