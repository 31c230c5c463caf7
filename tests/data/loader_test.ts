/** Loader: batch layout, worker prefetch equals inline, resume mid-epoch, raw cache file source. */
import assert from "node:assert";
import { BatchMaker } from "../../src/data/batch.ts";
import type { FaceSet } from "../../src/data/dataset.ts";
import { Loader, loaderFor } from "../../src/data/loader.ts";
import { writeRawImages } from "../../src/data/raw_file.ts";
import { FULL_AUGMENT, NO_AUGMENT } from "../../src/data/augment.ts";

function smallSet(count: number, size: number): FaceSet {
  return {
    images: Uint8Array.from({ length: count * size * size * 3 }, (_, i) => (i * 31 + (i >> 7)) & 255),
    labels: Int32Array.from({ length: count }, (_, i) => i % 5),
    count,
    height: size,
    width: size,
    numClasses: 5,
  };
}

Deno.test("loader: batches are NHWC float32 with labels; last partial batch dropped", async () => {
  const set = smallSet(23, 16);
  const loader = loaderFor(set, 4, 1, { prefetch: "none", augment: NO_AUGMENT });
  assert.strictEqual(loader.batchesPerEpoch, 5);
  const seen = new Set<number>();
  for (let b = 0; b < 5; b++) {
    const batch = await loader.next();
    assert.deepStrictEqual(batch.shape, [4, 16, 16, 3]);
    assert.strictEqual(batch.images.length, 4 * 16 * 16 * 3);
    for (let k = 0; k < 4; k++) {
      const first = batch.images[k * 768] * 127.5 + 127.5;
      const index = Array.from({ length: 23 }, (_, i) => i).find((i) =>
        Math.abs(set.images[i * 768] - first) < 1e-3 && set.labels[i] === batch.labels[k] && !seen.has(i)
      );
      assert.ok(index !== undefined);
      seen.add(index);
    }
  }
  assert.deepStrictEqual(loader.state(), { epoch: 1, batch: 0 });
  loader.close();
});

Deno.test("loader: worker prefetch gives the same batches as inline, and resume continues exactly", async () => {
  const set = smallSet(40, 24);
  const inline = loaderFor(set, 8, 9, { prefetch: "none", augment: FULL_AUGMENT, sampler: "balanced" });
  const worker = loaderFor(set, 8, 9, { prefetch: "worker", augment: FULL_AUGMENT, sampler: "balanced" });
  const expected = [];
  for (let i = 0; i < 12; i++) {
    const a = await inline.next(), b = await worker.next();
    assert.deepStrictEqual(b.images, a.images);
    assert.deepStrictEqual(b.labels, a.labels);
    assert.deepStrictEqual([b.epoch, b.index], [a.epoch, a.index]);
    expected.push(a);
  }
  worker.close();
  const resumed = loaderFor(set, 8, 9, {
    prefetch: "worker",
    augment: FULL_AUGMENT,
    sampler: "balanced",
    start: { epoch: 1, batch: 2 },
  });
  const again = await resumed.next();
  assert.deepStrictEqual(again.images, expected[7].images);
  resumed.close();
  inline.close();
});

Deno.test("loader: a raw cache file source reads the same pixels as memory", async () => {
  const set = smallSet(12, 16);
  const dir = await Deno.makeTempDir();
  const path = `${dir}/train.u8`;
  await writeRawImages(path, set);
  const spec = { labels: set.labels, batchSize: 4, sampler: "shuffle" as const, seed: 2, augment: NO_AUGMENT };
  const memory = new BatchMaker({ ...spec, source: { kind: "memory", images: set.images, size: 16 } });
  const file = new Loader({ ...spec, source: { kind: "file", path, count: 12, size: 16 } }, { prefetch: "worker" });
  for (let b = 0; b < 3; b++) assert.deepStrictEqual((await file.next()).images, memory.make(0, b).images);
  file.close();
  memory.close();
  assert.throws(
    () => new BatchMaker({ ...spec, labels: new Int32Array(13), source: { kind: "file", path, count: 13, size: 16 } }),
    /expected 9984 bytes \(13 images\), found 9216/,
  );
  await Deno.remove(dir, { recursive: true });
});
