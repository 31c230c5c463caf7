/**
 * Packed weights kept between calls: the cache's rules on a fake heap (kept on the second call at one version,
 * reused on the third, dropped on a write, freed with the storage, bounded, given up when memory runs short), and on
 * the wasm backend that every kind of packed operand (im2col convolution, grouped convolution, Winograd filter forward
 * and rotated, matmul's B) gives the bits of a fresh packing while unchanged and the new values' bits after a write.
 */
import assert from "node:assert";
import { type Block, HeapAllocator } from "../../../src/backends/wasm/allocator.ts";
import { WasmBackend } from "../../../src/backends/wasm/backend.ts";
import { PackedCache } from "../../../src/backends/wasm/packed_cache.ts";
import type { Backend } from "../../../src/core/backend.ts";
import type { TensorView } from "../../../src/core/kernels.ts";
import { Rng } from "../../../src/core/rng.ts";
import type { Tensor } from "../../../src/core/tensor.ts";
import { conv2d, conv2dAttrs, conv2dGradInput, matmul, tensor } from "../../../src/ops/mod.ts";

/** A cache over a fake heap that never runs out, with the allocator to read its live bytes from. */
function fakeCache(maxBytes?: number): { cache: PackedCache; heap: HeapAllocator } {
  let capacity = 1 << 20;
  const heap = new HeapAllocator(64, () => capacity, (min) => capacity = Math.max(min, capacity * 2));
  return { cache: new PackedCache(heap, maxBytes), heap };
}

/** A view of a fresh storage block at `version` (a tensor as a kernel sees it). */
function viewAt(heap: HeapAllocator, version: number | undefined): { view: TensorView<Block>; bump(): void } {
  const state = { version };
  const view = {
    storage: heap.allocate(400),
    shape: [100],
    dtype: "f32" as const,
    size: 100,
    get version() {
      return state.version;
    },
  };
  return { view, bump: () => state.version = (state.version ?? 0) + 1 };
}

Deno.test("packed cache: kept on the second call at one version, reused on the third, repacked after a write", () => {
  const { cache, heap } = fakeCache();
  const { view, bump } = viewAt(heap, 0);
  const base = heap.liveBytes;
  let fills = 0;
  const fill = () => void fills++;
  const first = cache.obtain(view, "k", 50, fill);
  assert.strictEqual(heap.liveBytes, base + 200, "the first packing is a temporary");
  first.release();
  assert.strictEqual(heap.liveBytes, base);
  const second = cache.obtain(view, "k", 50, fill);
  second.release();
  assert.strictEqual(cache.bytes, 200, "the second packing at the same version is kept");
  assert.strictEqual(heap.liveBytes, base + 200);
  const third = cache.obtain(view, "k", 50, fill);
  third.release();
  assert.strictEqual(fills, 2, "the third call reuses the kept packing");
  assert.strictEqual(third.ptr, second.ptr);
  bump();
  cache.obtain(view, "k", 50, fill).release();
  assert.strictEqual(fills, 3, "a write makes the next call pack again");
  assert.strictEqual(cache.bytes, 0, "and drops the stale packing");
  assert.strictEqual(heap.liveBytes, base);
});

Deno.test("packed cache: a training pattern (each layout once per version, then a write) keeps nothing", () => {
  const { cache, heap } = fakeCache();
  const { view, bump } = viewAt(heap, 0);
  const base = heap.liveBytes;
  for (let step = 0; step < 3; step++) {
    cache.obtain(view, "forward", 50, () => {}).release();
    cache.obtain(view, "rotated", 50, () => {}).release();
    bump();
    assert.strictEqual(cache.bytes, 0);
    assert.strictEqual(heap.liveBytes, base);
  }
});

