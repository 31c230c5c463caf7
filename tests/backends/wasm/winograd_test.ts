/**
 * The wasm backend's 3×3 convolution algorithms against a float64 reference: which one "auto" picks, how far each is
 * from exact (F(4×4, 3×3) rounds more than F(2×2, 3×3) and the direct form; these bounds are the README's
 * figures with room for other inputs), and that F(4×4, 3×3) gives the same bits at 1 and 2 threads. With the filter
 * marked reused (an eval-mode layer) the choice ignores the tile count, so an image's output does not depend on the
 * batch it comes in, and a stride-2 layer takes the stride-2 form of F(4×4, 3×3) (checked the same ways).
 */
import assert from "node:assert";
import type { Backend } from "../../../src/core/backend.ts";
import { ReferenceBackend } from "../../../src/backends/reference/backend.ts";
import { WasmBackend, type WasmOptions } from "../../../src/backends/wasm/backend.ts";
import { Rng } from "../../../src/core/rng.ts";
import { sha256Hex } from "../../../src/core/sha256.ts";
import { conv2d, conv2dAttrs, conv2dGradInput, conv2dGradWeight, tensor } from "../../../src/ops/mod.ts";
import { relativeError } from "../../_util/op_case.ts";

/** A convolution's geometry: input and filter shapes (NHWC / HWIO), padding. */
interface ConvCase {
  x: number[];
  w: number[];
  padding: number | [number, number];
  /** stride (default 1) */
  stride?: number;
  /** the filter marked reused (`Conv2dAttrs.filterReused`) */
  filterReused?: boolean;
}

/**
 * 67 → 70 channels: F(4×4, 3×3) under "auto"; odd 13×11 maps cut the 4×4 tiles; 6 images give 72 tiles, two chunks
 * of the filter gradient (64 tiles each) added in order.
 */
const WIDE: ConvCase = { x: [6, 13, 11, 67], w: [3, 3, 67, 70], padding: 1 };
/** 5 → 6 channels: F(2×2, 3×3) under "auto". */
const NARROW: ConvCase = { x: [2, 17, 16, 5], w: [3, 3, 5, 6], padding: 1 };
/**
 * 259 → 262 channels on a 7×7 map (IR-50's last stage is 512 → 512 at 7×7): F(4×4, 3×3) under "auto" (8 images: 32
 * tiles, the fewest it takes); 259 input channels leave a partial group in the rotated filter's blocked read, 262
 * output channels a partial vector.
 */
const WIDE_SMALL_MAP: ConvCase = { x: [8, 7, 7, 259], w: [3, 3, 259, 262], padding: 1 };
/** 255 → 255 channels on a 7×7 map: too few channels for a 7×7 map, so im2col under every choice. */
const NARROW_SMALL_MAP: ConvCase = { x: [1, 7, 7, 255], w: [3, 3, 255, 255], padding: 1 };
/** 64 → 64 channels, one 14×14 map: 16 tiles of 4×4 are too few for F(4×4, 3×3), 49 of 2×2 enough for F(2×2, 3×3). */
const FEW_TILES: ConvCase = { x: [1, 14, 14, 64], w: [3, 3, 64, 64], padding: 1 };
/** The same on two maps: 32 tiles of 4×4, F(4×4, 3×3). */
const ENOUGH_TILES: ConvCase = { x: [2, 14, 14, 64], w: [3, 3, 64, 64], padding: 1 };
/** 256 → 256 channels, one 7×7 map: 16 tiles of 2×2, too few for either, so "auto" takes im2col where "2x2" does not. */
const TOO_FEW_TILES: ConvCase = { x: [1, 7, 7, 256], w: [3, 3, 256, 256], padding: 1 };
/** 5 → 6 channels, one 8×8 map: 16 tiles of 2×2, too few for F(2×2, 3×3) unless the filter is reused. */
const NARROW_FEW_TILES: ConvCase = { x: [1, 8, 8, 5], w: [3, 3, 5, 6], padding: 1 };
/**
 * 67 → 70 channels at stride 2: 17×16 output maps (partial 4×4 tiles on one axis), 2 images give 40 tiles, two task
 * blocks of 20. With the filter reused, the stride-2 form of F(4×4, 3×3) under "auto"; im2col otherwise.
 */
