/** Augmentation: jitter and PCA statistics, flips, crops and normalisation. */
import assert from "node:assert";
import { Rng } from "../../src/core/rng.ts";
import {
  augmentInto,
  colourTransform,
  drawAugment,
  EVO_AUGMENT,
  FULL_AUGMENT,
  NO_AUGMENT,
} from "../../src/data/augment.ts";
import { rgbPca, symmetricEigen3 } from "../../src/data/pca.ts";

function image(size: number): Uint8Array {
  return Uint8Array.from({ length: size * size * 3 }, (_, i) => (i * 7 + Math.floor(i / 3 / size) * 13) % 256);
}

Deno.test("augment: colour jitter factors are U[0.6, 1.4] with mean 1.0; PCA alpha has std 0.1", () => {
  const rng = new Rng(3, "augment");
  const n = 20000;
  let sum = 0, min = Infinity, max = -Infinity, sq = 0, flips = 0;
  for (let i = 0; i < n; i++) {
    const d = drawAugment(FULL_AUGMENT, 112, rng);
    for (const f of [d.brightness, d.saturation, d.hue]) sum += f, min = Math.min(min, f), max = Math.max(max, f);
    for (const a of d.alpha) sq += a * a;
    flips += Number(d.flip);
    assert.ok(d.ox >= 0 && d.ox <= 16 && d.oy >= 0 && d.oy <= 16);
  }
  assert.ok(Math.abs(sum / (3 * n) - 1) < 0.005, `mean jitter ${sum / (3 * n)}`);
  assert.ok(min >= 0.6 && max < 1.4 && min < 0.61 && max > 1.39);
  assert.ok(Math.abs(Math.sqrt(sq / (3 * n)) - 0.1) < 0.003, `alpha std ${Math.sqrt(sq / (3 * n))}`);
  assert.ok(Math.abs(flips / n - 0.5) < 0.02);
});

Deno.test("augment: PCA lighting shifts pixels along the eigenvectors by alpha × eigenvalue", () => {
  const pca = {
    eigenvalues: [0.2, 0.02, 0.004] as [number, number, number],
    eigenvectors: [[0.6, 0.64, 0.48], [0.8, -0.48, -0.36], [0, 0.6, -0.8]] as [number, number, number][],
  };
  const draw = {
    ox: 0,
    oy: 0,
    flip: false,
    brightness: 1,
    saturation: 1,
    hue: 1,
    alpha: [0.1, -0.2, 0.3] as [number, number, number],
  };
  const { matrix, shift } = colourTransform(draw, pca);
  matrix.forEach((v, k) => assert.ok(Math.abs(v - (k % 4 === 0 ? 1 : 0)) < 1e-12));
  const expected = [0, 1, 2].map((c) =>
    255 * pca.eigenvectors.reduce((sum, v, k) => sum + v[c] * draw.alpha[k] * pca.eigenvalues[k], 0)
  );
  shift.forEach((v, c) => assert.ok(Math.abs(v - expected[c]) < 1e-9));
  const rng = new Rng(1, "pca");
  let sq = 0;
  const n = 5000;
  for (let i = 0; i < n; i++) {
    const d = drawAugment({ ...FULL_AUGMENT, pca }, 112, rng);
    sq += colourTransform({ ...d, brightness: 1, saturation: 1, hue: 1 }, pca).shift.reduce((s, v) => s + v * v, 0);
  }
  const predicted = 255 * 255 * 0.01 * pca.eigenvalues.reduce((s, e) => s + e * e, 0);
  assert.ok(Math.abs(sq / n / predicted - 1) < 0.06, `noise power ${sq / n} vs ${predicted}`);
});

