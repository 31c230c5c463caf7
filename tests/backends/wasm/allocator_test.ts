import assert from "node:assert";
import { sizeClass, SizeClassAllocator } from "../../../src/backends/wasm/allocator.ts";

Deno.test("allocator: size classes are 64-byte multiples at most 25% (or 64 bytes) above the request", () => {
  for (const bytes of [1, 63, 64, 65, 100, 1000, 4097, 65536, 1e6 + 3, 3e8]) {
    const size = sizeClass(bytes);
    assert.strictEqual(size % 64, 0, `class of ${bytes} is ${size}`);
    assert.ok(size >= bytes, `class of ${bytes} is ${size}`);
    assert.ok(size <= Math.max(64, bytes * 1.25 + 64), `class of ${bytes} is ${size}, more than 25% above`);
  }
});

Deno.test("allocator: reuses freed blocks of the same class and tracks live and peak bytes", () => {
  let capacity = 1024;
  const grown: number[] = [];
  const alloc = new SizeClassAllocator(100, () => capacity, (min) => {
    grown.push(min);
    capacity = Math.max(min, capacity * 2);
  });
  const a = alloc.allocate(1000);
  const b = alloc.allocate(4000);
  assert.strictEqual(a.ptr, 128, "first block starts at the aligned base");
  assert.ok(b.ptr >= a.ptr + a.bytes, "blocks do not overlap");
  assert.ok(grown.length > 0 && capacity >= b.ptr + b.bytes, "memory grew to fit");
  assert.strictEqual(alloc.liveBytes, 5000);
  alloc.free(a);
  assert.strictEqual(alloc.liveBytes, 4000);
  const c = alloc.allocate(990);
  assert.strictEqual(c.ptr, a.ptr, "a freed block of the same class is reused");
  alloc.free(b);
  alloc.free(c);
  assert.strictEqual(alloc.liveBytes, 0);
  assert.strictEqual(alloc.peakBytes, 5000);
});
