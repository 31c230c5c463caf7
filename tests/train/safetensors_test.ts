import assert from "node:assert";
import { decodeSafetensors, encodeSafetensors } from "../../src/train/safetensors.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test("encodeSafetensors: exact bytes of a small file (header length, padded JSON, LE data)", () => {
  const bytes = encodeSafetensors([{ name: "w", shape: [2], data: new Float32Array([1, -2]) }]);
  const json = '{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
  const padded = json + " ".repeat((8 - (json.length % 8)) % 8);
  assert.strictEqual(new DataView(bytes.buffer).getBigUint64(0, true), BigInt(padded.length));
  assert.strictEqual(text(bytes.subarray(8, 8 + padded.length)), padded);
  // 1.0f = 0x3f800000, -2.0f = 0xc0000000, little-endian
  assert.deepStrictEqual(Array.from(bytes.subarray(8 + padded.length)), [0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]);
});

Deno.test("safetensors: F32 + I32 + scalar + empty tensors and metadata round-trip exactly", () => {
  const tensors = [
    { name: "conv.weight", shape: [3, 3, 1, 2], data: Float32Array.from({ length: 18 }, (_, i) => i * 0.1 - 0.7) },
    { name: "step", shape: [], data: new Int32Array([-42]) },
    { name: "empty", shape: [0, 4], data: new Float32Array(0) },
    { name: "special", shape: [3], data: new Float32Array([NaN, -Infinity, -0]) },
  ];
  const file = decodeSafetensors(encodeSafetensors(tensors, { format: "pt" }), "mem.safetensors");
  assert.deepStrictEqual(file.metadata, { format: "pt" });
  assert.deepStrictEqual([...file.tensors.keys()], tensors.map((t) => t.name));
  for (const t of tensors) {
    const got = file.tensors.get(t.name)!;
    assert.deepStrictEqual(got.shape, t.shape);
    assert.strictEqual(got.data.constructor, t.data.constructor);
    assert.deepStrictEqual(new Uint8Array(got.data.buffer), new Uint8Array(t.data.buffer), t.name);
  }
});

Deno.test("decodeSafetensors: reads a file written the way Python safetensors writes it (unsorted keys)", () => {
  const header = '{"b":{"dtype":"I32","shape":[1],"data_offsets":[4,8]},"a":{"dtype":"F32","shape":[],' +
    '"data_offsets":[0,4]},"__metadata__":{"format":"pt"}}';
  const head = new TextEncoder().encode(header);
  const bytes = new Uint8Array(8 + head.length + 8);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  bytes.set(head, 8);
  view.setFloat32(8 + head.length, 0.5, true);
  view.setInt32(12 + head.length, 7, true);
  const file = decodeSafetensors(bytes, "py.safetensors");
  assert.deepStrictEqual([...file.tensors.keys()], ["a", "b"]);
  assert.deepStrictEqual(Array.from(file.tensors.get("a")!.data), [0.5]);
  assert.deepStrictEqual(Array.from(file.tensors.get("b")!.data), [7]);
});

Deno.test("decodeSafetensors: truncated and corrupt files give errors naming the file and tensor", () => {
  const good = encodeSafetensors([
    { name: "a", shape: [4], data: new Float32Array(4) },
    { name: "b", shape: [2], data: new Int32Array(2) },
  ]);
  assert.throws(() => decodeSafetensors(good.subarray(0, 5), "x.st"), /safetensors x.st: file has 5 bytes/);
  assert.throws(
    () => decodeSafetensors(good.subarray(0, 40), "x.st"),
    /x.st: header length \d+ exceeds the file size 40/,
  );
  assert.throws(
    () => decodeSafetensors(good.subarray(0, good.length - 4), "x.st"),
    /x.st: tensor "b": data ends at 24, file has 20 data bytes \(truncated\?\)/,
  );
  const trailing = new Uint8Array(good.length + 4);
  trailing.set(good);
  assert.throws(() => decodeSafetensors(trailing, "x.st"), /cover 24 data bytes, file has 28/);
  const garbled = good.slice();
  garbled[9] = 0xff;
  assert.throws(() => decodeSafetensors(garbled, "x.st"), /x.st: header is not valid UTF-8 JSON/);
  const wrongDtype = new TextEncoder().encode(text(good).replace('"I32"', '"F16"'));
  assert.throws(() => decodeSafetensors(wrongDtype, "x.st"), /tensor "b": dtype "F16" is not supported/);
  const wrongSpan = new TextEncoder().encode(text(good).replace('"shape":[2]', '"shape":[3]'));
  assert.throws(
    () => decodeSafetensors(wrongSpan, "x.st"),
    /tensor "b": data_offsets span 8 bytes, shape \[3\] needs 12/,
  );
});

Deno.test("encodeSafetensors: duplicate names and size mismatches are rejected", () => {
  const t = { name: "a", shape: [1], data: new Float32Array(1) };
  assert.throws(() => encodeSafetensors([t, t]), /duplicate or reserved tensor name "a"/);
  assert.throws(() => encodeSafetensors([{ ...t, name: "__metadata__" }]), /reserved tensor name "__metadata__"/);
  const names = ["constructor", "toString", "__proto__"];
  const file = decodeSafetensors(encodeSafetensors(names.map((name) => ({ ...t, name }))), "m");
  assert.deepStrictEqual([...file.tensors.keys()], names);
  assert.throws(() => encodeSafetensors([{ ...t, shape: [2] }]), /tensor "a" has 1 values, shape needs 2/);
});
