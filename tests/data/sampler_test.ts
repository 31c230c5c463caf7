/** Cleaning and sampling: low-shot removal, class balance, permutations, P×K identity batches and mid-epoch resume. */
import assert from "node:assert";
import { BalancedSampler, PKSampler, removeLowShot, ShuffleSampler } from "../../src/data/sampler.ts";
import { loaderFor } from "../../src/data/loader.ts";
import { NO_AUGMENT } from "../../src/data/augment.ts";

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

/** 13 identities: identity c has 1 + (c % 6) images (some fewer than K = 3), shuffled positions. */
const PK_LABELS = Int32Array.from(
  Array.from({ length: 13 }, (_, c) => new Array(1 + (c % 6)).fill(c)).flat().sort((a, b) =>
    ((a * 7) % 5) - ((b * 7) % 5)
  ),
);

Deno.test("sampler: P×K blocks hold P distinct identities × K images each, as many blocks as a shuffled epoch", () => {
  const [p, k] = [4, 3];
  const sampler = new PKSampler(PK_LABELS, p, k, 5);
  const blocks = Math.floor(PK_LABELS.length / (p * k));
  assert.strictEqual(sampler.size, blocks * p * k);
  const seenIdentities = new Set<number>();
  for (let e = 0; e < 3; e++) {
    const order = sampler.epoch(e);
    assert.strictEqual(order.length, sampler.size);
    for (let b = 0; b < blocks; b++) {
      const ids: number[] = [];
      for (let j = 0; j < p; j++) {
        const group = Array.from(order.subarray((b * p + j) * k, (b * p + j + 1) * k));
        const id = PK_LABELS[group[0]];
        assert.ok(group.every((i) => PK_LABELS[i] === id), `block ${b}, identity ${j}: one identity per K run`);
        const owned = PK_LABELS.filter((y) => y === id).length;
        assert.strictEqual(new Set(group).size, Math.min(owned, k), "distinct images unless the identity has < K");
        ids.push(id);
        seenIdentities.add(id);
      }
      assert.strictEqual(new Set(ids).size, p, `block ${b} of epoch ${e}: P distinct identities`);
    }
  }
  assert.strictEqual(seenIdentities.size, 13, "every identity is drawn within a few epochs");
});

Deno.test("sampler: P×K orders depend only on (seed, epoch); the loader resumes them mid-epoch", async () => {
  const a = new PKSampler(PK_LABELS, 4, 3, 5), b = new PKSampler(PK_LABELS, 4, 3, 5);
  a.epoch(0);
  assert.deepStrictEqual(b.epoch(1), a.epoch(1));
  assert.notDeepStrictEqual(a.epoch(0), a.epoch(1));
  assert.notDeepStrictEqual(new PKSampler(PK_LABELS, 4, 3, 6).epoch(0), a.epoch(0));
  const set = {
    images: Uint8Array.from({ length: PK_LABELS.length * 4 * 4 * 3 }, (_, i) => i & 255),
    labels: PK_LABELS,
    count: PK_LABELS.length,
    height: 4,
    width: 4,
    numClasses: 13,
  };
  const options = { prefetch: "none", augment: NO_AUGMENT, sampler: "pk", imagesPerIdentity: 3 } as const;
  const straight = loaderFor(set, 12, 2, options);
  assert.strictEqual(straight.batchesPerEpoch, 3); // ⌊43 images / 12⌋
  const labels: Int32Array[] = [];
  for (let i = 0; i < 7; i++) labels.push((await straight.next()).labels);
  const resumed = loaderFor(set, 12, 2, { ...options, start: { epoch: 1, batch: 1 } });
  assert.deepStrictEqual((await resumed.next()).labels, labels[4]);
  assert.deepStrictEqual((await resumed.next()).labels, labels[5]);
  for (const l of [straight, resumed]) l.close();
});

Deno.test("sampler: P×K refuses P above the identities and a batch that K does not divide", () => {
  assert.throws(() => new PKSampler(PK_LABELS, 14, 2, 1), /P = 14 identities per batch, but the set has 13/);
  const set = {
    images: new Uint8Array(PK_LABELS.length * 3),
    labels: PK_LABELS,
    count: PK_LABELS.length,
    height: 1,
    width: 1,
    numClasses: 13,
  };
  assert.throws(
    () => loaderFor(set, 10, 1, { prefetch: "none", augment: NO_AUGMENT, sampler: "pk", imagesPerIdentity: 4 }),
    /batchSize 10 is not a multiple of imagesPerIdentity 4/,
  );
});
