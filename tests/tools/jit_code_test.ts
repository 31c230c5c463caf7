import assert from "node:assert";
import {
  codeFileName,
  codeFileNames,
  distinctCode,
  parseJitDump,
  wasmFunctionIndex,
  wasmFunctionNames,
} from "../../tools/jit_code.ts";

/** A jitdump with a file header, one code-load record per entry and an unrelated record (id 2) between them. */
function jitDump(entries: { name: string; address: bigint; code: number[] }[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const header = new DataView(new ArrayBuffer(40));
  header.setUint32(0, 0x4a695444, true);
  header.setUint32(4, 1, true);
  header.setUint32(8, 40, true);
  parts.push(new Uint8Array(header.buffer));
  const other = new DataView(new ArrayBuffer(24));
  other.setUint32(0, 2, true);
  other.setUint32(4, 24, true);
  for (const entry of entries) {
    const name = new TextEncoder().encode(entry.name);
    const size = 16 + 40 + name.length + 1 + entry.code.length;
    const record = new Uint8Array(size);
    const view = new DataView(record.buffer);
    view.setUint32(0, 0, true);
    view.setUint32(4, size, true);
    view.setBigUint64(16 + 8, entry.address, true);
    view.setBigUint64(16 + 16, entry.address, true);
    view.setBigUint64(16 + 24, BigInt(entry.code.length), true);
    record.set(name, 56);
    record.set(entry.code, 56 + name.length + 1);
    parts.push(record, new Uint8Array(other.buffer));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

Deno.test("jit_code: reads each code-load record's name, address and bytes, skipping other records", () => {
  const bytes = jitDump([
    { name: "JS:wasm-function[38]-38-turbofan", address: 0x1000n, code: [0xc4, 0x41, 0x79, 0x70] },
    { name: "JS:wasm-function[7]-7-liftoff", address: 0x2000n, code: [0xc3] },
  ]);
  const { records, truncatedAt } = parseJitDump(bytes, "test.dump");
  assert.strictEqual(truncatedAt, null);
  assert.deepStrictEqual(records.map((r) => [r.name, r.address, [...r.code]]), [
    ["JS:wasm-function[38]-38-turbofan", 0x1000n, [0xc4, 0x41, 0x79, 0x70]],
    ["JS:wasm-function[7]-7-liftoff", 0x2000n, [0xc3]],
  ]);
  assert.strictEqual(codeFileName(records[0]), "JS_wasm-function_38_-38-turbofan.bin");
});

Deno.test("jit_code: a file that is not a jitdump, or a record smaller than its header, is an error naming the file", () => {
  assert.throws(() => parseJitDump(new TextEncoder().encode("not a dump"), "bad.dump"), /bad\.dump: not a jitdump/);
  const bytes = jitDump([{ name: "f", address: 1n, code: [1, 2, 3] }]);
  new DataView(bytes.buffer).setUint32(40 + 4, 8, true);
  assert.throws(() => parseJitDump(bytes, "corrupt.dump"), /corrupt\.dump: record at byte 40 has size 8/);
});

Deno.test("jit_code: a dump cut short keeps the records before the cut and says where it is", () => {
  const bytes = jitDump([{ name: "f", address: 1n, code: [1, 2, 3] }, { name: "g", address: 2n, code: [4] }]);
  const second = 40 + (16 + 40 + 2 + 3) + 24;
  const cut = parseJitDump(bytes.subarray(0, second + 20), "cut.dump");
  assert.deepStrictEqual(cut.records.map((r) => r.name), ["f"]);
  assert.strictEqual(cut.truncatedAt, second);
});

Deno.test("jit_code: export names by function index, imported functions counted first", () => {
  // (module (import "env" "f" (func)) (func (export "a")) (func (export "b")) (memory (export "m") 1))
  const bytes = new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...[0x01, 0x04, 0x01, 0x60, 0x00, 0x00],
    ...[0x02, 0x09, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x66, 0x00, 0x00],
    ...[0x03, 0x03, 0x02, 0x00, 0x00],
    ...[0x05, 0x03, 0x01, 0x00, 0x01],
    ...[0x07, 0x0d, 0x03, 0x01, 0x61, 0x00, 0x01, 0x01, 0x62, 0x00, 0x02, 0x01, 0x6d, 0x02, 0x00],
    ...[0x0a, 0x07, 0x02, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b],
  ]);
  assert.deepStrictEqual(WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name), ["a", "b", "m"]);
  assert.deepStrictEqual([...wasmFunctionNames(bytes, "t.wasm")], [[1, "a"], [2, "b"]]);
  assert.strictEqual(wasmFunctionIndex("JS:wasm-function[38]-38-turbofan"), 38);
  assert.strictEqual(wasmFunctionIndex("Builtin:WasmStringCompare"), null);
  assert.throws(() => wasmFunctionNames(new Uint8Array(8), "x.wasm"), /x\.wasm: not a WebAssembly module/);
});

Deno.test("jit_code: a function logged again with the same bytes (another isolate) is listed once", () => {
  const { records } = parseJitDump(
    jitDump([
      { name: "f", address: 1n, code: [1, 2] },
      { name: "f", address: 9n, code: [1, 2] },
      { name: "f", address: 5n, code: [1, 3] },
      { name: "g", address: 7n, code: [1, 2] },
    ]),
    "dup.dump",
  );
  assert.deepStrictEqual(distinctCode(records).map((r) => [r.name, r.address]), [["f", 1n], ["f", 5n], ["g", 7n]]);
});

Deno.test("jit_code: a function compiled again with other bytes gets its own file name", () => {
  const { records } = parseJitDump(
    jitDump([
      { name: "JS:f", address: 1n, code: [1] },
      { name: "JS:f", address: 2n, code: [2] },
      { name: "JS:g", address: 3n, code: [3] },
    ]),
    "again.dump",
  );
  assert.deepStrictEqual(codeFileNames(records), ["JS_f.bin", "JS_f-2.bin", "JS_g.bin"]);
});
