import assert from "node:assert";
import { type Block, blockSize, HeapAllocator } from "../../../src/backends/wasm/allocator.ts";

/** An allocator over a fake memory that grows to what is asked (doubling), recording each growth. */
function fakeHeap(base = 100, initial = 1024): { alloc: HeapAllocator; grown: number[] } {
  let capacity = initial;
  const grown: number[] = [];
  const alloc = new HeapAllocator(base, () => capacity, (min) => {
    grown.push(min);
    capacity = Math.max(min, capacity * 2);
  });
  return { alloc, grown };
}

/** Deterministic pseudo-random integers in [0, n) (a small LCG, enough to shuffle a test's requests). */
function lcg(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

function assertDisjoint(blocks: Iterable<Block>): void {
  const sorted = [...blocks].sort((a, b) => a.ptr - b.ptr);
  for (let i = 1; i < sorted.length; i++) {
    assert.ok(
      sorted[i - 1].ptr + sorted[i - 1].bytes <= sorted[i].ptr,
      `blocks at ${sorted[i - 1].ptr} (+${sorted[i - 1].bytes}) and ${sorted[i].ptr} overlap`,
    );
  }
}

Deno.test("allocator: blocks are the next 64-byte multiple of the request", () => {
  for (const bytes of [1, 63, 64, 65, 100, 1000, 4097, 65536, 1e6 + 3, 3e8]) {
    const size = blockSize(bytes);
    assert.strictEqual(size % 64, 0, `block of ${bytes} is ${size}`);
    assert.ok(size >= bytes && size < bytes + 64, `block of ${bytes} is ${size}`);
  }
});

Deno.test("allocator: grows to fit, reuses a freed block and tracks live and peak bytes", () => {
  const { alloc, grown } = fakeHeap();
  const a = alloc.allocate(1000);
  const b = alloc.allocate(4000);
  assert.strictEqual(a.ptr, 128, "first block starts at the aligned base");
  assert.strictEqual(b.ptr, a.ptr + a.bytes, "blocks are packed");
  assert.ok(grown.length > 0, "memory grew to fit");
  assert.strictEqual(alloc.liveBytes, 5000);
  alloc.free(a);
  assert.strictEqual(alloc.liveBytes, 4000);
  const c = alloc.allocate(990);
  assert.strictEqual(c.ptr, a.ptr, "a freed block of the same size is reused");
  alloc.free(b);
  alloc.free(c);
  assert.strictEqual(alloc.liveBytes, 0);
  assert.strictEqual(alloc.peakBytes, 5000);
});

Deno.test("allocator: a larger free block is split, and the smallest block that fits is taken", () => {
  const { alloc } = fakeHeap(0);
  const big = alloc.allocate(64 * 10);
  const fence1 = alloc.allocate(64);
  const small = alloc.allocate(64 * 3);
  const fence2 = alloc.allocate(64);
  alloc.free(big);
  alloc.free(small);
  const x = alloc.allocate(64 * 2);
  assert.strictEqual(x.ptr, small.ptr, "the 3-unit block fits a 2-unit request better than the 10-unit one");
  const y = alloc.allocate(64 * 4);
  assert.strictEqual(y.ptr, big.ptr, "the 10-unit block is split");
  const z = alloc.allocate(64 * 6);
  assert.strictEqual(z.ptr, big.ptr + 64 * 4, "its remainder holds the next request");
  const w = alloc.allocate(64);
  assert.strictEqual(w.ptr, small.ptr + 128, "the 3-unit block's remainder holds a 1-unit request");
  assert.strictEqual(alloc.freeBytes, 0);
  assertDisjoint([fence1, fence2, x, y, z, w]);
});

Deno.test("allocator: freed neighbours merge, and a free block at the top lowers the top", () => {
  const { alloc } = fakeHeap(0);
  const [a, b, c, d] = [1000, 2000, 3000, 4000].map((n) => alloc.allocate(n));
  const end = alloc.topBytes;
  alloc.free(a);
  alloc.free(c);
  alloc.free(b);
  assert.strictEqual(alloc.freeBytes, a.bytes + b.bytes + c.bytes, "a, b and c are one free block");
  const merged = alloc.allocate(a.bytes + b.bytes + c.bytes);
  assert.strictEqual(merged.ptr, a.ptr, "a request of their total size takes it");
  assert.strictEqual(alloc.topBytes, end, "without growing the range");
  alloc.free(merged);
  alloc.free(d);
  assert.strictEqual(alloc.topBytes, 0, "freeing everything lowers the top to the base");
  assert.strictEqual(alloc.freeBytes, 0);
  assert.strictEqual(alloc.highWaterBytes, end);
});

Deno.test("allocator: a second model with other tensor sizes reuses the first one's memory", () => {
  // Two "models" whose tensors have unrelated sizes: the second needs no more memory than the first once the first
  // has freed everything. (The earlier size-class allocator kept each size's blocks for that size only, so running
  // model after model in one process ran out of the 4 GiB linear memory.)
  const { alloc } = fakeHeap(0);
  const rand = lcg(7);
  const first = Array.from({ length: 200 }, () => alloc.allocate(1000 + 64 * rand(500)));
  const firstTop = alloc.highWaterBytes;
  for (const block of first) alloc.free(block);
  const second = Array.from({ length: 150 }, () => alloc.allocate(1000 + 64 * rand(600)));
  const secondBytes = second.reduce((sum, b) => sum + b.bytes, 0);
  assert.ok(secondBytes <= firstTop, "the test's second model must fit the first one's memory");
  assert.strictEqual(alloc.highWaterBytes, firstTop, "the range did not grow");
  assertDisjoint(second);
});

Deno.test("allocator: random allocations and frees never overlap and free everything back", () => {
  const { alloc } = fakeHeap(100);
  const rand = lcg(1234);
  const live = new Set<Block>();
  let requested = 0;
  for (let step = 0; step < 3000; step++) {
    if (live.size > 0 && rand(3) === 0) {
      const block = [...live][rand(live.size)];
      live.delete(block);
      requested -= block.used;
      alloc.free(block);
    } else {
      const block = alloc.allocate(1 + rand(rand(2) === 0 ? 200 : 100_000));
      live.add(block);
      requested += block.used;
    }
    if (step % 250 === 0) assertDisjoint(live);
    assert.strictEqual(alloc.liveBytes, requested);
  }
  assertDisjoint(live);
  for (const block of live) alloc.free(block);
  assert.strictEqual(alloc.liveBytes, 0);
  assert.strictEqual(alloc.freeBytes, 0, "every free block merged back into the range above the base");
  assert.strictEqual(alloc.topBytes, 128);
});

Deno.test("allocator: when the memory cannot grow, reclaim frees kept blocks and the request is tried again", () => {
  const limit = 4096;
  const tooLarge = (min: number) => {
    throw new RangeError(`cannot grow to ${min}`);
  };
  let kept: Block | null = null;
  let reclaims = 0;
  const alloc = new HeapAllocator(0, () => limit, tooLarge, () => {
    reclaims++;
    if (!kept) return false;
    alloc.free(kept);
    kept = null;
    return true;
  });
  const a = alloc.allocate(1024);
  kept = alloc.allocate(2048);
  const b = alloc.allocate(2048);
  assert.strictEqual(reclaims, 1, "the request that did not fit asked for a reclaim");
  assert.strictEqual(b.ptr, 1024, "and took the reclaimed block's place");
  assertDisjoint([a, b]);
  assert.throws(() => alloc.allocate(2048), /cannot grow to 5120/, "nothing left to reclaim: the growth error");
  assert.strictEqual(reclaims, 2);
  assert.strictEqual(alloc.liveBytes, 3072, "the failed request left nothing behind");
});
