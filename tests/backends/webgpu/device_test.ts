/** WebGPU device setup: adapter info for reports, and a clear error when there is no adapter. */
import assert from "node:assert";
import { openDevice } from "../../../src/backends/webgpu/device.ts";
import { gpuTest } from "./_gpu.ts";

gpuTest("info() reports vendor, architecture, description and the fallback flag", (gpu) => {
  const { name, details } = gpu.info();
  assert.strictEqual(name, "webgpu");
  assert.strictEqual(typeof details.vendor, "string");
  assert.strictEqual(typeof details.architecture, "string");
  assert.ok(typeof details.description === "string" && details.description.length > 0, "empty description");
  assert.strictEqual(typeof details.isFallbackAdapter, "boolean");
  assert.ok((details.maxStorageBufferBindingSize as number) >= 128 * 1024 * 1024);
  return Promise.resolve();
});

Deno.test("without an adapter, opening the device fails saying why and what to install", async () => {
  const fake = { requestAdapter: () => Promise.resolve(null) };
  Object.defineProperty(navigator, "gpu", { value: fake, configurable: true });
  try {
    await assert.rejects(openDevice(), (e: Error) => {
      assert.match(e.message, /no GPU adapter found/);
      assert.match(e.message, /mesa-vulkan-drivers libegl-mesa0 libgl1-mesa-dri/);
      assert.match(e.message, /--backend wasm\|reference/);
      return true;
    });
  } finally {
    delete (navigator as unknown as Record<string, unknown>).gpu;
  }
  assert.notStrictEqual((navigator as Navigator & { gpu?: unknown }).gpu, fake);
});
