/**
 * Label noise (src/data/label_noise.ts): exactly round(fraction · N) labels flip, never to their own class, the same
 * ones for the same seed and others for another; look-alikes are the nearest other class mean and flips follow them;
 * the options are validated.
 */
import assert from "node:assert";
import {
  classMeanThumbnails,
  flipLabels,
  labelNoiseSchema,
  lookalikeClasses,
  withLabelNoise,
} from "../../src/data/label_noise.ts";
import type { TrainingSet } from "../../src/data/dataset.ts";

const labels = Int32Array.from({ length: 1203 }, (_, i) => i % 37);

Deno.test("label noise: round(fraction · N) flips, each to another class, deterministic per seed", () => {
  for (const fraction of [0, 0.1, 0.3, 0.55]) {
    const noise = labelNoiseSchema.parse({ fraction, seed: 5 });
    const a = flipLabels(labels, 37, noise);
    const expected = Math.round(fraction * labels.length);
    assert.strictEqual(a.flipped.length, expected);
    const changed = labels.reduce((n, y, i) => n + (a.labels[i] !== y ? 1 : 0), 0);
    assert.strictEqual(changed, expected, "every chosen image changes class");
    assert.ok(a.flipped.every((i, k) => k === 0 || a.flipped[k - 1] < i), "indices ascending and distinct");
    assert.ok(a.labels.every((y) => y >= 0 && y < 37));
    assert.deepStrictEqual(flipLabels(labels, 37, noise), a, "same seed, same flips");
    if (expected > 0) {
      const other = flipLabels(labels, 37, { ...noise, seed: 6 });
      assert.notDeepStrictEqual(other.flipped, a.flipped, "another seed, other images");
    }
  }
  const input = labels.slice();
  flipLabels(labels, 37, labelNoiseSchema.parse({ fraction: 0.3 }));
  assert.deepStrictEqual(labels, input, "the input labels are untouched");
});

Deno.test("label noise: random targets cover the other classes; two classes always swap", () => {
  const noisy = flipLabels(labels, 37, labelNoiseSchema.parse({ fraction: 0.9, seed: 1 }));
  const targets = new Set([...noisy.flipped].map((i) => noisy.labels[i]));
  assert.strictEqual(targets.size, 37);
  const two = Int32Array.from({ length: 100 }, (_, i) => i % 2);
  const swapped = flipLabels(two, 2, labelNoiseSchema.parse({ fraction: 0.5 }));
  assert.ok([...swapped.flipped].every((i) => swapped.labels[i] === 1 - two[i]));
});

/** A 4-class in-memory set of 8×8 images: class c has flat grey level `levels[c]`, 3 images each. */
function greySet(levels: number[]): TrainingSet {
  const size = 8, count = levels.length * 3;
  const images = new Uint8Array(count * size * size * 3);
  const setLabels = Int32Array.from({ length: count }, (_, i) => Math.floor(i / 3));
  setLabels.forEach((c, i) => images.fill(levels[c], i * size * size * 3, (i + 1) * size * size * 3));
  return {
    source: { kind: "memory", images, size },
    labels: setLabels,
    count,
    height: size,
    width: size,
    numClasses: levels.length,
  };
}

Deno.test("label noise: look-alikes are the nearest other class mean, and flips go to them", () => {
  const set = greySet([10, 200, 30, 190]);
  const means = classMeanThumbnails(set);
  assert.deepStrictEqual([...means[2].slice(0, 3)], [30, 30, 30]);
  assert.deepStrictEqual([...lookalikeClasses(means)], [2, 3, 0, 1]);
  const noise = labelNoiseSchema.parse({ fraction: 0.5, to: "lookalike", seed: 3 });
  const { set: noisy, flipped } = withLabelNoise(set, noise);
  assert.strictEqual(flipped.length, 6);
  for (const i of flipped) assert.strictEqual(noisy.labels[i], [2, 3, 0, 1][set.labels[i]]);
  assert.throws(
    () => flipLabels(set.labels, 4, noise, Int32Array.from([0, 3, 0, 1])),
    /look-alike of every class other than itself/,
  );
});

Deno.test("label noise: options are validated", () => {
  assert.deepStrictEqual(labelNoiseSchema.parse({ fraction: 0.3 }), { fraction: 0.3, to: "random", seed: 0 });
  for (const bad of [{ fraction: 1 }, { fraction: -0.1 }, { fraction: 0.2, to: "nearest" }, { fraction: 0.2, x: 1 }]) {
    assert.ok(!labelNoiseSchema.safeParse(bad).success, JSON.stringify(bad));
  }
  assert.throws(
    () => flipLabels(new Int32Array(4), 1, labelNoiseSchema.parse({ fraction: 0.5 })),
    /at least 2 classes/,
  );
});
