import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { channelShuffle, tensor } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("channel_shuffle", [
  { name: "2 groups of 3", inputs: [{ shape: [1, 2, 2, 6] }], run: ([x]) => channelShuffle(x, 2) },
  { name: "3 groups of 4", inputs: [{ shape: [2, 1, 2, 12] }], run: ([x]) => channelShuffle(x, 3) },
]);

Deno.test("channel_shuffle: interleaves the groups like ShuffleNet", async () => {
  const x = tensor(new ReferenceBackend(), [0, 1, 2, 3, 4, 5], [1, 1, 1, 6]);
  assert.deepStrictEqual(await channelShuffle(x, 2).toArray(), [0, 3, 1, 4, 2, 5]);
});
