/**
 * Hostile and damaged inputs (issue 20): each must end in a {@link DataError} naming the file, without decoding
 * truncated data as if it were whole and without allocating far more than the input justifies.
 */
import assert from "node:assert";
import { encode as encodeJpeg } from "@jsquash/jpeg";
import { DataError } from "../../src/data/errors.ts";
import { decodeImage } from "../../src/data/image/codec.ts";
import { createImage, type Image } from "../../src/data/image/image.ts";
import { writeImage } from "../../src/data/image/io.ts";
import { encodePgm } from "../../src/data/image/pgm.ts";
import { encodePng } from "../../src/data/image/png.ts";
import { parseBin } from "../../src/data/importers/bin.ts";
import { importImageFolder } from "../../src/data/importers/folder.ts";
import { importRecordIo, importRecords } from "../../src/data/importers/insightface_rec.ts";
import { pickleBin } from "../../src/data/export/bin_writer.ts";
import { encodeRecordIo, packRecord } from "../../src/data/export/recordio_writer.ts";
import { pickleSharedBin } from "./_writers.ts";

/** Asserts that `run` rejects with a DataError whose message matches `pattern` (which should name the file). */
async function rejectsData(run: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(run, (error) => {
    assert.ok(error instanceof DataError, `expected a DataError, got ${error}`);
    assert.match(error.message, pattern);
    return true;
  });
}

function texture(size: number, channels: 1 | 3): Image {
  const image = createImage(size, size, channels);
  image.data.forEach((_, i) => image.data[i] = (i * 29 + (i >> 7) * 7) & 255);
  return image;
}

/** A JPEG of a textured (poorly compressible) or smooth (very compressible) square. */
async function jpeg(size: number, options: { progressive?: boolean; smooth?: boolean } = {}): Promise<Uint8Array> {
  const rgba = new Uint8ClampedArray(size * size * 4)
    .map((_, i) => options.smooth ? (i >> 12) & 255 : (i * 29 + (i >> 9) * 3) & 255);
  const encoded = await encodeJpeg(new ImageData(rgba, size, size), { quality: 90, progressive: options.progressive });
  return new Uint8Array(encoded);
}

/** Offset of the first SOF0/SOF2 marker (0xFFC0 / 0xFFC2) of a JPEG. */
function sofOffset(bytes: Uint8Array): number {
  for (let i = 2; i + 1 < bytes.length; i++) if (bytes[i] === 0xff && (bytes[i + 1] & 0xfd) === 0xc0) return i;
  throw new Error("no SOF");
}

Deno.test("hostile: truncated and damaged JPEGs raise a DataError naming the file", async () => {
  for (const progressive of [false, true]) {
    const whole = await jpeg(64, { progressive });
    assert.strictEqual((await decodeImage(whole, "whole.jpg")).width, 64, "the intact file decodes");
    await rejectsData(
      () => decodeImage(whole.slice(0, Math.floor(whole.length * 0.2)), "cut.jpg"),
      /^Cannot decode "cut\.jpg": truncated JPEG/,
    );
    // A complete marker structure whose first scan stops early (premature EOI): only libjpeg's warning shows it.
    const early = Uint8Array.of(...whole.slice(0, Math.floor(whole.length * 0.6)), 0xff, 0xd9);
    await rejectsData(
      () => decodeImage(early, "early.jpg"),
      /^Cannot decode "early\.jpg": damaged JPEG \(libjpeg: .+\)/,
    );
  }
  assert.strictEqual((await decodeImage(await jpeg(32), "after.jpg")).height, 32, "the decoder still works after");
});

