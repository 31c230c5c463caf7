/** The WebGPU buffer pool: size classes, reuse of disposed buffers of the same class, and trimming free buffers. */
import assert from "node:assert";
import { sizeClass } from "../../../src/backends/webgpu/pool.ts";
import { gpuTest } from "./_gpu.ts";

Deno.test("webgpu pool: size classes start at 256 bytes and waste at most a quarter", () => {
  assert.deepStrictEqual([1, 256, 257, 1000, 4096, 4097].map(sizeClass), [256, 256, 320, 1024, 4096, 5120]);
  let previous = 0;
  for (let bytes = 1; bytes < 1 << 20; bytes = Math.ceil(bytes * 1.07)) {
    const cls = sizeClass(bytes);
    assert.ok(cls >= bytes && cls <= Math.max(256, bytes * 1.25), `class ${cls} for ${bytes} bytes`);
    assert.ok(cls >= previous, `classes must not shrink: ${cls} after ${previous}`);
    previous = cls;
  }
});

gpuTest("a disposed buffer is reused by the next allocation of its size class", async (gpu) => {
  const live = gpu.memory().liveBytes;
  const a = gpu.allocate("f32", 1000);
  assert.strictEqual(gpu.memory().liveBytes, live + 4000);
  gpu.dispose(a);
  const before = gpu.stats();
  const b = gpu.allocate("i32", 900);
  const after = gpu.stats();
  assert.strictEqual(b.buffer, a.buffer);
  assert.strictEqual(after.created, before.created);
  assert.strictEqual(after.reused, before.reused + 1);
  gpu.dispose(b);
  assert.strictEqual(gpu.memory().liveBytes, live);
  await gpu.sync();
});

gpuTest("trim destroys the free buffers only, and a trimmed size class is created afresh", async (gpu) => {
  await gpu.trim();
  const start = gpu.stats();
  const kept = gpu.allocate("f32", 3000);
  const freed = gpu.allocate("f32", 5000);
  gpu.upload(kept, "f32", Float32Array.from({ length: 3000 }, (_, i) => i));
  gpu.dispose(freed);
  await gpu.trim();
  const trimmed = gpu.stats();
  assert.strictEqual(trimmed.trimmed, start.trimmed + 1, "one free buffer destroyed");
  assert.strictEqual(
    trimmed.ownedBytes,
    start.ownedBytes + 12288,
    "the live buffer (3000 floats, class 12,288 B) stays",
  );
  const values = await gpu.read({ storage: kept, shape: [3000], dtype: "f32", size: 3000 });
  assert.strictEqual(values[2999], 2999, "the live buffer's contents survive a trim");
  const again = gpu.allocate("f32", 5000);
  assert.strictEqual(gpu.stats().created, trimmed.created + 1, "the trimmed class is not reused");
  gpu.dispose(again);
  gpu.dispose(kept);
  await gpu.trim();
  assert.strictEqual(gpu.stats().ownedBytes, start.ownedBytes);
});
