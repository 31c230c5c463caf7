/** Cleaning and sampling: low-shot removal, class balance, permutations and mid-epoch resume. */
import assert from "node:assert";
import { BalancedSampler, removeLowShot, ShuffleSampler } from "../../src/data/sampler.ts";

Deno.test("sampler: removeLowShot drops classes with numMin or fewer images and renumbers", () => {
  const labels = Int32Array.from([5, 5, 5, 2, 2, 9, 9, 9, 9, 7]);
  const cleaned = removeLowShot(labels, 2);
  assert.deepStrictEqual(Array.from(cleaned.classes), [5, 9]);
  assert.deepStrictEqual(Array.from(cleaned.keep), [0, 1, 2, 5, 6, 7, 8]);
  assert.deepStrictEqual(Array.from(cleaned.labels), [0, 0, 0, 1, 1, 1, 1]);
  assert.strictEqual(cleaned.numClasses, 2);
});

Deno.test("sampler: shuffle is a fresh permutation per epoch, identical across instances", () => {
  const a = new ShuffleSampler(100, 7), b = new ShuffleSampler(100, 7);
  const e0 = a.epoch(0);
  assert.deepStrictEqual(Array.from(e0).sort((x, y) => x - y), Array.from({ length: 100 }, (_, i) => i));
  assert.notDeepStrictEqual(e0, a.epoch(1));
  assert.deepStrictEqual(b.epoch(1), a.epoch(1));
  assert.notDeepStrictEqual(new ShuffleSampler(100, 8).epoch(0), e0);
});

Deno.test("sampler: balanced sampler draws each class about equally on skewed data", () => {
  const labels = Int32Array.from([...new Array(900).fill(0), ...new Array(90).fill(1), ...new Array(10).fill(2)]);
  const sampler = new BalancedSampler(labels, 1);
  const counts = [0, 0, 0];
  for (let e = 0; e < 30; e++) for (const i of sampler.epoch(e)) counts[labels[i]]++;
  const total = counts.reduce((s, c) => s + c);
  assert.strictEqual(total, 30 * 1000);
  for (const c of counts) assert.ok(Math.abs(c / total - 1 / 3) < 0.015, `class share ${c / total}`);
  const used = new Set(Array.from(sampler.epoch(0)).filter((i) => labels[i] === 2));
  assert.ok(used.size <= 10 && used.size >= 8, "with replacement within the small class");
});

Deno.test("sampler: an epoch order depends only on (seed, epoch), so resume is exact", () => {
  const labels = Int32Array.from({ length: 50 }, (_, i) => i % 7);
  const first = new BalancedSampler(labels, 3);
  first.epoch(0);
  const resumed = new BalancedSampler(labels, 3);
  assert.deepStrictEqual(resumed.epoch(2), first.epoch(2));
});
