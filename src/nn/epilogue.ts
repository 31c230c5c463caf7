/**
 * Epilogue fusion of layer chains: a `BatchNorm` followed by a `PReLU` — with the bias of a `Conv2d` just before
 * them, when it has one — runs as one `channel_affine_prelu` pass once the BatchNorm is in eval mode, its running
 * statistics and the conv bias folded into a per-channel scale and shift. In training mode the conv runs on its own
 * and the pair as one `batch_norm_prelu` op, which gives the bits of the two layers in turn. {@link unfused} turns
 * fusion off for a computation (comparisons against the unfused path; MAC counting, which counts BatchNorm
 * elements).
 * @module
 */
import { createSwitch } from "../core/switch.ts";
import type { Tensor } from "../core/tensor.ts";
import { channelAffinePrelu } from "../ops/mod.ts";
import { BatchNorm } from "./batch_norm.ts";
import { Conv2d } from "./conv2d.ts";
import type { Layer } from "./module.ts";
import { PReLU } from "./prelu.ts";

const fusion = createSwitch();

/** Runs `fn` with epilogue fusion off: every layer of a chain runs on its own, in eval mode too. */
export function unfused<T>(fn: () => T): T {
  return fusion.off(fn);
}

/** One step of a layer chain: a layer, or a fused run of layers. */
export interface ChainStep {
  /** Computes the step's output. */
  forward(x: Tensor): Tensor;
}

/** [Conv2d with bias →] BatchNorm → PReLU: one fused pass in eval mode, `batch_norm_prelu` in training mode. */
class FusedEpilogue implements ChainStep {
  readonly #conv: Conv2d | null;
  readonly #bn: BatchNorm;
  readonly #prelu: PReLU;

  constructor(conv: Conv2d | null, bn: BatchNorm, prelu: PReLU) {
    this.#conv = conv;
    this.#bn = bn;
    this.#prelu = prelu;
  }

  forward(x: Tensor): Tensor {
    if (fusion.isOn() && !this.#bn.training) {
      const { scale, shift } = this.#bn.inferenceAffine(this.#conv?.bias);
      return channelAffinePrelu(this.#conv ? this.#conv.convolve(x) : x, scale, shift, this.#prelu.alpha);
    }
    const h = this.#conv ? this.#conv.forward(x) : x;
    return fusion.isOn() ? this.#bn.forwardPrelu(h, this.#prelu.alpha) : this.#prelu.forward(this.#bn.forward(h));
  }
}

/** The steps of a chain: each BatchNorm → PReLU pair, with a biased Conv2d just before it, becomes one step. */
export function fuseEpilogues(layers: readonly Layer[]): ChainStep[] {
  const steps: ChainStep[] = [];
  for (let i = 0; i < layers.length; i++) {
    const [bn, prelu] = [layers[i], layers[i + 1]];
    if (bn instanceof BatchNorm && prelu instanceof PReLU) {
      const before = steps.at(-1);
      const conv = before instanceof Conv2d && before.bias ? before : null;
      if (conv) steps.pop();
      steps.push(new FusedEpilogue(conv, bn, prelu));
      i++;
    } else {
      steps.push(layers[i]);
    }
  }
  return steps;
}
