import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { copy, copyInto, mul, tensor } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("copy", [
  { name: "rank 3, odd sizes", inputs: [{ shape: [3, 5, 7] }], run: ([x]) => copy(x) },
  { name: "of an op output", inputs: [{ shape: [2, 9] }, { shape: [9] }], run: ([x, w]) => copy(mul(x, w)) },
  { name: "rank 0", inputs: [{ shape: [] }], run: ([x]) => copy(x) },
]);

// Above the WASM backend's parallel threshold (2^16 elements), so wasm/2t splits the copy between threads.
testOp("copy", [{ name: "large, split across threads", inputs: [{ shape: [257, 263] }], run: ([x]) => copy(x) }], {
  gradient: false,
});

const backend = new ReferenceBackend();

Deno.test("copy: the copy owns its storage, and i32 values survive", async () => {
  const x = tensor(backend, [1, -2, 3], [3], "i32");
  const y = copy(x);
  assert.notStrictEqual(y.storage, x.storage);
  x.dispose();
  assert.strictEqual(y.dtype, "i32");
  assert.deepStrictEqual(await y.toArray(), [1, -2, 3]);
});

Deno.test("copyInto: overwrites the target in place (recording the write) and checks shape and dtype", async () => {
  const target = tensor(backend, [0, 0, 0, 0], [2, 2]);
  const storage = target.storage;
  const source = tensor(backend, [1, 2, 3, 4], [2, 2]);
  copyInto(target, source);
  assert.strictEqual(target.storage, storage);
  assert.deepStrictEqual([target.version, source.version], [1, 0], "the write into the target is recorded");
  assert.deepStrictEqual(await target.toArray(), [1, 2, 3, 4]);
  assert.throws(
    () => copyInto(target, tensor(backend, [1, 2, 3, 4], [4])),
    /copy: argument "output 0" expected f32 \[4\], got f32 \[2, 2\]/,
  );
  assert.throws(() => copyInto(target, tensor(backend, [1, 2, 3, 4], [2, 2], "i32")), /expected i32 \[2, 2\], got f32/);
  assert.throws(() => copyInto(target, tensor(new ReferenceBackend(), [1, 2, 3, 4], [2, 2])), /lives on backend/);
});