Deno.test("augment: brightness scales, saturation 0 gives grey, hue 1 is identity", () => {
  const base = {
    ox: 0,
    oy: 0,
    flip: false,
    brightness: 1,
    saturation: 1,
    hue: 1,
    alpha: [0, 0, 0] as [number, number, number],
  };
  const apply = (m: number[], v: number[]) =>
    [0, 1, 2].map((r) => m[3 * r] * v[0] + m[3 * r + 1] * v[1] + m[3 * r + 2] * v[2]);
  const pca = FULL_AUGMENT.pca;
  assert.deepStrictEqual(
    apply(colourTransform({ ...base, brightness: 1.25 }, pca).matrix, [100, 40, 8]).map(Math.round),
    [125, 50, 10],
  );
  const grey = apply(colourTransform({ ...base, saturation: 0 }, pca).matrix, [200, 100, 0]);
  assert.ok(Math.abs(grey[0] - grey[1]) < 1e-9 && Math.abs(grey[1] - grey[2]) < 1e-9);
  assert.ok(Math.abs(grey[0] - (0.299 * 200 + 0.587 * 100)) < 1e-9);
  const turned = apply(colourTransform({ ...base, hue: 1.3 }, pca).matrix, [200, 100, 50]);
  const luma = (v: number[]) => 0.299 * v[0] + 0.587 * v[1] + 0.114 * v[2];
  assert.ok(Math.abs(luma(turned) - luma([200, 100, 50])) < 1e-9, "hue rotation keeps luma");
  assert.ok(Math.abs(turned[0] - 200) + Math.abs(turned[2] - 50) > 20, "hue rotation changes the colour");
});

Deno.test("augment: no-augment is exact normalisation; flip mirrors; EVO crop zooms by 128/112", () => {
  const size = 16;
  const src = image(size);
  const out = new Float32Array(size * size * 3);
  augmentInto(src, size, out, 0, NO_AUGMENT, new Rng(0, "a"));
  out.forEach((v, i) => assert.ok(Math.abs(v - (src[i] - 127.5) / 127.5) < 1e-6));
  augmentInto(src, size, out, 0, { ...NO_AUGMENT, flip: 1 }, new Rng(0, "a"));
  for (let c = 0; c < 3; c++) assert.ok(Math.abs(out[c] - (src[(size - 1) * 3 + c] - 127.5) / 127.5) < 1e-6);
  const centre = new Float32Array(112 * 112 * 3);
  const flat = new Uint8Array(112 * 112 * 3).fill(77);
  augmentInto(flat, 112, centre, 0, { ...EVO_AUGMENT, crop: "center", flip: 0 }, new Rng(0, "a"));
  centre.forEach((v) => assert.ok(Math.abs(v - (77 - 127.5) / 127.5) < 1e-6));
  for (const v of centre) assert.ok(v >= -1 && v <= 1);
});

Deno.test("augment: symmetric 3×3 eigen-decomposition and RGB PCA", () => {
  const { eigenvalues, eigenvectors } = symmetricEigen3([4, 1, 0, 1, 3, 0, 0, 0, 1]);
  const expected = [(7 + Math.sqrt(5)) / 2, (7 - Math.sqrt(5)) / 2, 1];
  eigenvalues.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-9));
  const m = [4, 1, 0, 1, 3, 0, 0, 0, 1];
  eigenvectors.forEach((v, k) => {
    for (let r = 0; r < 3; r++) {
      assert.ok(Math.abs(m[3 * r] * v[0] + m[3 * r + 1] * v[1] + m[3 * r + 2] * v[2] - eigenvalues[k] * v[r]) < 1e-9);
    }
  });
  const greyish = Uint8Array.from({ length: 3000 }, (_, i) => ((Math.floor(i / 3) * 97) % 256));
  const pca = rgbPca(greyish, 1);
  assert.ok(pca.eigenvalues[1] < 1e-9 && pca.eigenvalues[0] > 0.01);
  pca.eigenvectors[0].forEach((v) => assert.ok(Math.abs(Math.abs(v) - 1 / Math.sqrt(3)) < 1e-6));
});
