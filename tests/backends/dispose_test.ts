/**
 * `await using` on a backend from `createBackend` releases it at the end of the scope (WASM: the workers stop, and
 * the backend refuses further use), and `using` on a loader closes it. That the processes then exit on their own is
 * checked by tests/readme_snippets_test.ts, whose snippets rely on both.
 * @module
 */
import assert from "node:assert";
import { createBackend } from "../../src/backends/registry.ts";
import { loaderFor } from "../../src/data/mod.ts";

Deno.test("await using: a WASM backend is destroyed when its scope ends", async () => {
  let escaped;
  {
    await using backend = await createBackend("wasm", { threads: 2 });
    backend.allocate("f32", 4);
    escaped = backend;
  }
  assert.throws(() => escaped.allocate("f32", 4), /wasm backend: allocate after destroy\(\)/);
});

Deno.test("using: a loader is closed when its scope ends", async () => {
  const set = {
    images: new Uint8Array(4 * 8 * 8 * 3),
    labels: Int32Array.of(0, 1, 0, 1),
    count: 4,
    height: 8,
    width: 8,
    numClasses: 2,
  };
  let closed = 0;
  {
    using loader = loaderFor(set, 2, 1, { prefetch: "none" });
    const close = loader.close.bind(loader);
    loader.close = () => {
      closed++;
      close();
    };
    assert.deepStrictEqual((await loader.next()).shape, [2, 8, 8, 3]);
  }
  assert.strictEqual(closed, 1);
});
