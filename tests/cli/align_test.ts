/**
 * `deno task align`: argument errors (unknown detector or flag, bad size, missing paths) and a missing input folder
 * exit 2 naming the problem; with the shared data, MTCNN (and BlazeFace when `FACEBENCH_BLAZEFACE` is set) align a
 * small tree of ORL faces at two depths, skip a blank image and name an undecodable file with exit 2 while still
 * aligning the others.
 */
import assert from "node:assert";
import { AlignInputError, main, parseAlignArgs } from "../../src/cli/align.ts";
import { ALIGN_SUMMARY } from "../../src/data/align_folder.ts";
import { blazeFaceModelPath, joinPath } from "../../src/data/files.ts";
import { createImage } from "../../src/data/image/image.ts";
import { readImage, writeImage } from "../../src/data/image/io.ts";
import { orlDir } from "../../src/data/importers/orl.ts";
import { sharedDataPresent, skipWithout } from "../_util/shared_data.ts";
import { withTempDir } from "../_util/temp_files.ts";

Deno.test("align args: defaults, and bad input refused with a message", () => {
  assert.deepStrictEqual(parseAlignArgs(["raw", "out"]), {
    detector: "mtcnn",
    model: undefined,
    size: 112,
    input: "raw",
    output: "out",
  });
  assert.strictEqual(parseAlignArgs(["--detector", "blazeface", "--size", "224", "r", "o"]).size, 224);
  assert.throws(
    () => parseAlignArgs(["--detector", "retinaface", "r", "o"]),
    /"retinaface": expected one of mtcnn, blazeface/,
  );
  assert.throws(() => parseAlignArgs(["--size", "100", "r", "o"]), /--size "100"/);
  assert.throws(() => parseAlignArgs(["r"]), /expected <raw dir> and <out dir>, got 1/);
  assert.throws(() => parseAlignArgs(["--frobnicate", "r", "o"]), AlignInputError);
});

Deno.test("align: unknown detector and missing input folder exit 2", async () => {
  await withTempDir(async (dir) => {
    assert.strictEqual(await main(["--detector", "nope", dir, `${dir}/out`]), 2);
    assert.strictEqual(await main([`${dir}/missing`, `${dir}/out`]), 2);
  });
});

const haveData = (await sharedDataPresent("orl/s1")) && (await sharedDataPresent("mtcnn/pnet.safetensors"));
const detectors = ["mtcnn", ...(blazeFaceModelPath() ? ["blazeface"] : [])];

Deno.test({
  name: `align end to end (${detectors.join(", ")}): tree layout kept, blank skipped, undecodable named with exit 2`,
  ignore: skipWithout(haveData),
  fn: async () => {
    await withTempDir(async (dir) => {
      const raw = `${dir}/raw`;
      await Deno.mkdir(`${raw}/p1/session`, { recursive: true });
      await Deno.copyFile(joinPath(orlDir(), "s1/1.pgm"), `${raw}/p1/one.pgm`);
      await writeImage(`${raw}/p1/session/two.png`, await readImage(joinPath(orlDir(), "s2/3.pgm")));
      await writeImage(`${raw}/blank.png`, createImage(92, 112, 1));
      for (const detector of detectors) {
        const out = `${dir}/out-${detector}`;
        assert.strictEqual(await main(["--detector", detector, raw, out]), 0, detector);
        const summary = JSON.parse(await Deno.readTextFile(`${out}/${ALIGN_SUMMARY}`));
        assert.strictEqual(summary.aligned, 2, detector);
        assert.deepStrictEqual(summary.skipped, ["blank.png"], detector);
        for (const name of ["p1/one.png", "p1/session/two.png"]) {
          const crop = await readImage(`${out}/${name}`);
          assert.deepStrictEqual([crop.width, crop.height], [112, 112]);
        }
      }
      await Deno.writeTextFile(`${raw}/p1/corrupt.pgm`, "P5 garbage");
      assert.strictEqual(await main([raw, `${dir}/again`]), 2);
      const again = JSON.parse(await Deno.readTextFile(`${dir}/again/${ALIGN_SUMMARY}`));
      assert.strictEqual(again.aligned, 2, "the others are still aligned");
      assert.match(again.unreadable[0].error, /p1\/corrupt\.pgm/);
    });
  },
});
