/**
 * Model cost without computing anything: the model is built and run on the "shape" backend
 * (`backends/shape/backend.ts`), which only propagates shapes and counts multiply-accumulates (MACs) of conv2d
 * and matmul kernels and the elements that batch_norm kernels normalise. FaceX-Zoo's published MACs
 * (THOP) are conv + FC MACs plus 2 per BatchNorm element (THOP's BN rule; PReLU, adds and pooling count 0),
 * which {@link BackboneCost.thopMacs} reproduces exactly (MobileFaceNet 227.57 M, IR-50 6.31 G).
 * @module
 */
import { ShapeBackend } from "../backends/shape/backend.ts";
import { Rng } from "../core/rng.ts";
import { scope } from "../core/scope.ts";
import { noGrad } from "../core/tape.ts";
import { zeros } from "../ops/mod.ts";
import type { Registered } from "./registry.ts";
import type { Backbone } from "./backbones/backbone.ts";
import type { ModuleContext } from "../nn/module.ts";
import { unfused } from "../nn/epilogue.ts";

/** Size and cost of one backbone preset. */
export interface BackboneCost {
  /** parameter elements (frozen included, BN running statistics excluded) */
  params: number;
  /** multiply-accumulates of one forward pass of one image (conv + FC) */
  macs: number;
  /** `macs` + 2 per BatchNorm element: the figure THOP (FaceX-Zoo's tables) reports */
  thopMacs: number;
  /** input side the cost was measured at */
  inputSize: number;
  /** output shape for a batch of one */
  outputShape: readonly number[];
}

/** Builds `entry` with `options` structure-only and measures parameters and MACs for one image (eval mode). */
export function backboneCost(entry: Registered<ModuleContext, Backbone>, options: unknown = {}): BackboneCost {
  const backend = new ShapeBackend();
  const ctx: ModuleContext = { backend, rng: new Rng(0, "init"), initialize: false };
  const model = entry.create(options, ctx);
  const params = model.parameterCount();
  backend.macs = 0;
  backend.bnElements = 0;
  // Unfused, so that every BatchNorm runs its own batch_norm kernel and is counted.
  const outputShape = noGrad(() =>
    unfused(() => scope(() => model.eval().forward(zeros(backend, [1, model.inputSize, model.inputSize, 3])).shape))
  );
  model.dispose();
  const { macs, bnElements } = backend;
  return { params, macs, thopMacs: macs + 2 * bnElements, inputSize: model.inputSize, outputShape };
}
