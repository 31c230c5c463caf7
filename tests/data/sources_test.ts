/**
 * The user's own data (issue 12): `openTrainingSet` caches a `.rec` or an image-folder tree with the same pixels and
 * labels as the in-memory importers, applies `numMin` while caching, and names what is wrong; `loadEvalSet` reads
 * registered ids, `.bin` files (bootstrap units of pairs) and folder trees with LFW's `pairs.txt`.
 */
import assert from "node:assert";
import { createHash } from "node:crypto";
import type { FaceDataset, FaceSet, PairList } from "../../src/data/dataset.ts";
import { DataError } from "../../src/data/errors.ts";
import { writeBin } from "../../src/data/export/bin_writer.ts";
import { encodeRecordIo, packRecord, writeRecordIo } from "../../src/data/export/recordio_writer.ts";
import { createImage, type Image } from "../../src/data/image/image.ts";
import { writeImage } from "../../src/data/image/io.ts";
import { encodePng } from "../../src/data/image/png.ts";
import { importBin } from "../../src/data/importers/bin.ts";
import { importImageFolder } from "../../src/data/importers/folder.ts";
import { importRecordIo } from "../../src/data/importers/insightface_rec.ts";
import { RECORDIO_MAGIC } from "../../src/data/importers/recordio.ts";
import { removeLowShot } from "../../src/data/sampler.ts";
import { loadEvalSet, openTrainingSet } from "../../src/data/sources.ts";

const SIZE = 6;

/** A procedural `size`×`size` RGB image, different for every `seed`. */
function pattern(seed: number, size = SIZE, height = size): Image {
  const image = createImage(size, height, 3);
  image.data.forEach((_, i) => image.data[i] = (seed * 37 + i * 11) & 255);
  return image;
}

/** A set of `counts[c]` images of class `classKeys[c]`, in contiguous blocks. */
function makeSet(counts: number[], classKeys = counts.map((_, c) => c)): FaceSet {
  const labels = counts.flatMap((n, c) => Array(n).fill(classKeys[c]));
  const per = SIZE * SIZE * 3;
  const images = new Uint8Array(labels.length * per);
  labels.forEach((_, i) => images.set(pattern(i).data, i * per));
  return { images, labels: Int32Array.from(labels), count: labels.length, height: SIZE, width: SIZE, numClasses: 0 };
}

/** The images of `set` at `keep`, packed. */
function pick(set: FaceSet, keep: ArrayLike<number>): Uint8Array {
  const per = set.height * set.width * 3;
  const out = new Uint8Array(keep.length * per);
  Array.from(keep).forEach((k, i) => out.set(set.images.subarray(k * per, (k + 1) * per), i * per));
  return out;
}

