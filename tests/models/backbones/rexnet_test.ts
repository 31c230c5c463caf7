/**
 * ReXNet's channel schedule: FaceX-Zoo's ReXNet 1.0 (input_ch 16, final_ch 180, 16 blocks) grows by 180/16 = 11.25
 * per block with Python's round, halves to even (38.5 → 38, 128.5 → 128), and its stride/expansion layout.
 */
import assert from "node:assert";
import { backbones } from "../../../src/models/mod.ts";
import { type RexnetOptions, rexnetSchedule, roundHalfEven } from "../../../src/models/backbones/rexnet.ts";

Deno.test("rexnet: roundHalfEven is Python's round", () => {
  assert.deepStrictEqual([0.5, 1.5, 2.5, 38.5, 83.5, 2.4999, 2.5001, 7].map(roundHalfEven), [0, 2, 2, 38, 84, 2, 3, 7]);
});

Deno.test("rexnet: rexnet_1_0 has FaceX-Zoo's stem, channel schedule, strides and expansions", () => {
  const options = backbones.get("rexnet_1_0").schema.parse({}) as RexnetOptions;
  const { stem, blocks } = rexnetSchedule(options);
  assert.strictEqual(stem, 32);
  // ReXNetV1.__init__ at width 1.0 (in_channels_group / channels_group, as Python computes them)
  const outs = [16, 27, 38, 50, 61, 72, 84, 95, 106, 117, 128, 140, 151, 162, 174, 185];
  assert.deepStrictEqual(blocks.map((b) => b.outChannels), outs);
  assert.deepStrictEqual(blocks.map((b) => b.inChannels), [32, ...outs.slice(0, -1)]);
  assert.deepStrictEqual(blocks.map((b) => b.stride), [1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1]);
  assert.deepStrictEqual(blocks.map((b) => b.expansion), [1, ...Array(15).fill(6)]);
});
