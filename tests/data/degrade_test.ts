/** Domain-randomisation degradations: fixed draw counts, each degradation's effect, and the `domain` recipe. */
import assert from "node:assert";
import { Rng } from "../../src/core/rng.ts";
import { augmentInto, DOMAIN_AUGMENT, FULL_AUGMENT } from "../../src/data/augment.ts";
import { applyDegrade, type DegradeDraw, DOMAIN_DEGRADE, drawDegrade } from "../../src/data/degrade.ts";
import { augmentOf, presetSchema } from "../../src/bench/presets.ts";

const NONE: DegradeDraw = { gamma: null, grayscale: false, downscaleTo: null, blurSigma: null, erase: null };

function ramp(size: number): Float32Array {
  return Float32Array.from({ length: size * size * 3 }, (_, i) => {
    const p = Math.floor(i / 3), x = p % size, y = Math.floor(p / size);
    return (x * 9 + y * 5 + (i % 3) * 40) % 256;
  });
}

Deno.test("degrade: every draw consumes the same number of words, whatever the probabilities decide", () => {
  const never = { ...DOMAIN_DEGRADE, gamma: 0, grayscale: 0, downscale: 0, blur: 0, erase: 0 };
  const always = { ...DOMAIN_DEGRADE, gamma: 1, grayscale: 1, downscale: 1, blur: 1, erase: 1 };
  const a = new Rng(5, "augment"), b = new Rng(5, "augment");
  assert.deepStrictEqual(drawDegrade(never, 112, a), NONE);
  const on = drawDegrade(always, 112, b);
  assert.ok(on.gamma !== null && on.downscaleTo !== null && on.blurSigma !== null && on.erase !== null);
  assert.strictEqual(on.grayscale, true);
  assert.deepStrictEqual(a.state(), b.state());
});

Deno.test("degrade: draws stay in their ranges and hit each probability", () => {
  const rng = new Rng(11, "augment");
  const n = 4000;
  const hits = { gamma: 0, grayscale: 0, downscale: 0, blur: 0, erase: 0 };
  for (let i = 0; i < n; i++) {
    const d = drawDegrade(DOMAIN_DEGRADE, 112, rng);
    if (d.gamma !== null) hits.gamma++, assert.ok(d.gamma >= Math.exp(-0.4) && d.gamma <= Math.exp(0.4));
    if (d.grayscale) hits.grayscale++;
    if (d.downscaleTo !== null) hits.downscale++, assert.ok(d.downscaleTo >= 39 && d.downscaleTo <= 90);
    if (d.blurSigma !== null) hits.blur++, assert.ok(d.blurSigma >= 0.5 && d.blurSigma < 1.5);
    if (d.erase !== null) {
      hits.erase++;
      const { x, y, w, h } = d.erase;
      assert.ok(x >= 0 && y >= 0 && x + w <= 112 && y + h <= 112, `rectangle ${JSON.stringify(d.erase)}`);
      assert.ok(w * h <= 0.3 * 112 * 112 && w * h >= 0.01 * 112 * 112, `area ${w * h}`);
    }
  }
  const expected = { gamma: 0.5, grayscale: 0.2, downscale: 0.3, blur: 0.3, erase: 0.5 };
  for (const [k, p] of Object.entries(expected)) {
    assert.ok(Math.abs(hits[k as keyof typeof hits] / n - p) < 0.03, `${k}: ${hits[k as keyof typeof hits] / n}`);
  }
});

Deno.test("degrade: gamma and greyscale act per pixel as their formulas say", () => {
  const image = ramp(8), expected = image.map((v) => 255 * Math.pow(v / 255, 1.3));
  applyDegrade(image, 8, { ...NONE, gamma: 1.3 });
  image.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-3));
  const grey = ramp(8),
    luma = Array.from({ length: 64 }, (_, p) => {
      return 0.299 * grey[3 * p] + 0.587 * grey[3 * p + 1] + 0.114 * grey[3 * p + 2];
    });
  applyDegrade(grey, 8, { ...NONE, grayscale: true });
  for (let p = 0; p < 64; p++) {
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(grey[3 * p + c] - luma[p]) < 1e-3);
  }
});

