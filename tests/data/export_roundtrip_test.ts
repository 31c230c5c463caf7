/**
 * Real file formats end to end without external data (issue 12): `tools/export_dataset.ts` writes synthface-ci with
 * the project's writers as an InsightFace `train.rec`/`train.idx` and a `.bin` of its test pairs; read back by the
 * importers they equal the in-memory set byte for byte, and the `.rec` decoded once into a raw cache file gives
 * the loader the same batches as the in-memory set. (Training on the files through the bench is
 * `tests/bench/own_data_test.ts`.)
 */
import assert from "node:assert";
import type { FaceSet } from "../../src/data/dataset.ts";
import { EVO_AUGMENT } from "../../src/data/augment.ts";
import { loadDataset } from "../../src/data/datasets.ts";
import { DataError } from "../../src/data/errors.ts";
import { writeStreamAtomic } from "../../src/io/atomic_write.ts";
import { writeBin } from "../../src/data/export/bin_writer.ts";
import { writeRecordIo } from "../../src/data/export/recordio_writer.ts";
import { Loader, loaderFor } from "../../src/data/loader.ts";
import { importBin } from "../../src/data/importers/bin.ts";
import { importRecordIo } from "../../src/data/importers/insightface_rec.ts";
import { cacheRecordIo } from "../../src/data/importers/rec_cache.ts";
import { parseIdx, readRecord, unpackRecord } from "../../src/data/importers/recordio.ts";
import { main as exportCli } from "../../tools/export_dataset.ts";

/** Index of the first byte where `a` and `b` differ (-1: equal). */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : Math.min(a.length, b.length);
}

function assertSameBytes(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.strictEqual(firstDifference(actual, expected), -1, `${what} differ`);
}

function image(set: { images: Uint8Array; height: number; width: number }, i: number): Uint8Array {
  const size = set.height * set.width * 3;
  return set.images.subarray(i * size, (i + 1) * size);
}

