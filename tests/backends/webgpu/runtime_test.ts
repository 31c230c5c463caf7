/** The WebGPU runtime: grid spreading, pipeline cache reuse across sizes, and command batching. */
import assert from "node:assert";
import { openDevice } from "../../../src/backends/webgpu/device.ts";
import { BufferPool } from "../../../src/backends/webgpu/pool.ts";
import { GpuRuntime, gridOf } from "../../../src/backends/webgpu/runtime.ts";
import { UNARY_SHADER } from "../../../src/core/param_blocks/mod.ts";
import { encodeBlock } from "../../../src/core/params.ts";
import { acos, add, relu, tensor } from "../../../src/ops/mod.ts";
import { scope } from "../../../src/core/scope.ts";
import { gpuTest } from "./_gpu.ts";

Deno.test("webgpu runtime: linear workgroup counts spread over x and y within the limit", () => {
  assert.deepStrictEqual(gridOf(10, 65535), [10, 1, 1]);
  assert.deepStrictEqual(gridOf(65535, 65535), [65535, 1, 1]);
  assert.deepStrictEqual(gridOf(65536, 65535), [65535, 2, 1]);
  assert.deepStrictEqual(gridOf(200000, 65535), [65535, 4, 1]);
});

gpuTest("one pipeline serves every size of an op; a new op compiles exactly one", async (gpu) => {
  const x = tensor(gpu, [1, -2, 3], [3]);
  scope(() => relu(x));
  const before = gpu.stats().pipelines;
  for (const n of [1, 300, 70000]) {
    scope(() => relu(tensor(gpu, new Float32Array(n), [n])));
  }
  assert.strictEqual(gpu.stats().pipelines, before);
  assert.deepStrictEqual(await scope(() => acos(x)).toArray(), [0, NaN, NaN]);
  assert.strictEqual(gpu.stats().pipelines, before + 1);
  x.dispose();
});

gpuTest("kernels are batched: twenty ops, one submit at the read", async (gpu) => {
  const x = tensor(gpu, [1, 2, 3, 4], [4]);
  await gpu.sync();
  const before = gpu.stats();
  const y = scope(() => {
    let t = x;
    for (let i = 0; i < 20; i++) t = add(t, x);
    return t;
  });
  assert.strictEqual(gpu.stats().submits, before.submits);
  assert.deepStrictEqual(await y.toArray(), [21, 42, 63, 84]);
  const after = gpu.stats();
  assert.strictEqual(after.dispatches - before.dispatches, 20);
  assert.strictEqual(after.submits - before.submits, 1);
  x.dispose();
  y.dispose();
});

gpuTest("a tensor above the supported rank fails naming the op and the limit", (gpu) => {
  const shape = [1, 1, 1, 1, 1, 1, 1, 1, 2];
  const x = tensor(gpu, [1, 2], shape);
  assert.throws(() => scope(() => add(x, x)), /webgpu add: rank 9 exceeds the supported 8/);
  x.dispose();
  return Promise.resolve();
});

gpuTest("a GPU validation error surfaces at the next sync naming the batch's ops, then the queue works", async () => {
  const { device } = await openDevice();
  const pool = new BufferPool(device);
  const rt = new GpuRuntime(device, pool, new Map([["relu", "this is not WGSL"]]));
  try {
    const x = { buffer: pool.acquire(16), size: 4 };
    rt.dispatch({ op: "relu", params: encodeBlock(UNARY_SHADER, { n: 4 }), reads: [x], writes: [x], groups: 1 });
    await assert.rejects(rt.sync(), /webgpu: .*\(in a batch of: relu\)/s);
    rt.writeBuffer(x.buffer, Float32Array.of(1, 2, 3, 4));
    assert.deepStrictEqual([...new Float32Array(await rt.readBuffer(x.buffer, 16))], [1, 2, 3, 4]);
  } finally {
    rt.destroy();
    pool.destroy();
    device.destroy();
  }
});