const STRIDED: ConvCase = { x: [2, 33, 31, 67], w: [3, 3, 67, 70], padding: 1, stride: 2 };
/** 64 → 64 channels at stride 2 without padding, even input sides: a 16×17 output map, the smallest side taken. */
const STRIDED_UNPADDED: ConvCase = { x: [1, 34, 36, 64], w: [3, 3, 64, 64], padding: 0, stride: 2 };
/** 64 → 64 channels at stride 2 onto a 15×15 map: too small for the stride-2 form, im2col. */
const STRIDED_SMALL_MAP: ConvCase = { x: [1, 30, 30, 64], w: [3, 3, 64, 64], padding: 1, stride: 2 };
/** 32 → 64 channels at stride 2 onto a 16×16 map: too few input channels for the stride-2 form, im2col. */
const STRIDED_NARROW: ConvCase = { x: [1, 32, 32, 32], w: [3, 3, 32, 64], padding: 1, stride: 2 };
/** Each with its filter marked reused (an eval-mode layer): the tile counts no longer decide. */
const reused = (c: ConvCase): ConvCase => ({ ...c, filterReused: true });

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Uniform [−1, 1) values, fixed per seed. */
function values(n: number, seed: number): Float64Array {
  const rng = new Rng(seed, "winograd-test");
  return Float64Array.from({ length: n }, () => rng.uniform(-1, 1));
}

/** The forward output, input gradient and filter gradient of `c` on `backend`, for fixed x, w and dy. */
async function convolveAll(backend: Backend, c: ConvCase): Promise<Float32Array[] | Float64Array[]> {
  const options = { padding: c.padding, stride: c.stride, filterReused: c.filterReused };
  const attrs = conv2dAttrs(options);
  const x = values(size(c.x), 1), w = values(size(c.w), 2);
  const y = conv2d(tensor(backend, x, c.x), tensor(backend, w, c.w), options);
  const dy = values(y.size, 3);
  const dx = conv2dGradInput(tensor(backend, dy, y.shape), tensor(backend, w, c.w), c.x, attrs);
  const dw = conv2dGradWeight(tensor(backend, x, c.x), tensor(backend, dy, y.shape), c.w, attrs);
  return await Promise.all([y.read(), dx.read(), dw.read()]) as Float32Array[] | Float64Array[];
}

async function withWasm<T>(options: WasmOptions, fn: (backend: Backend) => Promise<T>): Promise<T> {
  const backend = await WasmBackend.create(options);
  try {
    return await fn(backend);
  } finally {
    backend.destroy();
  }
}

const exact = new ReferenceBackend({ precision: "f64" });
const LABELS = ["output", "input gradient", "filter gradient"];

function sameBits(a: ArrayLike<number>[], b: ArrayLike<number>[]): boolean {
  return a.every((v, k) => v.length === b[k].length && Array.from(v).every((e, i) => Object.is(e, b[k][i])));
}

Deno.test("winograd: F(4x4, 3x3) stays within 2e-5 of float64, F(2x2, 3x3) and im2col within 2e-6", async () => {
  const bounds: [WasmOptions["winograd"], number][] = [["auto", 2e-5], ["2x2", 2e-6], ["off", 2e-6]];
  for (const c of [WIDE, WIDE_SMALL_MAP, reused(TOO_FEW_TILES), reused(STRIDED), reused(STRIDED_UNPADDED)]) {
    const want = await convolveAll(exact, c);
    for (const [choice, bound] of bounds) {
      const got = await withWasm({ threads: 1, winograd: choice }, (b) => convolveAll(b, c));
      got.forEach((g, k) => {
        const e = relativeError(g, want[k]);
        assert.ok(e <= bound, `${c.x} ${choice}: ${LABELS[k]} off by ${e} (bound ${bound})`);
      });
    }
  }
});