Deno.test({
  name: "export round trip: synthface-ci through .rec/.idx and .bin files",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const memory = await loadDataset("synthface-ci");
    const dir = await Deno.makeTempDir({ prefix: "facebench-export-" });
    try {
      assert.strictEqual(await exportCli(["--dataset", "synthface-ci", "--out", dir, "--protocol", "3"]), 2);
      assert.strictEqual(await exportCli(["--dataset", "synthface-ci", "--out", dir]), 0);
      assert.deepStrictEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
        "synthface-ci.bin",
        "train.idx",
        "train.rec",
      ]);
      const train = await importRecordIo(`${dir}/train.rec`, `${dir}/train.idx`);
      const bin = await importBin(`${dir}/${memory.id}.bin`);

      await t.step("the files read back byte for byte, in InsightFace's layout", async () => {
        for (const key of ["count", "height", "width", "numClasses"] as const) {
          assert.strictEqual(train[key], memory.train[key], key);
        }
        assertSameBytes(train.images, memory.train.images, "training images");
        assertSameBytes(train.labels, memory.train.labels, "training labels");

        // header record 0 = [imageEnd, identityEnd], then one record per identity with its range of image keys
        const rec = await Deno.readFile(`${dir}/train.rec`);
        const index = parseIdx(await Deno.readTextFile(`${dir}/train.idx`), "train.idx");
        const record = (key: number) =>
          unpackRecord(readRecord((o, n) => rec.subarray(o, o + n), index.get(key)!, "train.rec"), "train.rec");
        const imageEnd = memory.train.count + 1, identityEnd = imageEnd + memory.train.numClasses;
        assert.deepStrictEqual(record(0).label, [imageEnd, identityEnd]);
        assert.strictEqual(index.size, identityEnd);
        let next = 1;
        for (let c = 0; c < memory.train.numClasses; c++) {
          const [start, end] = record(imageEnd + c).label;
          assert.ok(start === next && end > start, `identity ${c}: keys [${start}, ${end}) after ${next}`);
          const labels = memory.train.labels.subarray(start - 1, end - 1);
          assert.ok(labels.every((l) => l === c), `identity ${c}: keys [${start}, ${end}) hold other classes`);
          next = end;
        }
        assert.strictEqual(next, imageEnd);

        const { pairs } = memory;
        assert.strictEqual(bin.count, 2 * pairs.same.length);
        for (let i = 0; i < pairs.same.length; i++) {
          assertSameBytes(image(bin, 2 * i), image(memory.test, pairs.left[i]), `left image of pair ${i}`);
          assertSameBytes(image(bin, 2 * i + 1), image(memory.test, pairs.right[i]), `right image of pair ${i}`);
        }
        assertSameBytes(bin.pairs.same, pairs.same, "same flags");
        assertSameBytes(bin.pairs.fold, pairs.fold, "folds");
        assert.strictEqual(bin.pairs.folds, pairs.folds);
      });

      await t.step("the .rec streams from disk: decoded once into a raw cache file, same batches", async () => {
        const cache = `${dir}/cache`;
        const { set: raw } = await cacheRecordIo(`${dir}/train.rec`, `${dir}/train.idx`, { cacheDir: cache });
        assert.strictEqual(raw.source.kind, "file");
        assert.strictEqual(raw.numClasses, memory.train.numClasses);
        assertSameBytes(raw.labels, memory.train.labels, "cached labels");
        assertSameBytes(await Deno.readFile(raw.source.path), memory.train.images, "cached pixels");
        const written = (await Deno.stat(raw.source.path)).mtime;
        const { set: again } = await cacheRecordIo(`${dir}/train.rec`, `${dir}/train.idx`, { cacheDir: cache });
        assert.deepStrictEqual(again, raw);
        assert.deepStrictEqual((await Deno.stat(raw.source.path)).mtime, written, "a second call reads the cache");

        const spec = { labels: raw.labels, batchSize: 32, seed: 7, sampler: "shuffle" as const, augment: EVO_AUGMENT };
        using fromFile = new Loader({ ...spec, source: raw.source }, { prefetch: "none" });
        using fromMemory = loaderFor(memory.train, 32, 7, { prefetch: "none" });
        for (let b = 0; b < 3; b++) {
          const [x, y] = [await fromFile.next(), await fromMemory.next()];
          assertSameBytes(x.images, y.images, `batch ${b} images`);
          assertSameBytes(x.labels, y.labels, `batch ${b} labels`);
        }
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("export: what the formats cannot hold is refused before anything is written", async () => {
  const dir = await Deno.makeTempDir({ prefix: "facebench-export-" });
  try {
    const set: FaceSet = {
      images: new Uint8Array(4 * 2 * 2 * 3),
      labels: Int32Array.of(0, 1, 1, 0),
      count: 4,
      height: 2,
      width: 2,
      numClasses: 2,
    };
    await assert.rejects(
      writeRecordIo(set, `${dir}/train.rec`, `${dir}/train.idx`),
      (e) => e instanceof DataError && /train\.rec.*image 3 of class 0 follows another class/.test(e.message),
    );
    const pairs = (fold: number[], folds = 10) => ({
      left: new Int32Array(fold.length),
      right: new Int32Array(fold.length).fill(1),
      same: new Uint8Array(fold.length),
      fold: Int32Array.from(fold),
      folds,
    });
    const contiguous = Array.from({ length: 20 }, (_, i) => Math.floor(i / 2));
    await assert.rejects(writeBin(set, pairs(contiguous.toReversed()), `${dir}/a.bin`), /a\.bin.*pair 0 is in fold 9/);
    await assert.rejects(writeBin(set, pairs(contiguous, 5), `${dir}/b.bin`), /b\.bin.*5 folds/);
    await assert.rejects(
      writeStreamAtomic(`${dir}/c.bin`, async (write) => {
        await write(Uint8Array.of(1, 2, 3));
        throw new Error("interrupted");
      }),
      /interrupted/,
    );
    assert.deepStrictEqual([...Deno.readDirSync(dir)], [], "no file and no temporary file is left");
    await writeBin(set, pairs(contiguous), `${dir}/ok.bin`);
    assert.deepStrictEqual(Array.from((await importBin(`${dir}/ok.bin`)).pairs.fold), contiguous);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
