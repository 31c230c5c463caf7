/**
 * The WGSL sources: one per op (but the composed ones) with its header, includes resolved, and every shader compiles
 * without errors.
 */
import assert from "node:assert";
import { OP_NAMES } from "../../../src/core/kernels.ts";
import { openDevice } from "../../../src/backends/webgpu/device.ts";
import { COMPOSED_OPS, loadShaderSources, shaderProblems } from "../../../src/backends/webgpu/shaders.ts";
import { gpuTest } from "./_gpu.ts";

Deno.test("webgpu shaders: every op has a source that opens with its name and has no include left", async () => {
  const sources = await loadShaderSources();
  assert.deepStrictEqual([...sources.keys()], OP_NAMES.filter((op) => !COMPOSED_OPS.has(op)));
  assert.deepStrictEqual([...COMPOSED_OPS].filter((op) => !OP_NAMES.includes(op)), [], "composed ops are ops");
  for (const [op, code] of sources) {
    assert.ok(code.startsWith(`// ${op}: `), `shaders/${op}.wgsl must open with "// ${op}: "`);
    assert.ok(!code.includes("//!include"), `shaders/${op}.wgsl has an unresolved include`);
    assert.match(code, /@compute @workgroup_size/, `shaders/${op}.wgsl has no compute entry point`);
  }
});

gpuTest("every shader compiles without errors or warnings", async () => {
  const { device } = await openDevice();
  try {
    assert.deepStrictEqual(await shaderProblems(device), []);
  } finally {
    device.destroy();
  }
});
