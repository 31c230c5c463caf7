/**
 * FaceX-Zoo's Swin: parameter and MAC counts against the closed form of its layer list and against FaceX-Zoo's
 * published THOP figures (which leave out LayerNorm, the relative position bias tables and the attention products),
 * the window geometry rule, the relative position index and the shifted-window mask, training-only drop-path, a
 * safetensors round trip of the whole state (the int32 index buffers included), and option validation.
 */
import assert from "node:assert";
import { ReferenceBackend } from "../../../src/backends/reference/backend.ts";
import { Rng } from "../../../src/core/rng.ts";
import { noGrad } from "../../../src/core/tape.ts";
import { relativePositionIndex, shiftedWindowMask, windowGeometry } from "../../../src/models/backbones/swin.ts";
import { backboneCost, backbones } from "../../../src/models/mod.ts";
import { tensor } from "../../../src/ops/mod.ts";
import { restoreTensors } from "../../../src/train/checkpoint.ts";
import { decodeSafetensors, encodeSafetensors } from "../../../src/train/safetensors.ts";
import { readTensors } from "../../../src/train/weight_hash.ts";

/**
 * FaceX-Zoo's layer list at 224×224 (patch 4, C 96, window 7, MLP ratio 4, embedding 512): all parameters and MACs
 * (conv + Linear + the two attention products), and the parts THOP does not see (LayerNorm parameters, bias tables,
 * attention products).
 */
function closedForm(depths: number[], heads: number[]) {
  const [e, w] = [512, 7];
  let [c, side] = [96, 56];
  let params = 4 * 4 * 3 * c + c + 2 * c, macs = side * side * 48 * c;
  let layerNorms = 2 * c, tables = 0, attention = 0;
  depths.forEach((depth, stage) => {
    const win = Math.min(w, side);
    const block = 2 * 2 * c + (2 * win - 1) ** 2 * heads[stage] + (3 * c * c + 3 * c) + (c * c + c) +
      (4 * c * c + 4 * c) + (4 * c * c + c);
    params += depth * block;
    layerNorms += depth * 4 * c;
    tables += depth * (2 * win - 1) ** 2 * heads[stage];
    macs += depth * side * side * 12 * c * c;
    attention += depth * 2 * side * side * win * win * c;
    if (stage < depths.length - 1) {
      params += 2 * 4 * c + 8 * c * c;
      layerNorms += 2 * 4 * c;
      macs += (side / 2) ** 2 * 8 * c * c;
      [c, side] = [2 * c, side / 2];
    }
  });
  params += 2 * c + side * side * c * e + e + 2 * e;
  layerNorms += 2 * c;
  macs += side * side * c * e + attention;
  return { params, macs, thopParams: params - layerNorms - tables, thopMacs: macs - attention + 2 * e };
}

for (
  const [name, depths, published] of [
    ["swin_t", [2, 2, 6, 2], { params: "46.74", gmacs: "4.37" }],
    ["swin_s", [2, 2, 18, 2], { params: "68.01", gmacs: "8.53" }],
  ] as const
) {
  Deno.test(`swin: ${name} has the closed-form counts; THOP's rule gives the published ${published.params} M / ${published.gmacs} G`, () => {
    const cost = backboneCost(backbones.get(name));
    const want = closedForm([...depths], [3, 6, 12, 24]);
    assert.strictEqual(cost.params, want.params);
    assert.strictEqual(cost.macs, want.macs);
    assert.strictEqual(cost.thopMacs - cost.macs, 2 * 512); // THOP's BN1d rule; LayerNorm counts nothing there
    assert.strictEqual((want.thopMacs / 1e9).toFixed(2), published.gmacs);
    // THOP's parameter count (LayerNorm and the bias tables excluded) is within the published two decimals' rounding
    // for Swin-T; Swin-S's 68,015,520 rounds to 68.02, 0.0055 M above the published 68.01 (see the README)
    assert.ok(Math.abs(want.thopParams / 1e6 - Number(published.params)) < 0.006, `${want.thopParams}`);
  });
}

Deno.test("swin: exact counts of swin_t / swin_s (the README table's figures)", () => {
  assert.deepStrictEqual(closedForm([2, 2, 6, 2], [3, 6, 12, 24]), {
    params: 46_788_474,
    macs: 4_509_066_240,
    thopParams: 46_740_384,
    thopMacs: 4_368_925_696,
  });
  assert.deepStrictEqual(closedForm([2, 2, 18, 2], [3, 6, 12, 24]), {
    params: 68_106_378,
    macs: 8_759_374_848,
    thopParams: 68_015_520,
    thopMacs: 8_530_723_840,
  });
});

Deno.test("swin: window geometry — shift ⌊w/2⌋ on odd blocks, one unshifted window where the side is at most w", () => {
  assert.deepStrictEqual(windowGeometry(56, 7, 0), { side: 56, window: 7, shift: 0 });
  assert.deepStrictEqual(windowGeometry(56, 7, 1), { side: 56, window: 7, shift: 3 });
  assert.deepStrictEqual(windowGeometry(14, 7, 3), { side: 14, window: 7, shift: 3 });
  assert.deepStrictEqual(windowGeometry(7, 7, 1), { side: 7, window: 7, shift: 0 }); // Swin-T/S stage 4
  assert.deepStrictEqual(windowGeometry(2, 4, 1), { side: 2, window: 2, shift: 0 });
});

