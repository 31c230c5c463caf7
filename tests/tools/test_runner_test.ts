/**
 * `deno task test`'s choice of wgpu backend (tools/test_runner.ts), on this machine's drivers with some of them
 * hidden: VK_ICD_FILENAMES=/nonexistent hides the Vulkan drivers, __EGL_VENDOR_LIBRARY_FILENAMES=/nonexistent the
 * GL (EGL) ones.
 * @module
 */
import assert from "node:assert";
import { chooseWebGpuBackend, probeAdapter } from "../../tools/test_runner.ts";
import { isCi } from "../_util/ci.ts";

const NO_VULKAN = { VK_ICD_FILENAMES: "/nonexistent" };
const NO_GL = { __EGL_VENDOR_LIBRARY_FILENAMES: "/nonexistent" };
const env = Deno.env.toObject();
delete env.DENO_WEBGPU_BACKEND;
const [vulkan, gl] = await Promise.all([probeAdapter("vulkan", env), probeAdapter("gl", { ...env, ...NO_VULKAN })]);

Deno.test("test runner: DENO_WEBGPU_BACKEND from the environment is kept", async () => {
  const choice = await chooseWebGpuBackend({ ...env, DENO_WEBGPU_BACKEND: "gl" });
  assert.deepStrictEqual({ ...choice, adapter: null }, { backend: "gl", adapter: null, fromEnvironment: true });
});

Deno.test({
  name: "test runner: Vulkan is chosen when it gives an adapter",
  ignore: vulkan === null && !isCi(),
  fn: async () => {
    assert.deepStrictEqual(await chooseWebGpuBackend(env), {
      backend: "vulkan",
      adapter: vulkan,
      fromEnvironment: false,
    });
  },
});

Deno.test({
  name: "test runner: without a Vulkan driver GL is chosen when it gives an adapter",
  ignore: gl === null && !isCi(),
  fn: async () => {
    const choice = await chooseWebGpuBackend({ ...env, ...NO_VULKAN });
    assert.deepStrictEqual(choice, { backend: "gl", adapter: gl, fromEnvironment: false });
  },
});

Deno.test("test runner: with neither driver there is no adapter, and Vulkan stays the backend", async () => {
  const choice = await chooseWebGpuBackend({ ...env, ...NO_VULKAN, ...NO_GL });
  assert.deepStrictEqual(choice, { backend: "vulkan", adapter: null, fromEnvironment: false });
});
