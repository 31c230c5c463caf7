import assert from "node:assert";
import { RAW_PIXEL_GRID, rawPixelEmbeddings } from "../../src/bench/references.ts";
import type { FaceDataset } from "../../src/data/dataset.ts";
import { Rng } from "../../src/core/rng.ts";

/** A test split of `count` random 112 × 112 images; image k + count/2 is image k mirrored and brightened by 10. */
function mirroredPairs(count: number): FaceDataset {
  const size = 112, per = size * size * 3, half = count / 2;
  const images = new Uint8Array(count * per);
  const rng = new Rng(3, "references-test");
  for (let i = 0; i < half * per; i++) images[i] = 20 + rng.int(200);
  for (let n = 0; n < half; n++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let c = 0; c < 3; c++) {
          images[(half + n) * per + (y * size + (size - 1 - x)) * 3 + c] = images[n * per + (y * size + x) * 3 + c] +
            10;
        }
      }
    }
  }
  const test = { images, labels: new Int32Array(count), count, height: size, width: size, numClasses: 1 };
  return { test } as unknown as FaceDataset;
}

Deno.test("rawPixelEmbeddings: 28 × 28 grey block means, mean removed, unit norm; flip fusion is mirror-invariant", () => {
  const dataset = mirroredPairs(4);
  const plain = rawPixelEmbeddings(dataset, false);
  assert.strictEqual(plain.dim, RAW_PIXEL_GRID * RAW_PIXEL_GRID);
  for (let n = 0; n < 4; n++) {
    const row = plain.data.subarray(n * plain.dim, (n + 1) * plain.dim);
    assert.ok(Math.abs(row.reduce((s, v) => s + v * v, 0) - 1) < 1e-5, "unit norm");
    assert.ok(Math.abs(row.reduce((s, v) => s + v, 0)) < 1e-4, "mean removed");
  }
  // mirrored + brighter image: different without flip fusion, the same with it (brightness is removed with the mean)
  const differs = (e: Float32Array, dim: number) =>
    e.subarray(0, dim).some((v, k) => Math.abs(v - e[2 * dim + k]) > 1e-3);
  assert.ok(differs(plain.data, plain.dim));
  const fused = rawPixelEmbeddings(dataset, true);
  assert.ok(!differs(fused.data, fused.dim));
  const wrong = { test: { ...dataset.test, width: 100, height: 100 } } as unknown as FaceDataset;
  assert.throws(() => rawPixelEmbeddings(wrong, true), /square multiples of 28 px, got 100×100/);
});
