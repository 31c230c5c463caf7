/**
 * One name everywhere: every op has its module in src/ops, a kernel in every backend's table, a test file in
 * tests/ops, a WGSL shader in shaders/ and an export of the WASM module of the same name.
 */
import assert from "node:assert";
import { OP_NAMES } from "../src/backends/kernels.ts";
import { backendNames, createBackend } from "../src/backends/registry.ts";

const root = new URL("../", import.meta.url);

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(new URL(path, root));
    return true;
  } catch {
    return false;
  }
}

async function missing(pathOf: (op: string) => string): Promise<string[]> {
  const result: string[] = [];
  for (const op of OP_NAMES) if (!(await exists(pathOf(op)))) result.push(pathOf(op));
  return result;
}

Deno.test("conventions: every op has src/ops/<op>.ts", async () => {
  assert.deepStrictEqual(await missing((op) => `src/ops/${op}.ts`), []);
});

Deno.test("conventions: every op has tests/ops/<op>_test.ts", async () => {
  assert.deepStrictEqual(await missing((op) => `tests/ops/${op}_test.ts`), []);
});

Deno.test("conventions: every op has shaders/<op>.wgsl", async () => {
  assert.deepStrictEqual(await missing((op) => `shaders/${op}.wgsl`), []);
});

Deno.test("conventions: every op is an export of wasm-simd/kernels.wasm", async () => {
  const bytes = await Deno.readFile(new URL("wasm-simd/kernels.wasm", root));
  const exported = new Set(WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name));
  assert.deepStrictEqual(OP_NAMES.filter((op) => !exported.has(op)), []);
});

Deno.test("conventions: the op-name list has no duplicates and uses snake_case", () => {
  assert.strictEqual(new Set(OP_NAMES).size, OP_NAMES.length);
  for (const op of OP_NAMES) assert.match(op, /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
});

for (const name of backendNames()) {
  Deno.test({
    name: `conventions: backend "${name}" has a kernel for every op`,
    sanitizeOps: false,
    sanitizeResources: false,
    fn: async () => {
      const backend = await createBackend(name, { threads: 1 });
      assert.deepStrictEqual(OP_NAMES.filter((op) => typeof backend.kernels[op] !== "function"), []);
    },
  });
}