Deno.test("packed cache: keys apart, freed with their storage and by clear, bounded, never for unversioned views", () => {
  const { cache, heap } = fakeCache(300);
  const a = viewAt(heap, 3).view, b = viewAt(heap, 0).view, scratch = viewAt(heap, undefined).view;
  const base = heap.liveBytes;
  const twice = (view: TensorView<Block>, key: string, floats: number) => {
    for (let i = 0; i < 2; i++) cache.obtain(view, key, floats, () => {}).release();
  };
  twice(a, "forward", 25);
  twice(a, "rotated", 25);
  assert.strictEqual(cache.bytes, 200, "two layouts of one tensor are two entries");
  twice(b, "forward", 50);
  assert.strictEqual(cache.bytes, 200, "a packing that would pass maxBytes is not kept");
  assert.strictEqual(heap.liveBytes, base + 200);
  twice(scratch, "forward", 10);
  assert.strictEqual(cache.bytes, 200, "a view without a version is never kept");
  cache.forget(a.storage);
  assert.strictEqual(cache.bytes, 0);
  assert.strictEqual(heap.liveBytes, base, "forget frees the storage's packings");
  twice(b, "forward", 50);
  assert.strictEqual(cache.bytes, 200);
  cache.clear();
  assert.strictEqual(cache.bytes, 0);
  assert.strictEqual(heap.liveBytes, base, "clear frees everything kept");
});

Deno.test("packed cache: reclaim frees kept forms no call is reading, then keeps nothing until clear", () => {
  const { cache, heap } = fakeCache();
  const a = viewAt(heap, 0).view, b = viewAt(heap, 0).view;
  const base = heap.liveBytes;
  for (const view of [a, b]) for (let i = 0; i < 2; i++) cache.obtain(view, "k", 50, () => {}).release();
  assert.strictEqual(cache.bytes, 400);
  const reading = cache.obtain(a, "k", 50, () => {});
  assert.strictEqual(cache.reclaim(), true);
  assert.strictEqual(cache.bytes, 200, "the block a call is reading stays");
  assert.strictEqual(heap.liveBytes, base + 200);
  reading.release();
  reading.release();
  assert.strictEqual(cache.reclaim(), true, "released (once, however often release is called), it goes too");
  assert.strictEqual(cache.bytes, 0);
  assert.strictEqual(cache.reclaim(), false, "nothing left to free");
  let fills = 0;
  for (let i = 0; i < 3; i++) cache.obtain(b, "k", 50, () => void fills++).release();
  assert.strictEqual(fills, 3, "after a reclaim every call packs");
  assert.strictEqual(heap.liveBytes, base);
  cache.clear();
  for (let i = 0; i < 3; i++) cache.obtain(b, "k", 50, () => void fills++).release();
  assert.strictEqual(fills, 5, "after clear forms are kept again");
  assert.strictEqual(cache.bytes, 200);
});

Deno.test("packed cache: a reclaim while the block to keep is being packed neither frees nor keeps it", () => {
  const { cache, heap } = fakeCache();
  const { view } = viewAt(heap, 0);
  const base = heap.liveBytes;
  cache.obtain(view, "k", 50, () => {}).release();
  // the second call's packing kernel allocates, and memory runs short meanwhile
  const lease = cache.obtain(view, "k", 50, () => assert.strictEqual(cache.reclaim(), false));
  assert.strictEqual(heap.liveBytes, base + 200, "the block being packed survives the reclaim");
  lease.release();
  assert.strictEqual(cache.bytes, 0, "and is not kept after it");
  assert.strictEqual(heap.liveBytes, base);
});

Deno.test("packed cache: a packing that throws frees its block and keeps nothing", () => {
  const { cache, heap } = fakeCache();
  const { view } = viewAt(heap, 0);
  const base = heap.liveBytes;
  const failing = () => {
    throw new Error("kernel failed");
  };
  assert.throws(() => cache.obtain(view, "k", 50, failing), /kernel failed/);
  assert.throws(() => cache.obtain(view, "k", 50, failing), /kernel failed/);
  assert.strictEqual(cache.bytes, 0);
  assert.strictEqual(heap.liveBytes, base);
});

/** Uniform [−1, 1) values, fixed per seed. */
function values(n: number, seed: number): Float32Array {
  const rng = new Rng(seed, "packed-cache-test");
  return Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
}

/** An op whose second input is the packed operand, with the shapes of its two inputs. */
interface PackedCase {
  name: string;
  shapes: [number[], number[]];
  run(first: Tensor, second: Tensor): Tensor;
}

