/** Importers: RecordIO and `.bin` round trips through the writers of `src/data/export/`, image folders, and ORL. */
import assert from "node:assert";
import { importBin, parseBin } from "../../src/data/importers/bin.ts";
import { importImageFolder } from "../../src/data/importers/folder.ts";
import { importRecordIo, importRecords } from "../../src/data/importers/insightface_rec.ts";
import { loadOrl, orlDir } from "../../src/data/importers/orl.ts";
import { readRecord, RECORDIO_MAGIC } from "../../src/data/importers/recordio.ts";
import { exists } from "../../src/data/files.ts";
import { createImage, type Image } from "../../src/data/image/image.ts";
import { writeImage } from "../../src/data/image/io.ts";
import { encodePng } from "../../src/data/image/png.ts";
import { encodePgm } from "../../src/data/image/pgm.ts";
import { pickleBin } from "../../src/data/export/bin_writer.ts";
import { encodeRecordIo, packRecord } from "../../src/data/export/recordio_writer.ts";

function face(seed: number, size = 12): Image {
  const image = createImage(size, size, 3);
  image.data.forEach((_, i) => image.data[i] = (i * (seed + 3) + seed * 17) & 255);
  return image;
}

Deno.test("importers: .rec/.idx round trip with a header record and split records", async () => {
  const records = new Map<number, Uint8Array>();
  const images = [face(1), face(2), face(3), face(4)];
  const labels = [0, 0, 1, 2];
  records.set(0, packRecord([5, 0], 0, new Uint8Array(0)));
  for (let i = 0; i < 4; i++) records.set(i + 1, packRecord(labels[i], i + 1, await encodePng(images[i])));
  const { rec, idx } = encodeRecordIo(records);
  const set = await importRecords((o, n) => rec.subarray(o, o + n), idx, "mem.rec", "mem.idx");
  assert.deepStrictEqual(Array.from(set.labels), labels);
  assert.strictEqual(set.numClasses, 3);
  images.forEach((im, i) => assert.deepStrictEqual(set.images.subarray(i * 432, (i + 1) * 432), im.data));

  const magic = new Uint8Array(4);
  new DataView(magic.buffer).setUint32(0, RECORDIO_MAGIC, true);
  const payload = Uint8Array.from([1, 2, 3, 4, ...magic, 9, 9, 9, 9, ...magic, 7]);
  const split = encodeRecordIo(new Map([[1, payload]]));
  assert.ok(split.rec.length > payload.length + 8, "the writer split the record");
  assert.deepStrictEqual(readRecord((o, n) => split.rec.subarray(o, o + n), 0, "split.rec"), payload);

  const dir = await Deno.makeTempDir();
  await Deno.writeFile(`${dir}/train.rec`, rec);
  await Deno.writeTextFile(`${dir}/train.idx`, idx);
  assert.deepStrictEqual((await importRecordIo(`${dir}/train.rec`, `${dir}/train.idx`)).images, set.images);
  await Deno.remove(dir, { recursive: true });
});

for (const protocol of [2, 4] as const) {
  Deno.test(`importers: .bin round trip (pickle protocol ${protocol})`, async () => {
    const images = Array.from({ length: 6 }, (_, i) => face(i, 16));
    const bins = await Promise.all(images.map((im) => encodePng(im)));
    const same = [true, false, true];
    const set = await parseBin(pickleBin(bins, same, protocol), "mem.bin");
    assert.strictEqual(set.count, 6);
    assert.deepStrictEqual(Array.from(set.pairs.same), [1, 0, 1]);
    assert.deepStrictEqual(Array.from(set.pairs.left), [0, 2, 4]);
    assert.deepStrictEqual(Array.from(set.pairs.right), [1, 3, 5]);
    images.forEach((im, i) => assert.deepStrictEqual(set.images.subarray(i * 768, (i + 1) * 768), im.data));
  });
}

Deno.test("importers: .bin structure errors name the file", async () => {
  const png = await encodePng(face(0));
  await assert.rejects(
    parseBin(pickleBin([png], [true], 4), "odd.bin"),
    /Cannot read \.bin "odd\.bin": expected 2 images per pair/,
  );
  await assert.rejects(importBin("/nonexistent/lfw.bin"), /Cannot read "\/nonexistent\/lfw\.bin"/);
});

Deno.test("importers: image folder tree, labels in folder order, size mismatch named", async () => {
  const dir = await Deno.makeTempDir();
  await writeImage(`${dir}/id10/a.png`, face(1));
  await writeImage(`${dir}/id2/a.png`, face(2));
  await writeImage(`${dir}/id2/b.png`, face(3));
  await Deno.writeFile(`${dir}/id2/c.pgm`, encodePgm({ ...createImage(12, 12, 1), data: new Uint8Array(144).fill(9) }));
  const { set, classes } = await importImageFolder(dir);
  assert.deepStrictEqual(classes, ["id2", "id10"]);
  assert.deepStrictEqual(Array.from(set.labels), [0, 0, 0, 1]);
  assert.strictEqual(set.images[2 * 432], 9);
  await writeImage(`${dir}/id3/big.png`, face(4, 20));
  await assert.rejects(importImageFolder(dir), /Cannot import ".*id3\/big\.png": image is 20x20, expected 12x12/);
  await Deno.remove(dir, { recursive: true });
});

const orlPresent = await exists(`${orlDir()}/s1`);
Deno.test({
  name: "importers: ORL loads as 20 + 20 identities, padded to 112×112, with 600 identity-disjoint pairs",
  ignore: !orlPresent && Deno.env.get("CI") !== "true",
  fn: async () => {
    if (!orlPresent) console.warn(`ORL data missing at ${orlDir()}`);
    const orl = await loadOrl();
    assert.strictEqual(orl.train.count, 200);
    assert.strictEqual(orl.test.numClasses, 20);
    assert.deepStrictEqual([orl.test.height, orl.test.width], [112, 112]);
    assert.strictEqual(orl.test.images[(50 * 112 + 5) * 3], 0, "black padding column");
    assert.strictEqual(orl.pairs.left.length, 600);
    assert.strictEqual(orl.pairs.same.reduce((s, v) => s + v, 0), 300);
    assert.strictEqual(orl.gallery.length, 20);
    assert.strictEqual(orl.gallery.length + orl.probe.length, 200);
    await assert.rejects(loadOrl("/nonexistent/orl"), /ORL faces not found.*FACEBENCH_SHARED_DATA/);
  },
});
