import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { tensor } from "../../src/ops/mod.ts";
import { sha256Hex } from "../../src/core/sha256.ts";
import { hashTensors, weightHash } from "../../src/train/weight_hash.ts";

Deno.test("sha256Hex: FIPS 180-2 test vector 'abc'", async () => {
  assert.strictEqual(
    await sha256Hex(new TextEncoder().encode("abc")),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});

Deno.test("weightHash: independent of entry order, sensitive to one bit of one value and to names", async () => {
  const a = { name: "a", shape: [2], data: new Float32Array([1, 2]) };
  const b = { name: "b", shape: [1], data: new Int32Array([3]) };
  const h = await weightHash([a, b]);
  assert.match(h, /^[0-9a-f]{64}$/);
  assert.strictEqual(await weightHash([b, a]), h);
  const flipped = new Float32Array([1, 2]);
  new Uint32Array(flipped.buffer)[1] ^= 1;
  assert.notStrictEqual(await weightHash([{ ...a, data: flipped }, b]), h);
  assert.notStrictEqual(await weightHash([{ ...a, name: "c" }, b]), h);
});

Deno.test("hashTensors: equals weightHash of the values read back", async () => {
  const backend = new ReferenceBackend();
  const w = tensor(backend, [0.25, -1], [2]);
  const labels = tensor(backend, [4], [1], "i32");
  const expected = await weightHash([
    { name: "labels", shape: [1], data: new Int32Array([4]) },
    { name: "w", shape: [2], data: new Float32Array([0.25, -1]) },
  ]);
  assert.strictEqual(await hashTensors([{ path: "w", tensor: w }, { path: "labels", tensor: labels }]), expected);
});
