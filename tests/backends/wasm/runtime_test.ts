import assert from "node:assert";
import { WasmBackend } from "../../../src/backends/wasm/backend.ts";
import { createBackend } from "../../../src/backends/registry.ts";
import { matmul, tensor } from "../../../src/ops/mod.ts";

function randomMatrix(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

Deno.test("wasm runtime: info reports threads and SIMD mode; memory reports live and peak bytes", async () => {
  const backend = await createBackend("wasm", { threads: 2 });
  try {
    const info = backend.info();
    assert.strictEqual(info.name, "wasm");
    assert.strictEqual(info.threads, 2);
    assert.strictEqual(info.details.simd, "simd128");
    assert.strictEqual(info.details.mode, "deterministic");
    const before = backend.memory().liveBytes;
    const t = tensor(backend, new Float32Array(1000), [1000]);
    assert.strictEqual(backend.memory().liveBytes, before + 4000);
    t.dispose();
    assert.strictEqual(backend.memory().liveBytes, before);
    assert.ok(backend.memory().peakBytes >= before + 4000);
  } finally {
    backend.destroy();
  }
});

Deno.test("wasm runtime: a 2-thread matmul equals the 1-thread one bit for bit, across memory growth", async () => {
  const one = await WasmBackend.create({ threads: 1 });
  const two = await WasmBackend.create({ threads: 2 });
  try {
    // 300 x 200 x 250: several GEMM row blocks, ragged tiles; the 64 MiB tensor forces the memory to grow.
    const a = randomMatrix(300 * 200, 1);
    const b = randomMatrix(200 * 250, 2);
    const results: Float32Array[] = [];
    for (const backend of [one, two]) {
      const big = tensor(backend, new Float32Array(16 * 1024 * 1024), [16 * 1024 * 1024]);
      const c = matmul(tensor(backend, a, [300, 200]), tensor(backend, b, [200, 250]));
      results.push((await c.read()) as Float32Array);
      big.dispose();
    }
    assert.deepStrictEqual(results[1], results[0]);
    let want = 0;
    for (let p = 0; p < 200; p++) want += a[299 * 200 + p] * b[p * 250 + 249];
    assert.ok(
      Math.abs(results[0][300 * 250 - 1] - want) < 1e-4,
      `C[299, 249] = ${results[0][300 * 250 - 1]}, want ${want}`,
    );
  } finally {
    one.destroy();
    two.destroy();
  }
});

Deno.test("wasm runtime: rejects bad thread counts and use after destroy", async () => {
  await assert.rejects(() => WasmBackend.create({ threads: 0 }), /threads must be an integer in \[1, 48\], got 0/);
  const backend = await WasmBackend.create({ threads: 1 });
  backend.destroy();
  assert.throws(() => backend.allocate("f32", 4), /allocate after destroy/);
});

/** Runs `fn` with a fast-build and a default-build backend (one thread each), destroying both after. */
async function withBothBuilds(fn: (fast: WasmBackend, exact: WasmBackend) => Promise<void>): Promise<void> {
  const fast = await WasmBackend.create({ threads: 1, mode: "fast" });
  const exact = await WasmBackend.create({ threads: 1 });
  try {
    await fn(fast, exact);
  } finally {
    fast.destroy();
    exact.destroy();
  }
}

Deno.test("wasm runtime: the fast (relaxed SIMD) build says so and agrees with the default build to rounding", () =>
  withBothBuilds(async (fast, exact) => {
    assert.strictEqual(fast.info().details.mode, "fast");
    assert.strictEqual(fast.info().details.simd, "simd128+relaxed");
    const a = randomMatrix(70 * 90, 3);
    const b = randomMatrix(90 * 50, 4);
    const [x, y] = await Promise.all(
      [fast, exact].map((be) => matmul(tensor(be, a, [70, 90]), tensor(be, b, [90, 50])).read()),
    );
    let err = 0;
    for (let i = 0; i < x.length; i++) err = Math.max(err, Math.abs(x[i] - y[i]));
    assert.ok(err < 1e-5, `fast and deterministic builds differ by ${err}`);
  }));

Deno.test("wasm runtime: the multiply-add probe says separate for the default build and matches the CPU for the fast one", () =>
  withBothBuilds(async (fast, exact) => {
    assert.strictEqual(exact.info().details.multiplyAdd, "separate");
    // A 2-long dot product of an exact product p = −(1 + 2^-11) and an inexact one q = (1 + 2^-12)² = 1 + 2^-11 + 2^-24:
    // a separate multiply-add rounds q to 1 + 2^-11 and gives 0, a fused one keeps 2^-24. Row 0 of A meets p first,
    // row 1 meets q first, so the GEMM's order over k does not matter.
    const u = 1 + 2 ** -12;
    const v = -(1 + 2 ** -11);
    const a = new Float32Array([v, u, u, v, 0, 0, 0, 0]); // [4, 2]
    const b = new Float32Array(2 * 16);
    for (let j = 0; j < 16; j++) [b[j], b[16 + j]] = j % 2 === 0 ? [1, u] : [u, 1];
    const c = await matmul(tensor(fast, a, [4, 2]), tensor(fast, b, [2, 16])).read();
    const kept = c[0] !== 0 || c[16 + 1] !== 0;
    assert.strictEqual(fast.info().details.multiplyAdd, kept ? "fused" : "separate", `c00 ${c[0]}, c11 ${c[17]}`);
  }));

Deno.test("wasm runtime: hundreds of back-to-back 2-thread dispatches all give the 1-thread result", async () => {
  const one = await WasmBackend.create({ threads: 1 });
  const two = await WasmBackend.create({ threads: 2 });
  try {
    // 64 x 64 x 64 is above the threading threshold, so every call below is split between the two threads.
    const a = randomMatrix(64 * 64, 5);
    const want = await matmul(tensor(one, a, [64, 64]), tensor(one, a, [64, 64])).read();
    const x = tensor(two, a, [64, 64]);
    for (let r = 0; r < 300; r++) {
      const c = matmul(x, x);
      const got = await c.read();
      c.dispose();
      assert.deepStrictEqual(got, want, `dispatch ${r} differs`);
    }
  } finally {
    one.destroy();
    two.destroy();
  }
});
