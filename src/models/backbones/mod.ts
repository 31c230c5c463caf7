/**
 * Registers every backbone family with the `backbones` registry (one import per family file).
 * @module
 */
import "./ir.ts";
import "./iresnet.ts";
import "./resnet.ts";
import "./mobilefacenet.ts";
import "./ghostnet.ts";
import "./densenet.ts";
import "./lightcnn.ts";
import "./efficientnet.ts";
import "./shufflenetv2.ts";
import "./resnext.ts";
import "./dpn.ts";
import "./tf_nas.ts";
import "./hrnet.ts";
import "./attentionnet.ts";
import "./vit.ts";
import "./repvgg.ts";
import "./swin.ts";
import "./rexnet.ts";
import "./resnest.ts";

export { backbones } from "../registry.ts";
export { Backbone } from "./backbone.ts";
