/**
 * The MTCNN landmark detector's exact output on all 400 ORL faces, as the data layer runs it (WASM backend, one
 * thread), hashed to the bit. The landmarks decide every aligned real-face pixel (ORL, own folders), so a change
 * anywhere under them — a kernel's rounding, as the float32 softmax of issue 15 did (it moved 3 of the 400 ORL faces'
 * landmarks by up to 1 px: another face box won) — moves real-face results,
 * while caches named by `MTCNN_VERSION` keep serving the old landmarks on machines that have them. When this fails
 * and the change is meant: bump `MTCNN_VERSION` (src/models/detectors/mtcnn.ts), re-record the baselines that
 * train or evaluate on aligned real faces (`findings-transfer`), and put the printed fingerprint here.
 */
import assert from "node:assert";
import { MtcnnLandmarkDetector } from "../../src/bench/mtcnn_landmarks.ts";
import { joinPath, readBytes } from "../../src/data/files.ts";
import { decodePgm } from "../../src/data/image/pgm.ts";
import { orlDir } from "../../src/data/importers/orl.ts";
import { MTCNN_VERSION } from "../../src/models/detectors/mtcnn.ts";
import { sharedDataPresent, skipWithout } from "../_util/shared_data.ts";

/** SHA-256 of the float64 landmarks of every ORL image (s1/1 … s40/10), in order, for {@link PIPELINE_VERSION}. */
const FINGERPRINT = "761d68193faf5e6a607d9e7274c71d019a17612b889d2de4e9533a69abfeac4d";
/** The `MTCNN_VERSION` the fingerprint belongs to. */
const PIPELINE_VERSION = 2;
/** ORL's 40 subjects × 10 images. */
const IMAGES = Array.from({ length: 400 }, (_, i) => `s${Math.floor(i / 10) + 1}/${(i % 10) + 1}.pgm`);

const present = await sharedDataPresent("mtcnn/pnet.safetensors") && await sharedDataPresent("orl/s1");

Deno.test({
  name: "MTCNN landmarks of ORL faces are bit-identical to the fingerprint of this MTCNN_VERSION",
  ignore: skipWithout(present),
  fn: async () => {
    const detector = new MtcnnLandmarkDetector();
    try {
      const values: number[] = [];
      for (const name of IMAGES) {
        const path = joinPath(orlDir(), name);
        const landmarks = await detector.detect(decodePgm(await readBytes(path), path));
        assert.ok(landmarks, `${name}: no face found`);
        for (const [x, y] of landmarks) values.push(x, y);
      }
      const digest = await crypto.subtle.digest("SHA-256", new Float64Array(values));
      const fingerprint = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
      assert.strictEqual(
        MTCNN_VERSION,
        PIPELINE_VERSION,
        `MTCNN_VERSION is ${MTCNN_VERSION} but the fingerprint is of version ${PIPELINE_VERSION}; ` +
          `put ${fingerprint} here`,
      );
      assert.strictEqual(
        fingerprint,
        FINGERPRINT,
        `the MTCNN landmarks changed (fingerprint ${fingerprint}): if meant, bump MTCNN_VERSION, re-record the ` +
          `real-face baselines and put the new fingerprint here (see this file's doc)`,
      );
    } finally {
      await detector.close();
    }
  },
});
