import assert from "node:assert";
import { servePage } from "../../src/cli/page_server.ts";

Deno.test("page server: cross-origin isolation headers, the page, bundles and engine files; nothing else", async () => {
  const outDir = await Deno.makeTempDir({ prefix: "facebench-serve-" });
  await Deno.writeTextFile(`${outDir}/page.js`, "export {};\n");
  const server = await servePage(outDir, 0);
  try {
    const get = async (path: string, method = "GET") => {
      const response = await fetch(new URL(path, server.url), { method });
      await response.body?.cancel();
      return response;
    };
    for (
      const [path, type] of [
        ["/", "text/html; charset=utf-8"],
        ["/dist/page.js", "text/javascript; charset=utf-8"],
        ["/wasm-simd/kernels.wasm", "application/wasm"],
        ["/shaders/conv2d.wgsl", "text/plain; charset=utf-8"],
        ["/fixtures/data/synthface-ci.json", "application/json"],
        ["/benchmarks/presets/ci-gate.json", "application/json"],
        ["/fixtures/baselines/ci-gate.json", "application/json"],
      ]
    ) {
      const response = await get(path);
      assert.strictEqual(response.status, 200, path);
      assert.strictEqual(response.headers.get("content-type"), type, path);
      assert.strictEqual(response.headers.get("cross-origin-opener-policy"), "same-origin", path);
      assert.strictEqual(response.headers.get("cross-origin-embedder-policy"), "require-corp", path);
    }
    assert.strictEqual((await get("/fixtures/data/synthface-ci.json", "HEAD")).status, 200);
    for (const path of ["/deno.json", "/src/cli/serve.ts", "/wasm-simd/build.sh", "/dist/missing.js", "/.cache/x"]) {
      assert.strictEqual((await get(path)).status, 404, path);
    }
    assert.strictEqual((await get("/fixtures/data/%2e%2e/%2e%2e/deno.json")).status, 404);
  } finally {
    await server.shutdown();
    await Deno.remove(outDir, { recursive: true });
  }
});
