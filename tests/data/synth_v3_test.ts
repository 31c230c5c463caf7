/**
 * synthface v3 (`synthface-gen-3`): v2's genes come first and decode to the same face, the brows keep the identity's
 * colour when the image's hair is dyed (they follow the hair in v2), the detail genes move the aligned face centre,
 * and skin lines darken only along their curves.
 */
import assert from "node:assert";
import { specOptions, SYNTH_DATASETS } from "../../src/data/synthface.ts";
import { Canvas, type Rgb } from "../../src/data/synth/canvas.ts";
import { drawBrows } from "../../src/data/synth/features.ts";
import { imageNuisance, markStream, modelOf, synthesizeFace } from "../../src/data/synth/generate.ts";
import { faceFrameOf } from "../../src/data/synth/scene.ts";
import { skinLineFactor, skinLinesOf } from "../../src/data/synth/skin_lines.ts";
import type { NuisanceV2 } from "../../src/data/synth/v2/nuisance.ts";

const V3 = specOptions(SYNTH_DATASETS["synthface-v3-ci"]);
const V2 = { ...V3, generator: "synthface-gen-2" as const };

/** Mean absolute difference of two aligned crops over rows y0..y1 (columns 30–82: the face interior). */
function change(a: Uint8Array, b: Uint8Array, y0: number, y1: number): number {
  let sum = 0, count = 0;
  for (let y = y0; y < y1; y++) {
    for (let i = (y * 112 + 30) * 3; i < (y * 112 + 82) * 3; i++, count++) sum += Math.abs(a[i] - b[i]);
  }
  return sum / count;
}

Deno.test("synth v3: the first genes are v2's; with no detail the identity is v2's", () => {
  const v2 = modelOf(V2), v3 = modelOf(V3);
  assert.deepStrictEqual(v3.geneNames.slice(0, v2.geneNames.length), v2.geneNames);
  assert.ok(v3.geneNames.length > v2.geneNames.length);
  const genes = v3.randomGenes(markStream(V3, "probe-genes", 0));
  const a = new Map(Object.entries(v2.decode(genes.subarray(0, v2.geneNames.length), markStream(V3, "probe", 0))));
  const b = new Map(Object.entries(v3.decode(genes, markStream(V3, "probe", 0))));
  for (const [key, value] of a) assert.deepStrictEqual(b.get(key), value, key);
  for (const key of ["browRgb", "browDensity", "lashWeight", "lidCrease", "skinLines"]) {
    assert.ok(b.has(key) && !a.has(key), key);
  }
});

Deno.test("synth v3: dyed hair leaves the brows alone (v2 recolours them)", () => {
  for (const [options, follows] of [[V2, true], [V3, false]] as const) {
    const model = modelOf(options);
    const genes = modelOf(V3).randomGenes(markStream(V3, "probe-genes", 0)).subarray(0, model.geneNames.length);
    const id = model.decode(genes, markStream(V3, "probe", 0));
    const n = imageNuisance(options, "probe", id, 0, 0) as NuisanceV2;
    const brows = (hairRgb: Rgb) => {
      const canvas = new Canvas(options.rawSize, options.rawSize);
      drawBrows({ canvas, face: faceFrameOf(n), id: { ...id, ...n.style, hairRgb }, n });
      return canvas.rgb;
    };
    const [natural, dyed] = [brows(n.style.hairRgb), brows([0.9, 0.1, 0.6])];
    assert.strictEqual(!natural.every((v, i) => v === dyed[i]), follows, options.generator);
  }
});

Deno.test("synth v3: the detail genes move the aligned face centre", () => {
  const model = modelOf(V3);
  const detail = model.geneNames.flatMap((name, g) => model.geneKinds[name] === "detail" ? [g] : []);
  assert.strictEqual(detail.length, 9);
  let moved = 0;
  for (let i = 0; i < 4; i++) {
    const genes = model.randomGenes(markStream(V3, "probe-genes", i));
    const crop = (g: Float64Array) =>
      synthesizeFace(V3, "probe", model.decode(g, markStream(V3, "probe", i)), i, 0).aligned.data;
    const low = genes.slice(), high = genes.slice();
    for (const g of detail) low[g] = 0, high[g] = 1;
    moved += change(crop(low), crop(high), 40, 100) / 4;
  }
  assert.ok(moved > 2, `face-centre change from all detail genes: ${moved} grey levels`);
});

Deno.test("synth v3: skin lines darken along their curves only, and not at zero strength", () => {
  const traits = {
    nasolabialLine: 0.3,
    underEyeLine: 0,
    foreheadLines: 0,
    frownLines: 0,
    eyeSpacing: 0.5,
    eyeWidth: 0.23,
    browHeight: -0.3,
    noseLength: 0.6,
    noseWidth: 0.2,
    mouthY: 1.05,
    mouthWidth: 0.4,
  };
  const lines = skinLinesOf(traits);
  assert.strictEqual(lines.segments.length, 8);
  // The curve starts at the nose wing (x = 0.9 · noseWidth + 0.03, y = noseLength − 0.02) on both sides.
  for (const side of [-1, 1]) assert.ok(Math.abs(skinLineFactor(lines, side * 0.21, 0.58) - 0.7) < 1e-9);
  assert.strictEqual(skinLineFactor(lines, 0, 0), 1);
  assert.strictEqual(skinLineFactor(lines, 0.21, 0.7 + 0.58), 1);
  assert.strictEqual(skinLinesOf({ ...traits, nasolabialLine: 0 }).segments.length, 0);
});
