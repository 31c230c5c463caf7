/**
 * Prints the README's backbone table: parameters and MMACs at the preset's input size (counted by
 * `backboneCost`: conv + FC multiply-accumulates, and THOP's convention that adds 2 per BatchNorm element), next
 * to the figures the anchor libraries publish.
 *
 * Run: deno run tools/model_table.ts
 * @module
 */
import { backboneCost, backbones } from "../src/models/mod.ts";

/**
 * Published figures: the THOP params/MACs of FaceX-Zoo's backbone table (JDAI-CV/FaceX-Zoo, README), the GFLOPs of
 * arcface_torch's model table (deepinsight/insightface, `recognition/arcface_torch/README.md`), and for the families no
 * face library ships, the ImageNet models whose body they share: torchvision's weight tables (`DenseNet121_Weights`,
 * `DenseNet169_Weights`; ShuffleNet V2's `num_params` and `_ops`), for ResNeXt, torchvision, timm and Cadene
 * `pretrainedmodels`, and for DPN, Cadene `pretrainedmodels` / timm and the authors' table (cypw/DPNs README; see the
 * README notes).
 */
const PUBLISHED: Record<string, string> = {
  ir_50: "FaceX-Zoo 43.57 M / 6.31 G MACs",
  ir_se_152: "FaceX-Zoo 71.14 M / 12.33 G MACs",
  mobilefacenet: "FaceX-Zoo 1.19 M / 227.57 M MACs",
  iresnet_18: "arcface_torch 2.6 GFLOPs",
  iresnet_50: "arcface_torch 6.3 GFLOPs",
  iresnet_100: "arcface_torch 12.1 GFLOPs",
  mbf: "arcface_torch 0.45 GFLOPs",
  ghostnet: "FaceX-Zoo 26.76 M / 194.49 M MACs",
  densenet_121: "torchvision 7.98 M / 2.83 GFLOPS @224 (ImageNet)",
  densenet_169: "torchvision 14.15 M / 3.36 GFLOPS @224 (ImageNet)",
  lightcnn_29v2: "FaceX-Zoo 11.60 M / 2.84 G MACs",
  efficientnet_b0: "FaceX-Zoo 33.44 M / 77.83 M MACs",
  hrnet: "FaceX-Zoo 70.63 M / 4.35 G MACs",
  shufflenetv2_0_5: "ImageNet torchvision 1.37 M / 0.040 G MACs",
  shufflenetv2_1_0: "ImageNet torchvision 2.28 M / 0.145 G MACs",
  shufflenetv2_1_5: "ImageNet torchvision 3.50 M / 0.296 G MACs",
  shufflenetv2_2_0: "ImageNet torchvision 7.39 M / 0.583 G MACs",
  resnext_50: "ImageNet body: torchvision 25.03 M / 4.23 GFLOPs",
  resnext_101: "ImageNet body: timm 44.18 M / 8.0 GMACs",
  se_resnext_50: "ImageNet body: Cadene 27.56 M",
  se_resnext_101: "ImageNet body: Cadene 48.96 M",
  dpn_68: "ImageNet body: Cadene/timm 12.61 M; authors 2.5 GFLOPs",
  dpn_92: "ImageNet body: Cadene/timm 37.67 M; authors 6.5 GFLOPs",
  tf_nas_a: "FaceX-Zoo 39.59 M / 534.41 M MACs",
  attentionnet_56: "FaceX-Zoo 98.96 M / 6.34 G MACs",
  attentionnet_92: "FaceX-Zoo 134.56 M / 10.62 G MACs",
  vit_t: "arcface_torch 1.5 GFLOPs",
  vit_s: "arcface_torch 5.7 GFLOPs",
  vit_b: "arcface_torch 11.4 GFLOPs",
  repvgg_a0: "FaceX-Zoo 39.94 M / 1.55 G MACs",
  repvgg_b0: "FaceX-Zoo 46.65 M / 3.44 G MACs",
  repvgg_b1: "FaceX-Zoo 106.75 M / 13.21 G MACs",
  swin_t: "FaceX-Zoo 46.74 M / 4.37 G MACs (224 input)",
  swin_s: "FaceX-Zoo 68.01 M / 8.53 G MACs (224 input)",
  rexnet_1_0: "FaceX-Zoo 15.20 M / 429.64 M MACs",
  resnest_50: "FaceX-Zoo 76.79 M / 5.55 G MACs",
};

const rows = backbones.list().map((entry) => {
  const cost = backboneCost(entry);
  return `| ${entry.name} | ${cost.params.toLocaleString("en-US")} | ${(cost.macs / 1e6).toFixed(1)} | ${
    (cost.thopMacs / 1e6).toFixed(1)
  } | ${PUBLISHED[entry.name] ?? ""} | ${entry.description} |`;
});
console.log("| backbone | params | MMACs @112 (conv+FC) | MMACs @112 (THOP rule) | published | description |");
console.log("|---|---:|---:|---:|---|---|");
for (const row of rows) console.log(row);
