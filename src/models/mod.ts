/**
 * Models: the `backbones` and `heads` registries with every family registered, the cost counter, and the MTCNN
 * face detector.
 * @module
 */
import "./backbones/mod.ts";
import "./heads/mod.ts";

export { Backbone } from "./backbones/backbone.ts";
export { Head, headObjective, type HeadOutput } from "./heads/head.ts";
export { type BackboneCost, backboneCost } from "./flops.ts";
export {
  backbones,
  createRegistry,
  globMatch,
  heads,
  type Registered,
  type Registry,
  type RegistryEntry,
} from "./registry.ts";
export { detectFaces, type FaceDetection, MTCNN_VERSION, type MtcnnOptions } from "./detectors/mtcnn.ts";
export { createMtcnnNets, type MtcnnNets } from "./detectors/mtcnn_nets.ts";
export {
  BLAZEFACE_SHORT_RANGE,
  type BlazeFaceDetection,
  decodeBlazeFace,
  gatherHeads,
  weightedNms,
} from "./detectors/blazeface.ts";
