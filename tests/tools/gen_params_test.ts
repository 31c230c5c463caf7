import assert from "node:assert";
import { PARAM_BLOCKS } from "../../src/core/param_blocks/mod.ts";
import { generatedFiles } from "../../tools/gen_params.ts";

const root = new URL("../../", import.meta.url);

Deno.test("gen_params: the committed C header and WGSL includes are what `deno task gen` writes", async () => {
  const stale: string[] = [];
  for (const [path, text] of generatedFiles(PARAM_BLOCKS)) {
    const committed = await Deno.readTextFile(new URL(path, root)).catch(() => "");
    if (committed !== text) stale.push(path);
  }
  assert.deepStrictEqual(stale, [], "run `deno task gen` and commit the result");
});

Deno.test("gen_params: no generated WGSL include is left over from a block that no longer exists", async () => {
  const expected = new Set([...generatedFiles(PARAM_BLOCKS).keys()]);
  const leftover: string[] = [];
  for await (const entry of Deno.readDir(new URL("shaders/", root))) {
    const path = `shaders/${entry.name}`;
    if (entry.name.startsWith("_params_") && !expected.has(path)) leftover.push(path);
  }
  assert.deepStrictEqual(leftover, []);
});

Deno.test("gen_params: C structs carry their size and offsets; WGSL uniform blocks bind P and word accessors", () => {
  const files = generatedFiles(PARAM_BLOCKS);
  const header = files.get("wasm-simd/params.h")!;
  assert.match(header, /_Static_assert\(sizeof\(ConvParams\) == 160, "ConvParams size"\);/);
  assert.match(header, /_Static_assert\(__builtin_offsetof\(ConvParams, x\) == 80, "ConvParams.x offset"\);/);
  assert.ok(header.includes("  ConvGeom geom; /* word 0 */"), "nested blocks are struct members");
  const conv = files.get("shaders/_params_conv_shader_params.wgsl")!;
  assert.match(conv, /\/\/!include _params_conv_geom\.wgsl/);
  assert.match(conv, /@group\(0\) @binding\(0\) var<uniform> P: ConvShaderParams;/);
  const geom = files.get("shaders/_params_conv_geom.wgsl")!;
  assert.doesNotMatch(geom, /var<uniform>/, "a nested block is not a uniform of its own");
  const copy = files.get("shaders/_params_copy_shader_params.wgsl")!;
  assert.ok(copy.includes("fn src_strides_at(i: u32) -> u32 {\n  return P.src_strides[i / 4u][i % 4u];\n}"));
});