Deno.test("swin: relative position index covers the (2w − 1)² table rows, zero offset on the diagonal", () => {
  const w = 7, t = w * w;
  const index = relativePositionIndex(w);
  assert.strictEqual(index.length, t * t);
  assert.deepStrictEqual([...new Set(index)].sort((a, b) => a - b), Array.from({ length: 169 }, (_, i) => i));
  for (let i = 0; i < t; i++) assert.strictEqual(index[i * t + i], 84);
  // token 0 (row 0, column 0) against token 48 (row 6, column 6): offset (−6, −6) → row 0; the reverse → row 168
  assert.strictEqual(index[0 * t + 48], 0);
  assert.strictEqual(index[48 * t + 0], 168);
  // token 1 (0, 1) against token 7 (1, 0): offset (−1, +1) → (5)·13 + 7
  assert.strictEqual(index[1 * t + 7], 5 * 13 + 7);
});

Deno.test("swin: the shifted-window mask separates the rolled map's regions and nothing else", () => {
  const geometry = { side: 8, window: 4, shift: 2 };
  const mask = shiftedWindowMask(geometry);
  const t = 16, windows = 4;
  assert.strictEqual(mask.length, windows * t * t);
  const zeros = (win: number) => mask.slice(win * t * t, (win + 1) * t * t).filter((v) => v === 0).length;
  // top-left window: one region; top-right and bottom-left: two 8-token regions; bottom-right: four 2×2 regions
  assert.deepStrictEqual([0, 1, 2, 3].map(zeros), [256, 2 * 64, 2 * 64, 4 * 16]);
  assert.ok(mask.every((v) => v === 0 || v === -100));
  for (let win = 0; win < windows; win++) {
    for (let i = 0; i < t; i++) {
      for (let j = 0; j < t; j++) assert.strictEqual(mask[(win * t + i) * t + j], mask[(win * t + j) * t + i]);
    }
  }
  // bottom-right window, token 0 (map row 4, column 4: region (1, 1)) against token 15 (row 7, column 7: (2, 2))
  assert.strictEqual(mask[(3 * t + 0) * t + 15], -100);
  assert.strictEqual(mask[(3 * t + 0) * t + 5], 0); // token 5 (row 5, column 5): region (1, 1) too
});

Deno.test("swin: drop-path acts in training only, reproducibly under the seed", async () => {
  const backend = new ReferenceBackend({ precision: "f64" });
  const entry = backbones.get("swin_tiny");
  const x = tensor(backend, Array.from({ length: 2 * 112 * 112 * 3 }, (_, i) => Math.sin(i)), [2, 112, 112, 3]);
  const run = async (dropPath: number, training: boolean) => {
    const model = entry.create({ dropPath }, { backend, rng: new Rng(3, "init") });
    const y = await noGrad(() => model.train(training).forward(x)).toArray();
    model.dispose();
    return y;
  };
  assert.deepStrictEqual(await run(0.5, false), await run(0, false));
  const dropped = await run(0.5, true);
  assert.notDeepStrictEqual(dropped, await run(0, true));
  assert.deepStrictEqual(await run(0.5, true), dropped);
});

Deno.test("swin: the state (int32 index and float mask buffers included) round-trips through safetensors", async () => {
  const backend = new ReferenceBackend();
  const entry = backbones.get("swin_tiny");
  const source = entry.create({}, { backend, rng: new Rng(4, "init") });
  const target = entry.create({}, { backend, rng: new Rng(5, "init") });
  const entries = (m: typeof source) => [...m.state()].map(([path, t]) => ({ path, tensor: t }));
  const saved = await readTensors(entries(source));
  const kinds = (dtype: string) => saved.filter((a) => a.name.endsWith(dtype)).map((a) => a.data.constructor.name);
  assert.deepStrictEqual(new Set(kinds("relative_position_index")), new Set(["Int32Array"]));
  assert.deepStrictEqual(kinds("attn_mask"), ["Float32Array", "Float32Array"]); // the odd blocks of stages 1 and 2
  const file = decodeSafetensors(encodeSafetensors(saved), "memory");
  restoreTensors(entries(target), file.tensors, "memory");
  const x = tensor(backend, Array.from({ length: 2 * 112 * 112 * 3 }, (_, i) => Math.cos(i)), [2, 112, 112, 3]);
  const [a, b] = noGrad(() => [source.eval().forward(x), target.eval().forward(x)]);
  assert.deepStrictEqual(await b.toArray(), await a.toArray());
  for (const m of [source, target]) m.dispose();
});

Deno.test("swin: options are validated with the field named", () => {
  const entry = backbones.get("swin_tiny");
  assert.throws(() => entry.parse({ heads: [3, 2, 4, 8] }), /heads/);
  assert.throws(() => entry.parse({ heads: [1, 2, 4] }), /heads/);
  assert.throws(() => entry.parse({ inputSize: 48 }), /window/); // sides 24 / 12 / 6 / 3: window 7 does not divide 24
  assert.throws(() => entry.parse({ inputSize: 16, patchSize: 4 }), /inputSize/); // side 4 halves to 0.5
  assert.throws(() => entry.parse({ window: 3 }), /window/);
});
