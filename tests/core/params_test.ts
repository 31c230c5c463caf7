import assert from "node:assert";
import { encodeBlock, layoutOf, paramBlock, words, writeBlock } from "../../src/core/params.ts";
import { CONV_GEOMETRY, CONV_SHADER, convGeometry, PARAM_BLOCKS } from "../../src/core/param_blocks/mod.ts";

const inner = paramBlock("Inner", "a nested block", ["c", "wgsl"], { a: "u32", b: "i32", s: "f32" });
const outer = paramBlock("Outer", "holds the others", ["c"], {
  n: "u32",
  lr: "f64",
  shape: words(8),
  inner,
  p: "ptr",
});

Deno.test("layoutOf: f64 on an even word, arrays and nested blocks on 4 words, sizes rounded up to 4 words", () => {
  const at = Object.fromEntries(layoutOf(outer).entries.map((e) => [e.name, [e.offset, e.size]]));
  assert.deepStrictEqual(at, {
    n: [0, 1],
    pad1: [1, 1],
    lr: [2, 2],
    shape: [4, 8],
    inner: [12, 4],
    p: [16, 1],
    pad17: [17, 1],
    pad18: [18, 1],
    pad19: [19, 1],
  });
  assert.strictEqual(layoutOf(inner).size, 4);
  assert.strictEqual(layoutOf(outer).size, 20);
});

Deno.test("writeBlock: fields land at their words by name, fields left out are 0, booleans are 1/0", () => {
  const buffer = new ArrayBuffer(4 * 20);
  const i32 = new Int32Array(buffer).fill(-1);
  writeBlock(outer, { n: 3, lr: 0.1, shape: [5, 6], inner: { b: -2, s: 1.5 }, p: 4096 }, {
    i32,
    f32: new Float32Array(buffer),
    f64: new Float64Array(buffer),
  });
  assert.strictEqual(i32[0], 3);
  assert.strictEqual(new Float64Array(buffer)[1], 0.1);
  assert.deepStrictEqual([...i32.slice(4, 12)], [5, 6, 0, 0, 0, 0, 0, 0]);
  assert.deepStrictEqual([i32[12], i32[13]], [0, -2]);
  assert.strictEqual(new Float32Array(buffer)[14], 1.5);
  assert.strictEqual(i32[16], 4096);
  assert.strictEqual(i32[1], 0, "padding is written as 0");
  const flags = encodeBlock(CONV_SHADER, { geom: { groups: 4 }, split: { splits: true } });
  assert.strictEqual(flags[17], 4);
  assert.strictEqual(flags[21], 1);
});

Deno.test("encodeBlock: u32 bits, f32 bits and a too-long word array rejected naming the block and field", () => {
  const words8 = paramBlock("Words", "test", ["wgsl"], { v: "u32", x: "f32", shape: words(4) });
  const encoded = encodeBlock(words8, { v: 0xffffffff, x: 0.5 });
  assert.strictEqual(encoded[0], 0xffffffff);
  assert.strictEqual(encoded[1], new Uint32Array(Float32Array.of(0.5).buffer)[0]);
  assert.throws(() => encodeBlock(words8, { shape: [1, 2, 3, 4, 5] }), /Words\.shape: 5 words, at most 4/);
});

Deno.test("paramBlock: C-only fields and blocks, and word arrays not a multiple of 4, are refused for WGSL", () => {
  assert.throws(() => paramBlock("Bad", "test", ["wgsl"], { p: "ptr" }), /field "p" of type ptr has no WGSL form/);
  assert.throws(() => paramBlock("Bad", "test", ["wgsl"], { d: "f64" }), /field "d" of type f64/);
  assert.throws(() => paramBlock("Bad", "test", ["c", "wgsl"], { s: words(6) }), /6 words, not a multiple of 4/);
  assert.strictEqual(layoutOf(paramBlock("Ok", "test", ["c"], { s: words(6) })).size, 8);
  const cOnly = paramBlock("COnly", "test", ["c"], { n: "u32" });
  assert.throws(() => paramBlock("Bad", "test", ["wgsl"], { cOnly }), /nested block "cOnly" is not generated for wgsl/);
});

Deno.test("param blocks: every block fits the 64-word parameter slot and names are unique", () => {
  for (const block of PARAM_BLOCKS) assert.ok(layoutOf(block).size <= 64, `${block.name}: ${layoutOf(block).size}`);
  const names = PARAM_BLOCKS.map((b) => b.name);
  assert.deepStrictEqual(names, [...new Set(names)]);
});

Deno.test("convGeometry: one layout for every backend, groups splitting the channels", () => {
  const g = convGeometry([2, 9, 8, 6], [3, 2, 3, 4], [2, 5, 4, 4], {
    strides: [2, 1],
    padding: [1, 0],
    dilations: [1, 2],
    groups: 2,
  });
  assert.deepStrictEqual(g, {
    n: 2,
    h: 9,
    w: 8,
    c: 6,
    oh: 5,
    ow: 4,
    o: 4,
    kh: 3,
    kw: 2,
    cg: 3,
    og: 2,
    sh: 2,
    sw: 1,
    ph: 1,
    pw: 0,
    dh: 1,
    dw: 2,
    groups: 2,
  });
  assert.deepStrictEqual(Object.keys(g), Object.keys(CONV_GEOMETRY.fields));
});