Deno.test("degrade: low resolution and blur keep a flat image flat, and smooth a ramp's detail away", () => {
  for (const draw of [{ ...NONE, downscaleTo: 5 }, { ...NONE, blurSigma: 1.2 }]) {
    const flat = new Float32Array(16 * 16 * 3).fill(77);
    applyDegrade(flat, 16, draw);
    flat.forEach((v) => assert.ok(Math.abs(v - 77) < 1e-3));
    // a one-pixel checkerboard keeps its mean and loses most of its contrast
    const board = Float32Array.from({ length: 16 * 16 * 3 }, (_, i) => {
      const p = Math.floor(i / 3);
      return ((p % 16) + Math.floor(p / 16)) % 2 ? 200 : 40;
    });
    applyDegrade(board, 16, draw);
    const inner = Array.from({ length: 8 * 8 }, (_, k) => board[((4 + Math.floor(k / 8)) * 16 + 4 + (k % 8)) * 3]);
    const mean = inner.reduce((a, b) => a + b, 0) / inner.length;
    assert.ok(Math.abs(mean - 120) < 8, `mean ${mean}`);
    assert.ok(Math.max(...inner) - Math.min(...inner) < 40, `contrast left ${Math.max(...inner) - Math.min(...inner)}`);
  }
});

Deno.test("degrade: erasing replaces exactly the rectangle with noise and leaves the rest alone", () => {
  const image = ramp(20), before = image.slice();
  const rect = { x: 3, y: 5, w: 6, h: 4, fillSeed: 99 };
  applyDegrade(image, 20, { ...NONE, erase: rect });
  let changed = 0, inside = 0;
  for (let p = 0; p < 400; p++) {
    const x = p % 20, y = Math.floor(p / 20);
    const isIn = x >= rect.x && x < rect.x + rect.w && y >= rect.y && y < rect.y + rect.h;
    for (let c = 0; c < 3; c++) {
      const v = image[3 * p + c];
      assert.ok(v >= 0 && v <= 255);
      if (!isIn) assert.strictEqual(v, before[3 * p + c]);
      else inside++, changed += Number(v !== before[3 * p + c]);
    }
  }
  assert.ok(changed > 0.9 * inside, `${changed} of ${inside} erased values differ`);
});

Deno.test("augment: the domain recipe is full plus degradations, seeded, and selectable in presets", () => {
  const size = 32;
  const src = Uint8Array.from({ length: size * size * 3 }, (_, i) => (i * 7) % 256);
  const run = (config: typeof DOMAIN_AUGMENT, seed: number) => {
    const out = new Float32Array(src.length * 8);
    const rng = new Rng(seed, "augment");
    for (let k = 0; k < 8; k++) augmentInto(src, size, out, k * src.length, config, rng);
    return out;
  };
  const a = run(DOMAIN_AUGMENT, 1), b = run(DOMAIN_AUGMENT, 1), full = run(FULL_AUGMENT, 1);
  assert.deepStrictEqual(a, b);
  assert.ok(a.every((v) => v >= -1 && v <= 1));
  assert.notDeepStrictEqual(a, full);
  // the first image's geometric and colour draws come first, so with every degradation off it equals "full"
  const off = {
    ...DOMAIN_AUGMENT,
    degrade: { ...DOMAIN_DEGRADE, gamma: 0, grayscale: 0, downscale: 0, blur: 0, erase: 0 },
  };
  const firstOff = run(off, 1).subarray(0, src.length), firstFull = full.subarray(0, src.length);
  firstOff.forEach((v, i) => assert.ok(Math.abs(v - firstFull[i]) < 1e-6));
  assert.deepStrictEqual(augmentOf("domain"), DOMAIN_AUGMENT);
  const parsed = presetSchema.shape.data.parse({ augment: "domain" });
  assert.strictEqual(parsed.augment, "domain");
});