const CASES: PackedCase[] = [
  // 5×5 maps at batch 1: too few tiles for Winograd, so im2col + SGEMM (pack_b of the HWIO filter)
  { name: "conv2d im2col", shapes: [[1, 5, 5, 6], [3, 3, 6, 10]], run: (x, w) => conv2d(x, w, { padding: 1 }) },
  {
    name: "conv2d grouped",
    shapes: [[1, 6, 6, 8], [3, 3, 4, 12]],
    run: (x, w) => conv2d(x, w, { padding: 1, groups: 2, stride: 2 }),
  },
  // 64 → 64 channels on two 14×14 maps: F(4×4, 3×3) (the Winograd filter transform)
  { name: "conv2d winograd", shapes: [[2, 14, 14, 64], [3, 3, 64, 64]], run: (x, w) => conv2d(x, w, { padding: 1 }) },
  {
    name: "conv2d_grad_input winograd (rotated filter)",
    shapes: [[2, 14, 14, 64], [3, 3, 64, 64]],
    run: (dy, w) => conv2dGradInput(dy, w, [2, 14, 14, 64], conv2dAttrs({ padding: 1 })),
  },
  { name: "matmul, B transposed", shapes: [[7, 33], [20, 33]], run: (a, b) => matmul(a, b, false, true) },
];

async function bits(t: Tensor): Promise<Uint32Array> {
  const data = await t.read() as Float32Array;
  t.dispose();
  return new Uint32Array(data.buffer);
}

for (const c of CASES) {
  Deno.test(`packed cache on the wasm backend: ${c.name} — same bits while unchanged, the new values' after a write`, async () => {
    const backend: Backend = await WasmBackend.create({ threads: 2 });
    try {
      const [xs, ws] = c.shapes;
      const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
      const x = tensor(backend, values(size(xs), 1), xs);
      const w = tensor(backend, values(size(ws), 2), ws);
      const first = await bits(c.run(x, w));
      const afterFirst = backend.memory().liveBytes;
      assert.deepStrictEqual(await bits(c.run(x, w)), first, "second call (packed into the kept block)");
      assert.ok(backend.memory().liveBytes > afterFirst, "the second call keeps its packing");
      assert.deepStrictEqual(await bits(c.run(x, w)), first, "third call (the kept packing)");

      const changed = values(size(ws), 3);
      w.write(changed);
      const fresh = tensor(backend, changed, ws);
      const want = await bits(c.run(x, fresh));
      fresh.dispose();
      const got = await bits(c.run(x, w));
      assert.notDeepStrictEqual(want, first);
      assert.deepStrictEqual(got, want, "after a write the new values are packed");
      assert.deepStrictEqual(await bits(c.run(x, w)), want, "and kept again");

      await backend.trim();
      assert.strictEqual(backend.memory().liveBytes, afterFirst, "trim frees the kept packings");
      c.run(x, w).dispose();
      c.run(x, w).dispose();
      w.dispose();
      assert.strictEqual(
        backend.memory().liveBytes,
        afterFirst - 4 * w.size,
        "disposing the weight frees its packings",
      );
    } finally {
      backend.destroy();
    }
  });
}

Deno.test("packed cache on the wasm backend: one filter's forward and rotated packings are kept apart", async () => {
  const backend: Backend = await WasmBackend.create({ threads: 2 });
  try {
    // 64 → 64 channels on two 14×14 maps: F(4×4, 3×3) for the forward and the input gradient
    const x = tensor(backend, values(2 * 14 * 14 * 64, 1), [2, 14, 14, 64]);
    const w = tensor(backend, values(3 * 3 * 64 * 64, 2), [3, 3, 64, 64]);
    const dy = tensor(backend, values(2 * 14 * 14 * 64, 3), [2, 14, 14, 64]);
    const forward = () => bits(conv2d(x, w, { padding: 1 }));
    const inputGradient = () => bits(conv2dGradInput(dy, w, x.shape, conv2dAttrs({ padding: 1 })));
    const y = await forward(), dx = await inputGradient();
    assert.notDeepStrictEqual(y, dx);
    for (let i = 0; i < 3; i++) {
      assert.deepStrictEqual(await forward(), y, `forward, call ${i + 2}`);
      assert.deepStrictEqual(await inputGradient(), dx, `input gradient, call ${i + 2}`);
    }
  } finally {
    backend.destroy();
  }
});