Deno.test("winograd: auto picks F(4x4) for 64+ channels, F(2x2) below or on fewer than 32 tiles unless reused, else none; stride 2 reused", async () => {
  // [case, algorithm under "auto", algorithm under "2x2"]
  const cases = [
    [WIDE, "4x4", "2x2"],
    [WIDE_SMALL_MAP, "4x4", "2x2"],
    [NARROW, "2x2", "2x2"],
    [NARROW_SMALL_MAP, "none", "none"],
    [FEW_TILES, "2x2", "2x2"],
    [ENOUGH_TILES, "4x4", "2x2"],
    [TOO_FEW_TILES, "none", "2x2"],
    [NARROW_FEW_TILES, "none", "2x2"],
    [reused(FEW_TILES), "4x4", "2x2"],
    [reused(TOO_FEW_TILES), "4x4", "2x2"],
    [reused(NARROW_FEW_TILES), "2x2", "2x2"],
    [reused(NARROW_SMALL_MAP), "none", "none"],
    [STRIDED, "none", "none"],
    [reused(STRIDED), "4x4 s2", "none"],
    [reused(STRIDED_UNPADDED), "4x4 s2", "none"],
    [reused(STRIDED_SMALL_MAP), "none", "none"],
    [reused(STRIDED_NARROW), "none", "none"],
  ] as const;
  for (const [c, auto, twoByTwo] of cases) {
    const [got, small, direct] = await Promise.all(
      (["auto", "2x2", "off"] as const).map((choice) =>
        withWasm({ threads: 1, winograd: choice }, (b) => convolveAll(b, c))
      ),
    );
    assert.strictEqual(sameBits(got, small), auto === twoByTwo, `${c.x}: "auto" (${auto}) and "2x2" (${twoByTwo})`);
    assert.strictEqual(sameBits(got, direct), auto === "none", `${c.x}: "auto" (${auto}) and im2col`);
    assert.strictEqual(sameBits(small, direct), twoByTwo === "none", `${c.x}: "2x2" (${twoByTwo}) and im2col`);
  }
});

Deno.test("winograd: F(4x4, 3x3) gives the same bits at 1 and 2 threads", async () => {
  for (const c of [WIDE, WIDE_SMALL_MAP, reused(TOO_FEW_TILES), reused(STRIDED)]) {
    const one = await withWasm({ threads: 1 }, (b) => convolveAll(b, c));
    const two = await withWasm({ threads: 2 }, (b) => convolveAll(b, c));
    assert.ok(sameBits(one, two), `${c.x}`);
  }
});

Deno.test("winograd: with a reused filter an image's output and input gradient do not depend on the batch", async () => {
  for (const c of [FEW_TILES, TOO_FEW_TILES, NARROW_FEW_TILES, { ...STRIDED, x: [1, ...STRIDED.x.slice(1)] }]) {
    const three = reused({ ...c, x: [3, ...c.x.slice(1)] });
    const [alone, inBatch] = await withWasm(
      { threads: 2 },
      (b) => Promise.all([reused(c), three].map((k) => convolveAll(b, k))),
    );
    for (const k of [0, 1]) {
      const first = inBatch[k].subarray(0, alone[k].length);
      assert.ok(sameBits([alone[k]], [first]), `${c.x}: ${LABELS[k]} of image 0 alone and in a batch of 3`);
    }
  }
});

/** The first 8 bytes of the SHA-256 of `values`' float32 bytes, in hex. */
async function digest(values: Float32Array): Promise<string> {
  return (await sha256Hex(new Uint8Array(values.buffer, values.byteOffset, values.byteLength))).slice(0, 16);
}

// Recorded at a7eaf48 and unchanged since (the stride-2 case added when its form was): layout and blocking changes of
// the default build (padded planes, packed sides, task orders) keep every output element's arithmetic, so these bits
// may only move with a change of arithmetic, stated and re-recorded deliberately.
Deno.test("winograd: F(4x4), F(2x2) and stride-2 layers give their recorded bits on the default build", async () => {
  const recorded: [ConvCase, string[]][] = [
    [WIDE, ["bb62796f41b7e6e4", "37ec8622c0cbc94b", "e74a2648fcc564c3"]],
    [WIDE_SMALL_MAP, ["6306798b8cffc6bd", "6c206cbf315e71e8", "309f4ff7185b0b10"]],
    [NARROW, ["253c53fa6729224b", "9e0c5d3b8b4e6ba9", "73a046a891b78c77"]],
    [reused(STRIDED), ["8425c7d12b1a495f", "1e6ceb4685c2520a", "1547686a7a38f9d1"]],
  ];
  for (const [c, want] of recorded) {
    const got = await withWasm({ threads: 1 }, (b) => convolveAll(b, c));
    const digests = await Promise.all(got.map((v) => digest(v as Float32Array)));
    digests.forEach((d, k) => assert.strictEqual(d, want[k], `${c.x}: ${LABELS[k]}`));
  }
});

Deno.test("winograd: an unknown choice is refused with the accepted ones", async () => {
  await assert.rejects(
    () => WasmBackend.create({ threads: 1, winograd: "4x4" as WasmOptions["winograd"] }),
    /winograd must be one of auto, 2x2, off, got "4x4"/,
  );
});
