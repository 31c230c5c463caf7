/**
 * `channel_shuffle`: ShuffleNet's channel shuffle on NHWC maps (view C as [groups, C/groups], transpose).
 * @module
 */
import { assertRank, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Shape rule and gradient of `channel_shuffle` (gradient: the shuffle with C/groups groups). */
export const channelShuffleSpec: OpSpec<"channel_shuffle"> = {
  name: "channel_shuffle",
  outputs(inputs, { groups }) {
    expectInputCount("channel_shuffle", inputs, 1);
    const x = inputs[0];
    assertRank("channel_shuffle", "x", x.shape, 4, "NHWC");
    if (!Number.isInteger(groups) || groups < 1 || x.shape[3] % groups !== 0) {
      throw new ShapeError("channel_shuffle", "groups", `must divide channels ${x.shape[3]}, got ${groups}`);
    }
    return [{ shape: x.shape, dtype: x.dtype }];
  },
  grad: ({ inputs: [x], grads: [dy], attrs: { groups } }) => [channelShuffle(dy!, x.shape[3] / groups)],
};

/** Shuffles the channels of NHWC `x` across `groups`. */
export function channelShuffle(x: Tensor, groups: number): Tensor {
  return runOp(channelShuffleSpec, [x], { groups })[0];
}