Deno.test("hostile: every codec caps the declared pixel count before decoding; the cap can be raised", async () => {
  const small = await jpeg(16);
  const huge = small.slice();
  const view = new DataView(huge.buffer, sofOffset(huge) + 5, 4);
  view.setUint16(0, 16000), view.setUint16(2, 16000);
  const start = performance.now();
  await rejectsData(
    () => decodeImage(huge, "huge.jpg"),
    /^Cannot decode "huge\.jpg": declared size 16000x16000 = 256000000 pixels exceeds the limit of 16777216 \(DecodeLimits\.maxPixels/,
  );
  assert.ok(performance.now() - start < 1000, "rejected from the header, not after decoding");
  const files: [Uint8Array, string][] = [
    [small, "s.jpg"],
    [await encodePng(texture(16, 3)), "s.png"],
    [encodePgm(texture(16, 1)), "s.pgm"],
  ];
  for (const [bytes, name] of files) {
    await rejectsData(
      () => decodeImage(bytes, name, { maxPixels: 255 }),
      new RegExp(
        `^Cannot decode "${name.replace(".", "\\.")}": declared size 16x16 = 256 pixels exceeds the limit of 255`,
      ),
    );
    assert.strictEqual((await decodeImage(bytes, name, { maxPixels: 256 })).width, 16);
  }
});

Deno.test("hostile: a .bin repeating one image through pickle memo references is bounded by its size", async () => {
  const big = await jpeg(1024, { smooth: true });
  const bin = pickleSharedBin(big, 32);
  assert.ok(bin.length < big.length + 200 && big.length < 65536, "64 references to one small file");
  await rejectsData(
    () => parseBin(bin, "shared.bin"),
    /^Cannot import "shared\.bin": decoded images would exceed 67108864 bytes at image 21 \(shared\.bin#21\), the default max\(64 MiB, 1024 × the \d+-byte input\); raise ImportLimits\.maxDecodedBytes/,
  );
  const png = await encodePng(texture(16, 3));
  const honest = pickleBin([png, png, png, png], [true, false], 4);
  await rejectsData(
    () => parseBin(honest, "honest.bin", { maxDecodedBytes: 3 * 768 }),
    /^Cannot import "honest\.bin": decoded images would exceed 2304 bytes at image 3 .*ImportLimits\.maxDecodedBytes/,
  );
  assert.strictEqual((await parseBin(honest, "honest.bin", { maxDecodedBytes: 4 * 768 })).count, 4);
});

Deno.test("hostile: .idx keys sharing one record offset, or repeating a key, are rejected", async () => {
  const { rec } = encodeRecordIo(new Map([[1, packRecord(0, 1, await encodePng(texture(16, 3)))]]));
  const readAt = (o: number, n: number) => rec.subarray(o, o + n);
  const many = Array.from({ length: 20000 }, (_, i) => `${i + 1}\t0\n`).join("");
  await rejectsData(
    () => importRecords(readAt, many, "one.rec", "dup.idx"),
    /^Cannot read index "dup\.idx": line 2: key 2 points at offset 0 like key 1 \(duplicate records\)/,
  );
  await rejectsData(
    () => importRecords(readAt, "1\t0\n1\t0\n", "one.rec", "twice.idx"),
    /^Cannot read index "twice\.idx": line 2: key 1 appears twice/,
  );
});

Deno.test("hostile: .idx offsets past the end of the .rec, and a directory named .rec, name the files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { rec } = encodeRecordIo(new Map([[1, packRecord(0, 1, await encodePng(texture(16, 3)))]]));
    await Deno.writeFile(`${dir}/train.rec`, rec);
    const cases: [string, RegExp][] = [
      [
        `1\t${rec.length}\n`,
        new RegExp(`key 1 points at offset ${rec.length}, past the end of ".*train\\.rec" \\(${rec.length} bytes\\)`),
      ],
      ["1\t1099511627776\n", /key 1 points at offset 1099511627776, past the end of ".*train\.rec"/],
      ["1\t99999999999999999999\n", /line 1: key or offset above 2\^53/],
    ];
    for (const [idx, pattern] of cases) {
      await Deno.writeTextFile(`${dir}/train.idx`, idx);
      await rejectsData(
        () => importRecordIo(`${dir}/train.rec`, `${dir}/train.idx`),
        new RegExp(`^Cannot read index ".*train\\.idx": .*${pattern.source}`),
      );
    }
    await Deno.mkdir(`${dir}/x.rec`);
    await Deno.writeTextFile(`${dir}/train.idx`, "1\t0\n");
    await rejectsData(
      () => importRecordIo(`${dir}/x.rec`, `${dir}/train.idx`),
      /^Cannot open ".*x\.rec": found a directory, expected a RecordIO file/,
    );
    await rejectsData(
      () => importRecordIo(`${dir}/train.rec`, dir),
      /^Cannot open ".*": found a directory, expected a RecordIO index/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hostile: image folders follow symlinked images and identity folders, and reject bad links", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeImage(`${dir}/store/alice/a.png`, texture(12, 3));
    await writeImage(`${dir}/store/b.png`, texture(12, 1));
    await writeImage(`${dir}/root/bob/x.png`, texture(12, 3));
    await Deno.symlink(`${dir}/store/b.png`, `${dir}/root/bob/y.png`);
    await Deno.symlink(`${dir}/store/alice`, `${dir}/root/alice`);
    const { set, classes } = await importImageFolder(`${dir}/root`);
    assert.deepStrictEqual(classes, ["alice", "bob"]);
    assert.deepStrictEqual(Array.from(set.labels), [0, 1, 1]);
    assert.strictEqual(set.images[2 * 432 + 3], texture(12, 1).data[1], "the linked grey image is the third");

    await Deno.symlink(`${dir}/store/gone.png`, `${dir}/root/bob/z.png`);
    await rejectsData(
      () => importImageFolder(`${dir}/root`),
      /^Cannot read ".*root\/bob\/z\.png": broken or looping symbolic link/,
    );
    await Deno.remove(`${dir}/root/bob/z.png`);

    await Deno.symlink(`${dir}/store/alice`, `${dir}/root/carol`);
    await rejectsData(
      () => importImageFolder(`${dir}/root`),
      /^Cannot import ".*root\/carol": links to the folder of identity "alice"/,
    );
    await Deno.remove(`${dir}/root/carol`);

    await Deno.symlink(`${dir}/root`, `${dir}/root/loop`);
    await rejectsData(
      () => importImageFolder(`${dir}/root`),
      /^Cannot import ".*root\/loop": links to the root folder itself/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
