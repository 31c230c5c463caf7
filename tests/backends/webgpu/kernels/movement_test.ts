/**
 * WebGPU data movement copies raw 32-bit words, so i32 tensors move exactly like f32 ones; checked bit for bit
 * against the reference backend on odd shapes.
 */
import { channelShuffle, concat, fill, pad, reshape, slice, transpose } from "../../../../src/ops/mod.ts";
import { checkParity, gpuTest } from "../_gpu.ts";

const labels = { shape: [3, 5, 4, 6], dtype: "i32" as const, range: [-1000000, 1000000] as [number, number] };

gpuTest("slice, concat, pad, reshape, transpose and channel_shuffle on i32 tensors", async (gpu) => {
  await checkParity(gpu, "i32 movement", [labels, labels], ([a, b]) => [
    slice(a, [1, 0, 1, 2], [2, 5, 3, 3]),
    concat([a, b], 2),
    pad(a, [0, 1, 0, 2], [1, 0, 2, 0]),
    reshape(a, [15, 24]),
    transpose(a, [3, 1, 0, 2]),
    channelShuffle(a, 3),
  ], 0);
});

gpuTest("fill writes f32 and i32 values exactly", async (gpu) => {
  await checkParity(gpu, "fill", [], (_, b) => [fill(b, [7, 3], -2.5), fill(b, [5], -7, "i32")], 0);
});
