/**
 * Neural-network building blocks: `Module` (parameters by path, train/eval, state/load), layers and inits.
 * @module
 */
export * from "./activation.ts";
export * from "./attention.ts";
export * from "./batch_norm.ts";
export * from "./conv2d.ts";
export * from "./dropout.ts";
export * from "./epilogue.ts";
export * from "./init.ts";
export * from "./layer_norm.ts";
export * from "./linear.ts";
export * from "./module.ts";
export * from "./prelu.ts";
export * from "./se.ts";
export * from "./sequential.ts";
