/** Image I/O: PNG/PGM/JPEG round trips and errors that name the file. */
import assert from "node:assert";
import { encode as encodeJpeg } from "@jsquash/jpeg";
import { decodeImage } from "../../src/data/image/codec.ts";
import { createImage, type Image, toRgb } from "../../src/data/image/image.ts";
import { readImage, writeImage } from "../../src/data/image/io.ts";
import { encodePgm } from "../../src/data/image/pgm.ts";
import { encodePng } from "../../src/data/image/png.ts";

function pattern(width: number, height: number, channels: 1 | 3 | 4): Image {
  const image = createImage(width, height, channels);
  image.data.forEach((_, i) => image.data[i] = (i * 37 + (i >> 3)) & 255);
  if (channels === 4) { for (let i = 3; i < image.data.length; i += 4) image.data[i] = 255; }
  return image;
}

for (const channels of [1, 3] as const) {
  Deno.test(`image: PNG round trip keeps ${channels}-channel pixels`, async () => {
    const image = pattern(13, 7, channels);
    const decoded = await decodeImage(await encodePng(image), "mem.png");
    assert.strictEqual(decoded.width, 13);
    assert.strictEqual(decoded.height, 7);
    assert.deepStrictEqual(toRgb(decoded).data, toRgb(image).data);
  });
}

Deno.test("image: binary PGM round trip, comments and 16-bit samples", async () => {
  const image = pattern(5, 4, 1);
  assert.deepStrictEqual((await decodeImage(encodePgm(image), "a.pgm")).data, image.data);
  const text = new TextEncoder().encode("P5\n# comment\n2 1\n65535\n");
  const bytes = new Uint8Array([...text, 0xff, 0xff, 0x80, 0x00]);
  assert.deepStrictEqual(Array.from((await decodeImage(bytes, "b.pgm")).data), [255, 128]);
});

Deno.test("image: JPEG decodes to RGB of the right size", async () => {
  const rgba = new Uint8ClampedArray(16 * 8 * 4).fill(200);
  const jpeg = new Uint8Array(await encodeJpeg(new ImageData(rgba, 16, 8), { quality: 95 }));
  const image = await decodeImage(jpeg, "x.jpg");
  assert.deepStrictEqual([image.width, image.height, image.channels], [16, 8, 3]);
  assert.ok(Math.abs(image.data[0] - 200) <= 3);
});

Deno.test("image: corrupt and truncated files raise errors naming the file", async () => {
  const png = await encodePng(pattern(8, 8, 3));
  const cases: [Uint8Array, string, RegExp][] = [
    [png.slice(0, png.length - 20), "t.png", /Cannot decode "t\.png": truncated/],
    [
      png.map((b, i) => (i === png.length - 20 ? b ^ 0xff : b)),
      "c.png",
      /Cannot decode "c\.png": bad CRC in IDAT chunk/,
    ],
    [png.slice(0, 12), "h.png", /Cannot decode "h\.png": truncated chunk type/],
    [encodePgm(pattern(4, 4, 1)).slice(0, 20), "t.pgm", /Cannot decode "t\.pgm": truncated pixel data/],
    [new TextEncoder().encode("P5 4"), "h.pgm", /Cannot decode "h\.pgm": truncated or malformed header/],
    [new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2]), "t.jpg", /Cannot decode "t\.jpg": truncated JPEG/],
    [new Uint8Array([1, 2, 3]), "x.bin", /Cannot decode "x\.bin": unknown image format/],
  ];
  for (const [bytes, name, pattern] of cases) await assert.rejects(decodeImage(bytes, name), pattern);
});

Deno.test("image: writeImage/readImage through files, atomically", async () => {
  const dir = await Deno.makeTempDir();
  const image = pattern(6, 5, 3);
  await writeImage(`${dir}/sub/a.png`, image);
  assert.deepStrictEqual((await readImage(`${dir}/sub/a.png`)).data, image.data);
  assert.deepStrictEqual([...Deno.readDirSync(`${dir}/sub`)].map((e) => e.name), ["a.png"]);
  await assert.rejects(readImage(`${dir}/missing.png`), /Cannot read ".*missing\.png"/);
  await Deno.remove(dir, { recursive: true });
});
