/**
 * Fuzzing: 1,400 seeded mutations of PNG, JPEG, PGM, RecordIO, `.bin` and manifest inputs must each end in a clean
 * {@link DataError} (or a valid result), never another exception, a crash or a hang.
 */
import assert from "node:assert";
import { encode as encodeJpeg } from "@jsquash/jpeg";
import { Rng } from "../../src/core/rng.ts";
import { DataError } from "../../src/data/errors.ts";
import { crc32 } from "../../src/data/image/crc32.ts";
import { decodeImage } from "../../src/data/image/codec.ts";
import { createImage } from "../../src/data/image/image.ts";
import { encodePgm } from "../../src/data/image/pgm.ts";
import { encodePng } from "../../src/data/image/png.ts";
import { parseBin } from "../../src/data/importers/bin.ts";
import { importRecords } from "../../src/data/importers/insightface_rec.ts";
import { parseManifestText } from "../../src/data/manifest.ts";
import { manifestPath } from "../../src/data/synth_cache.ts";
import { pickleBin } from "../../src/data/export/bin_writer.ts";
import { encodeRecordIo, packRecord } from "../../src/data/export/recordio_writer.ts";

/** A random mutation: flip bytes, truncate, insert, duplicate a slice, or write a large 32-bit value. */
function mutate(bytes: Uint8Array, rng: Rng): Uint8Array {
  const out = Array.from(bytes);
  const steps = 1 + rng.int(4);
  for (let s = 0; s < steps; s++) {
    const at = rng.int(Math.max(1, out.length));
    switch (rng.int(5)) {
      case 0:
        out[at] = rng.int(256);
        break;
      case 1:
        out.length = at;
        break;
      case 2:
        out.splice(at, 0, ...Array.from({ length: 1 + rng.int(8) }, () => rng.int(256)));
        break;
      case 3:
        out.splice(at, 0, ...out.slice(rng.int(Math.max(1, out.length)), at));
        break;
      default:
        for (let k = 0; k < 4; k++) out[at + k] = [0xff, 0xff, 0xff, 0x7f][k];
    }
  }
  return Uint8Array.from(out.filter((v) => v !== undefined));
}

/** Re-computes every PNG chunk CRC so mutations reach the codec instead of the CRC check. */
function fixCrcs(png: Uint8Array): Uint8Array {
  const out = png.slice();
  const view = new DataView(out.buffer);
  for (let at = 8; at + 12 <= out.length;) {
    const length = view.getUint32(at);
    if (at + 12 + length > out.length) break;
    view.setUint32(at + 8 + length, crc32(out.subarray(at + 4, at + 8 + length)));
    at += 12 + length;
  }
  return out;
}

async function expectClean(label: string, run: () => unknown): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof DataError)) throw new Error(`${label}: unclean ${error}`, { cause: error });
    assert.match(error.message, /^Cannot [a-z .]+ "/);
  }
}

function sample(size: number, channels: 1 | 3) {
  const image = createImage(size, size, channels);
  image.data.forEach((_, i) => image.data[i] = (i * 13) & 255);
  return image;
}

Deno.test("fuzz: 1,400 mutated PNG/JPEG/PGM/.rec/.bin/manifest inputs give clean errors", async () => {
  const rng = new Rng(99, "fuzz");
  const png = await encodePng(sample(24, 3));
  const rgba = new Uint8ClampedArray(24 * 24 * 4).map((_, i) => (i * 29) & 255);
  const jpeg = new Uint8Array(await encodeJpeg(new ImageData(rgba, 24, 24), { quality: 90 }));
  const pgm = encodePgm(sample(20, 1));
  const records = new Map([[0, packRecord([3, 0], 0, new Uint8Array(0))], [1, packRecord(0, 1, png)], [
    2,
    packRecord(1, 2, png),
  ]]);
  const { rec, idx } = encodeRecordIo(records);
  const bin = pickleBin([png, png], [true], 4);
  const manifest = await Deno.readTextFile(manifestPath("synthface-ci"));
  const start = performance.now();
  let runs = 0;
  for (let i = 0; i < 300; i++, runs++) {
    const bytes = i % 2 ? fixCrcs(mutate(png, rng)) : mutate(png, rng);
    await expectClean(`png ${i}`, () => decodeImage(bytes, `fuzz${i}.png`));
  }
  for (let i = 0; i < 200; i++, runs++) {
    await expectClean(`jpeg ${i}`, () => decodeImage(mutate(jpeg, rng), `fuzz${i}.jpg`));
  }
  for (let i = 0; i < 250; i++, runs++) {
    await expectClean(`pgm ${i}`, () => decodeImage(mutate(pgm, rng), `fuzz${i}.pgm`));
  }
  for (let i = 0; i < 200; i++, runs++) {
    const r = mutate(rec, rng),
      x = i % 4 === 0 ? new TextDecoder().decode(mutate(new TextEncoder().encode(idx), rng)) : idx;
    await expectClean(
      `rec ${i}`,
      () => importRecords((o, n) => r.subarray(o, o + n), x, `fuzz${i}.rec`, `fuzz${i}.idx`),
    );
  }
  for (let i = 0; i < 200; i++, runs++) await expectClean(`bin ${i}`, () => parseBin(mutate(bin, rng), `fuzz${i}.bin`));
  const head = new TextEncoder().encode(manifest.slice(0, 3000));
  for (let i = 0; i < 250; i++, runs++) {
    const text = i % 2 ? new TextDecoder().decode(mutate(head, rng)) : manifest.replace(/\d+/, String(rng.int(100000)));
    await expectClean(`manifest ${i}`, () => parseManifestText(text, `fuzz${i}.json`));
  }
  assert.ok(runs >= 1400);
  assert.ok(performance.now() - start < 120_000, "fuzzing must not hang");
});
