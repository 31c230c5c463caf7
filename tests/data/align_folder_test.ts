/**
 * Aligning a folder tree with a stub detector: PNG, PGM and JPEG files at any depth are found (other files ignored),
 * crops land at the same relative path as PNG (the stub's landmarks are the template, so a 112×112 input comes back
 * unchanged), faceless images are skipped and listed, undecodable files are listed with their name, the summary is
 * written and no temporary files are left; a missing or empty input, an output inside the input and two inputs with
 * one output name are refused, naming the path.
 */
import assert from "node:assert";
import { encode as encodeJpeg } from "@jsquash/jpeg";
import { type Landmarks, TEMPLATE_112 } from "../../src/data/align.ts";
import { ALIGN_SUMMARY, alignedName, alignFolder, listImages } from "../../src/data/align_folder.ts";
import { createImage, type Image, toRgba } from "../../src/data/image/image.ts";
import { readImage, writeImage } from "../../src/data/image/io.ts";
import type { LandmarkDetector } from "../../src/data/landmarks.ts";
import { withTempDir } from "../_util/temp_files.ts";

/** Finds the template's landmarks in any image that is not all black. */
const stubDetector: LandmarkDetector = {
  id: "stub",
  detect: (image: Image) => Promise.resolve(image.data.some((v) => v > 0) ? (TEMPLATE_112 as Landmarks) : null),
};

function pattern(width: number, height: number, channels: 1 | 3): Image {
  const image = createImage(width, height, channels);
  image.data.forEach((_, i) => (image.data[i] = (i * 37 + (i >> 5)) % 251));
  return image;
}

async function makeTree(root: string): Promise<Image> {
  const face = pattern(112, 112, 1);
  await writeImage(`${root}/a/face.png`, face);
  await writeImage(`${root}/a/b/c/deep.pgm`, face);
  await writeImage(`${root}/blank.png`, createImage(40, 30, 3));
  const rgba = toRgba(pattern(64, 48, 3));
  await Deno.writeFile(`${root}/a/photo.JPG`, new Uint8Array(await encodeJpeg(new ImageData(rgba, 64, 48))));
  await Deno.writeTextFile(`${root}/notes.txt`, "not an image");
  await Deno.writeFile(`${root}/a/broken.png`, new Uint8Array([1, 2, 3, 4]));
  return face;
}

Deno.test("align folder: every depth, same layout as PNG, faceless skipped, undecodable named, summary written", async () => {
  await withTempDir(async (dir) => {
    const face = await makeTree(`${dir}/raw`);
    assert.deepStrictEqual(await listImages(`${dir}/raw`), [
      "a/b/c/deep.pgm",
      "a/broken.png",
      "a/face.png",
      "a/photo.JPG",
      "blank.png",
    ]);
    const seen: number[] = [];
    const summary = await alignFolder(`${dir}/raw`, `${dir}/out`, stubDetector, { onProgress: (d) => seen.push(d) });
    assert.deepStrictEqual(seen, [1, 2, 3, 4, 5]);
    assert.strictEqual(summary.images, 5);
    assert.strictEqual(summary.aligned, 3);
    assert.deepStrictEqual(summary.skipped, ["blank.png"]);
    assert.strictEqual(summary.unreadable.length, 1);
    assert.strictEqual(summary.unreadable[0].path, "a/broken.png");
    assert.match(summary.unreadable[0].error, /raw\/a\/broken\.png/);
    for (const name of ["a/face.png", "a/b/c/deep.png", "a/photo.png"]) {
      const crop = await readImage(`${dir}/out/${name}`);
      assert.deepStrictEqual([crop.width, crop.height], [112, 112], name);
    }
    // identity alignment: the 112×112 face comes back pixel for pixel (grey replicated to RGB by the PNG round trip)
    const back = await readImage(`${dir}/out/a/face.png`);
    assert.ok(back.data.every((v, i) => v === face.data[Math.floor(i / back.channels)]), "identity crop");
    const written = JSON.parse(await Deno.readTextFile(`${dir}/out/${ALIGN_SUMMARY}`));
    assert.deepStrictEqual(written, summary);
    const all = [];
    for await (const e of Deno.readDir(`${dir}/out`)) all.push(e.name);
    assert.deepStrictEqual(all.sort(), ["a", ALIGN_SUMMARY], "no blank.png, no temporary files");
  });
});

Deno.test("align folder: missing or empty input, output inside the input, clashing names are refused", async () => {
  await withTempDir(async (dir) => {
    await assert.rejects(
      () => alignFolder(`${dir}/none`, `${dir}/out`, stubDetector),
      /"[^"]*\/none": input folder not found/,
    );
    await Deno.mkdir(`${dir}/empty`);
    await assert.rejects(() => alignFolder(`${dir}/empty`, `${dir}/out`, stubDetector), /no \.png, \.jpg/);
    await makeTree(`${dir}/raw`);
    await assert.rejects(() => alignFolder(`${dir}/raw`, `${dir}/raw/out`, stubDetector), /must not be the input/);
    await assert.rejects(() => alignFolder(`${dir}/raw`, `${dir}/raw`, stubDetector), /must not be the input/);
    await writeImage(`${dir}/raw/a/face.pgm`, pattern(8, 8, 1));
    await assert.rejects(
      () => alignFolder(`${dir}/raw`, `${dir}/out`, stubDetector),
      /raw\/a\/face\.png": a\/face\.pgm would be written to the same a\/face\.png/,
    );
    assert.strictEqual(alignedName("x/y.jpeg"), "x/y.png");
  });
});