/** SHA-256 of the pixels then the labels, as the training hash is defined. */
function trainingHash(pixels: Uint8Array, labels: Int32Array): string {
  return createHash("sha256").update(pixels).update(new Uint8Array(labels.buffer)).digest("hex");
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "facebench-sources-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Writes `tree` (identity → images) as `root/<identity>/<n>.png`. */
async function writeTree(root: string, tree: Record<string, Image[]>): Promise<void> {
  for (const [identity, images] of Object.entries(tree)) {
    for (const [i, image] of images.entries()) {
      await writeImage(`${root}/${identity}/${identity}_${String(i + 1).padStart(4, "0")}.png`, image);
    }
  }
}

Deno.test("openTrainingSet: a .rec caches to the pixels and labels of importRecordIo; numMin drops low-shot ids", async () => {
  await withTempDir(async (dir) => {
    // float labels 5, 2, 9, 0, 7 in blocks of 3, 1, 4, 2, 1 images: renumbered in order of appearance
    await writeRecordIo(makeSet([3, 1, 4, 2, 1], [5, 2, 9, 0, 7]), `${dir}/train.rec`, `${dir}/train.idx`);
    const memory = await importRecordIo(`${dir}/train.rec`, `${dir}/train.idx`);
    const cacheDir = `${dir}/cache`;
    const all = await openTrainingSet(`${dir}/train.rec`, { numMin: 0, cacheDir });
    assert.strictEqual(all.kind, "rec");
    assert.strictEqual(all.set.source.kind, "file");
    assert.deepStrictEqual(Array.from(all.set.labels), Array.from(memory.labels));
    assert.deepStrictEqual([all.set.count, all.set.numClasses, all.set.height], [11, 5, SIZE]);
    const path = all.set.source.kind === "file" ? all.set.source.path : "";
    assert.deepStrictEqual(await Deno.readFile(path), memory.images);
    assert.strictEqual(all.hash, trainingHash(memory.images, memory.labels));
    assert.deepStrictEqual(all.removed, { identities: 0, images: 0 });

    const written = (await Deno.stat(path)).mtime;
    const again = await openTrainingSet(`${dir}/train.rec`, { numMin: 0, cacheDir });
    assert.deepStrictEqual(again, all);
    assert.deepStrictEqual((await Deno.stat(path)).mtime, written, "a second call reads the cache");

    const cleaned = removeLowShot(memory.labels, 1);
    const some = await openTrainingSet(`${dir}/train.rec`, { numMin: 1, cacheDir });
    assert.deepStrictEqual(some.removed, { identities: 2, images: 2 });
    assert.deepStrictEqual(Array.from(some.set.labels), [0, 0, 0, 1, 1, 1, 1, 2, 2]);
    assert.deepStrictEqual(Array.from(some.set.labels), Array.from(cleaned.labels));
    assert.strictEqual(some.set.numClasses, 3);
    const kept = pick(memory, cleaned.keep);
    assert.deepStrictEqual(await Deno.readFile(some.set.source.kind === "file" ? some.set.source.path : ""), kept);
    assert.strictEqual(some.hash, trainingHash(kept, cleaned.labels));

    await assert.rejects(
      openTrainingSet(`${dir}/train.rec`, { numMin: 0, cacheDir: `${dir}/cache2`, limits: { maxDecodedBytes: 200 } }),
      /Cannot import ".*train\.rec": decoded images would exceed 200 bytes at image 1 \(.*train\.rec#2\)/,
    );
    await assert.rejects(
      openTrainingSet(`${dir}/train.rec`, { numMin: 3, cacheDir }),
      /Cannot import ".*train\.rec": 1 of 5 identities have more than numMin = 3 images; training needs at least 2/,
    );
    await Deno.remove(`${dir}/train.idx`);
    await assert.rejects(openTrainingSet(`${dir}/train.rec`, { numMin: 0, cacheDir }), /Cannot open ".*train\.idx"/);
  });
});

Deno.test("openTrainingSet: a record whose header a magic word splits is read whole for its label", async () => {
  await withTempDir(async (dir) => {
    // label[0]'s float32 bits are the RecordIO magic word: the writer splits the record right after the flag
    const magicLabel = new DataView(Uint32Array.of(RECORDIO_MAGIC).buffer).getFloat32(0, true);
    const png = (seed: number) => encodePng(pattern(seed));
    const records: [number, Uint8Array][] = [];
    for (const [key, label] of [[1, magicLabel], [2, magicLabel], [3, 4], [4, 4]] as const) {
      records.push([key, packRecord(label, key, await png(key))]);
    }
    const { rec, idx } = encodeRecordIo(records);
    await Deno.writeFile(`${dir}/odd.rec`, rec);
    await Deno.writeTextFile(`${dir}/odd.idx`, idx);
    const memory = await importRecordIo(`${dir}/odd.rec`, `${dir}/odd.idx`);
    const opened = await openTrainingSet(`${dir}/odd.rec`, { numMin: 1, cacheDir: `${dir}/cache` });
    assert.deepStrictEqual(Array.from(opened.set.labels), [0, 0, 1, 1]);
    assert.deepStrictEqual(Array.from(opened.set.labels), Array.from(memory.labels));
    assert.strictEqual(opened.hash, trainingHash(memory.images, memory.labels));
  });
});

Deno.test("openTrainingSet: a folder tree caches to the pixels and labels of importImageFolder", async () => {
  await withTempDir(async (dir) => {
    const root = `${dir}/root`;
    await writeTree(root, {
      id10: [pattern(1), pattern(2), pattern(3)],
      id2: [pattern(4)],
      id3: [pattern(5), pattern(6)],
    });
    const { set: memory } = await importImageFolder(root);
    const cacheDir = `${dir}/cache`;
    const all = await openTrainingSet(root, { numMin: 0, cacheDir });
    assert.strictEqual(all.kind, "folder");
    assert.deepStrictEqual(Array.from(all.set.labels), Array.from(memory.labels));
    assert.deepStrictEqual(Array.from(all.set.labels), [0, 1, 1, 2, 2, 2]);
    const read = (set: typeof all.set) => Deno.readFile(set.source.kind === "file" ? set.source.path : "");
    assert.deepStrictEqual(await read(all.set), memory.images);
    assert.strictEqual(all.hash, trainingHash(memory.images, memory.labels));

    const some = await openTrainingSet(root, { numMin: 1, cacheDir });
    assert.deepStrictEqual(some.removed, { identities: 1, images: 1 });
    assert.deepStrictEqual(Array.from(some.set.labels), [0, 0, 1, 1, 1]);
    assert.deepStrictEqual(await read(some.set), pick(memory, [1, 2, 3, 4, 5]));

    await writeImage(`${root}/id2/id2_0002.png`, pattern(7)); // the listing changed: cached anew
    assert.strictEqual((await openTrainingSet(root, { numMin: 0, cacheDir })).set.count, 7);

    await writeImage(`${root}/id4/a.png`, pattern(8, SIZE + 2));
    await assert.rejects(
      openTrainingSet(root, { numMin: 0, cacheDir }),
      /Cannot import ".*root\/id4\/a\.png": image is 8x8, expected 6x6 like the first image/,
    );
    await writeTree(`${dir}/oblong`, { a: [pattern(1, 6, 4)], b: [pattern(2, 6, 4)] });
    await assert.rejects(
      openTrainingSet(`${dir}/oblong`, { numMin: 0, cacheDir }),
      /Cannot import ".*oblong\/a\/a_0001\.png": image is 6x4, expected a square image/,
    );
    await Deno.mkdir(`${dir}/empty/nobody`, { recursive: true });
    await assert.rejects(
      openTrainingSet(`${dir}/empty`, { numMin: 0, cacheDir }),
      /Cannot import ".*empty": no images/,
    );
    await assert.rejects(
      openTrainingSet(`${dir}/nothing.txt`, { numMin: 0, cacheDir }),
      (error) =>
        error instanceof DataError && /nothing\.txt/.test(error.message) && /train\.rec/.test(error.message) &&
        /image-folder/.test(error.message),
    );
  });
});

/** Pairs i = images 2i, 2i+1 in 10 contiguous folds (the `.bin` layout). */
function binPairs(same: number[]): PairList {
  const n = same.length;
  return {
    left: Int32Array.from(same, (_, i) => 2 * i),
    right: Int32Array.from(same, (_, i) => 2 * i + 1),
    same: Uint8Array.from(same),
    fold: Int32Array.from(same, (_, i) => Math.floor((i * 10) / n)),
    folds: 10,
  };
}

Deno.test("loadEvalSet: a .bin gives bootstrap units of pairs, no identities; registered ids via loadDataset", async () => {
  await withTempDir(async (dir) => {
    const same = [1, 0, 0, 1, 1, 0, 1, 0, 0, 1];
    const test = { ...makeSet([20]), numClasses: 1 };
    await writeBin(test, binPairs(same), `${dir}/lfw.bin`);
    const loadDataset = () => Promise.reject(new Error("not a registered id"));
    const { set, hash } = await loadEvalSet(`${dir}/lfw.bin`, { loadDataset });
    assert.deepStrictEqual([set.name, set.kind, set.source, set.identitiesKnown], [
      "lfw",
      "bin",
      `${dir}/lfw.bin`,
      false,
    ]);
    const bin = await importBin(`${dir}/lfw.bin`);
    assert.deepStrictEqual(set.test.images, bin.images);
    assert.deepStrictEqual(set.pairs, bin.pairs);
    // same pairs share a unit, different pairs get two
    assert.deepStrictEqual(
      Array.from(set.test.labels),
      [0, 0, 1, 2, 3, 4, 5, 5, 6, 6, 7, 8, 9, 9, 10, 11, 12, 13, 14, 14],
    );
    assert.strictEqual(set.test.numClasses, 15);
    assert.deepStrictEqual([set.gallery.length, set.probe.length], [0, 0]);
    assert.strictEqual((await loadEvalSet(`${dir}/lfw.bin`, { loadDataset })).hash, hash);
    await assert.rejects(loadEvalSet(`${dir}/cfp.bin`, { loadDataset }), /Cannot read ".*cfp\.bin"/);

    const dataset: FaceDataset = {
      id: "synthface-ci",
      train: test,
      test,
      pairs: binPairs(same),
      gallery: Int32Array.of(0),
      probe: Int32Array.of(1, 2),
    };
    const registered = await loadEvalSet("synthface-ci", {
      loadDataset: (id) => id === "synthface-ci" ? Promise.resolve(dataset) : loadDataset(),
    });
    assert.deepStrictEqual([registered.set.name, registered.set.kind, registered.set.identitiesKnown], [
      "synthface-ci",
      "dataset",
      true,
    ]);
    assert.strictEqual(registered.set.test, test);
    assert.strictEqual(registered.hash, hash, "same pixels and pairs, same hash");
    await assert.rejects(
      loadEvalSet("lfw", { loadDataset }),
      /Cannot load eval set "lfw": expected a registered dataset id \(.*synthface-ci.*orl.*\), an InsightFace \.bin/,
    );
  });
});

Deno.test("loadEvalSet: a folder tree with pairs.txt, with and without the header line", async () => {
  await withTempDir(async (dir) => {
    const root = `${dir}/mini_lfw`;
    // natural order: Ann (3 images: 0-2), Bob (1: 3), Cid (2: 4-5)
    await writeTree(root, {
      Ann: [pattern(1), pattern(2), pattern(3)],
      Bob: [pattern(4)],
      Cid: [pattern(5), pattern(6)],
    });
    const loadDataset = () => Promise.reject(new Error("not a registered id"));
    await Deno.writeTextFile(`${root}/pairs.txt`, "2\t1\nAnn\t1\t3\nAnn\t2\tBob\t1\nCid 1 2\nBob 1 Cid 2\n");
    const { set, hash } = await loadEvalSet(root, { loadDataset });
    assert.deepStrictEqual([set.name, set.kind, set.identitiesKnown], ["mini_lfw", "folder", true]);
    assert.deepStrictEqual(set.test, (await importImageFolder(root)).set);
    assert.deepStrictEqual(set.pairs, {
      left: Int32Array.of(0, 1, 4, 3),
      right: Int32Array.of(2, 3, 5, 5),
      same: Uint8Array.of(1, 0, 1, 0),
      fold: Int32Array.of(0, 0, 1, 1),
      folds: 2,
    });
    assert.deepStrictEqual(Array.from(set.gallery), [0, 3, 4]);
    assert.deepStrictEqual(Array.from(set.probe), [1, 2, 5]);
    assert.match(hash, /^[0-9a-f]{64}$/);

    const lines = ["Ann 1 2", "Ann 2 3", "Ann 1 3", "Cid 1 2", "Ann 1 Bob 1", "Ann 2 Cid 1", "Bob 1 Cid 1"];
    await Deno.writeTextFile(`${root}/pairs.txt`, [...lines, "Ann 3 Cid 2", "Ann 3 Bob 1", "Ann 2 Bob 1"].join("\n"));
    const plain = (await loadEvalSet(root, { loadDataset })).set.pairs;
    assert.strictEqual(plain.folds, 10);
    assert.deepStrictEqual(Array.from(plain.fold), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepStrictEqual(Array.from(plain.same), [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);

    const rejects = async (text: string, message: RegExp) => {
      await Deno.writeTextFile(`${root}/pairs.txt`, text);
      await assert.rejects(loadEvalSet(root, { loadDataset }), message);
    };
    await rejects(lines.join("\n"), /Cannot read pairs ".*pairs\.txt": line 1: 7 pairs do not split into 10 folds/);
    await rejects("1 1\nAnn 1 2\nAnn 1 Dan 1\n", /pairs\.txt": line 3: no identity folder "Dan"/);
    await rejects("1 1\nAnn 1 4\nAnn 1 Bob 1\n", /pairs\.txt": line 2: image 4 of "Ann": expected 1\.\.3/);
    await rejects("1 1\nAnn 1 Bob 1\nAnn 1 2\n", /pairs\.txt": line 2: expected a same-identity pair here/);
    await rejects("2 1\nAnn 1 2\nAnn 1 Bob 1\n", /pairs\.txt": line 1: header promises 2×2×1 pairs, the file has 2/);
    await rejects("1 1\nAnn 1 2 3 4 5\nAnn 1 Bob 1\n", /pairs\.txt": line 2: expected "name i j" or "name1 i name2 j"/);
    await Deno.remove(`${root}/pairs.txt`);
    await assert.rejects(loadEvalSet(root, { loadDataset }), /Cannot read ".*mini_lfw\/pairs\.txt"/);
  });
});
