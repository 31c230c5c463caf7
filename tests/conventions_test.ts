/**
 * One name everywhere: every op has its module in src/ops, a kernel in every backend's table, a test file in
 * tests/ops, a WGSL shader in shaders/ (but the ops whose WebGPU kernels run other ops' shaders, `COMPOSED_OPS`) and an
 * export of the WASM module of the same name. And one-way layers: a
 * folder of src/ imports only from itself and from the layers below it; backend kernels are called only by the op
 * dispatcher (and inside the backends).
 */
import assert from "node:assert";
import { OP_NAMES } from "../src/core/kernels.ts";
import { backendNames, createBackend } from "../src/backends/registry.ts";
import { COMPOSED_OPS } from "../src/backends/webgpu/shaders.ts";

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

Deno.test("conventions: every op has shaders/<op>.wgsl, but those composed of other ops' shaders", async () => {
  const expected = [...COMPOSED_OPS].map((op) => `shaders/${op}.wgsl`);
  assert.deepStrictEqual(await missing((op) => `shaders/${op}.wgsl`), expected);
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

/**
 * The floors of src/, lowest first. A folder imports from its own floor's folder and from lower floors only; folders
 * on one floor do not import each other (core and io side by side at the bottom; ops, backends and data above core;
 * cli and web, the command line and the browser page, side by side at the top).
 */
const FLOORS: readonly (readonly string[])[] = [
  ["core", "io"],
  ["ops", "backends", "data"],
  ["nn"],
  ["losses", "models", "eval"],
  ["train", "report"],
  ["bench"],
  ["cli", "web"],
];

async function sourceFiles(dir: URL, prefix: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${prefix}/${entry.name}`;
    if (entry.isDirectory) files.push(...await sourceFiles(new URL(`${entry.name}/`, dir), path));
    else if (entry.name.endsWith(".ts")) files.push(path);
  }
  return files;
}

Deno.test("conventions: src/ layers import one way, downward (core at the bottom, io beside it)", async () => {
  const floorOf = new Map(FLOORS.flatMap((names, floor) => names.map((name) => [name, floor] as const)));
  const files = await sourceFiles(new URL("src/", root), "src");
  const folders = new Set(files.map((file) => file.split("/")[1]).filter((name) => !name.endsWith(".ts")));
  assert.deepStrictEqual([...folders].filter((name) => !floorOf.has(name)), [], "every folder of src/ has a floor");
  const upward: string[] = [];
  for (const file of files) {
    const text = await Deno.readTextFile(new URL(file, root));
    const from = file.split("/")[1];
    for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.\.?\/[^"']+)["']/g)) {
      const target = new URL(spec, new URL(file, root)).href.slice(root.href.length);
      const to = target.split("/")[1];
      if (!target.startsWith("src/") || to === from) continue;
      if (floorOf.get(to)! >= floorOf.get(from)!) upward.push(`${file} -> ${target}`);
    }
  }
  assert.deepStrictEqual(upward, []);
});

/** Where backend kernels may be called: the op dispatcher, and the backends that implement (and compose) them. */
const KERNEL_CALLERS = (file: string) => file === "src/ops/op.ts" || file.startsWith("src/backends/");

Deno.test("conventions: kernels are called only through ops (src/ops/op.ts), never from the tape, nn or above", async () => {
  const files = await sourceFiles(new URL("src/", root), "src");
  assert.ok(files.includes("src/core/tape.ts") && files.some((file) => file.startsWith("src/nn/")));
  const direct: string[] = [];
  for (const file of files.filter((f) => !KERNEL_CALLERS(f))) {
    const text = await Deno.readTextFile(new URL(file, root));
    for (const [line, n] of text.split("\n").map((l, i) => [l, i + 1] as const)) {
      if (/\.kernels\b|\bkernels\s*\[|[{,]\s*kernels\s*[,}:]/.test(line)) direct.push(`${file}:${n}: ${line.trim()}`);
    }
  }
  assert.deepStrictEqual(direct, []);
});

/** The host edge: the only folders of src/ whose code may use the Deno namespace (ARCHITECTURE.md). */
const HOST_EDGE = (file: string) => file.startsWith("src/cli/") || file.startsWith("src/io/");

Deno.test("conventions: no Deno.* in src/ outside the host edge (src/cli, src/io), so the engine bundles for a page", async () => {
  const files = await sourceFiles(new URL("src/", root), "src");
  assert.ok(files.includes("src/io/deno_host.ts") && files.includes("src/data/raw_file.ts"));
  const uses: string[] = [];
  for (const file of files.filter((f) => !HOST_EDGE(f))) {
    const text = await Deno.readTextFile(new URL(file, root));
    for (const [line, n] of text.split("\n").map((l, i) => [l, i + 1] as const)) {
      if (/\bDeno\./.test(line)) uses.push(`${file}:${n}: ${line.trim()}`);
    }
  }
  assert.deepStrictEqual(uses, []);
});
