/**
 * The BlazeFace landmark detector's own steps without the model: letterbox geometry and the mapping of normalised
 * network points to image pixels, the input tensor (letterbox, resize, [−1, 1]), synthetic raw heads through
 * decoding, NMS and the five-point mapping to known pixels, and the error when the model file is missing. With
 * `FACEBENCH_BLAZEFACE` set to the converted model (and ORL present), the real model on ORL faces.
 */
import assert from "node:assert";
import {
  blazeFaceInput,
  BlazeFaceLandmarkDetector,
  blazeFaceLandmarks,
  facesInImage,
  letterboxOf,
  toImagePoint,
} from "../../src/bench/blazeface_landmarks.ts";
import { blazeFaceModelPath, joinPath, readBytes } from "../../src/data/files.ts";
import { createImage } from "../../src/data/image/image.ts";
import { decodePgm } from "../../src/data/image/pgm.ts";
import { orlDir } from "../../src/data/importers/orl.ts";
import { BLAZEFACE_COORDS, decodeBlazeFace, weightedNms } from "../../src/models/detectors/blazeface.ts";
import { sharedDataPresent, skipWithout } from "../_util/shared_data.ts";

Deno.test("blazeface letterbox: a 92×112 image sits 10 px in; the square's centre is the image's centre pixel", () => {
  const box = letterboxOf(92, 112);
  assert.deepStrictEqual(box, { side: 112, offsetX: 10, offsetY: 0 });
  assert.deepStrictEqual(toImagePoint([0.5, 0.5], box), [45.5, 55.5]);
  assert.deepStrictEqual(toImagePoint([0, 1], letterboxOf(40, 20)), [-0.5, 29.5]);
});

Deno.test("blazeface input: letterboxed black is −1, white is 1, 128×128×3", () => {
  const image = createImage(64, 128, 1);
  image.data.fill(255);
  const input = blazeFaceInput(image);
  assert.strictEqual(input.length, 128 * 128 * 3);
  const at = (x: number, y: number) => input[(y * 128 + x) * 3];
  assert.strictEqual(at(5, 64), -1, "left border");
  assert.strictEqual(at(64, 64), 1, "inside");
  assert.strictEqual(at(122, 10), -1, "right border");
});

Deno.test("blazeface pipeline on synthetic heads: keypoints land on known pixels and become five landmarks", () => {
  const scores = new Float32Array(896).fill(-10), regressors = new Float32Array(896 * BLAZEFACE_COORDS);
  // one face at the 16×16 anchor (row 7, column 7): eyes ±12 px, nose 0, mouth +18 px down (input pixels)
  const anchor = (7 * 16 + 7) * 2;
  scores[anchor] = 3;
  regressors.set([0, 0, 50, 50, -12, -6, 12, -6, 0, 4, 0, 18, -24, 0, 24, 0], anchor * BLAZEFACE_COORDS);
  const detections = weightedNms(decodeBlazeFace({ scores, regressors }));
  assert.strictEqual(detections.length, 1);
  // a 256×128 image: side 256, offsetY 64; network pixel p maps to 2p − 0.5 in the square
  const [face] = facesInImage(detections, letterboxOf(256, 128));
  const centre = 7.5 * 8; // anchor centre in network pixels
  const expected = (dx: number, dy: number) => [2 * (centre + dx) - 0.5, 2 * (centre + dy) - 0.5 - 64];
  for (const [k, [dx, dy]] of [[-12, -6], [12, -6], [0, 4], [0, 18]].entries()) {
    face.keypoints[k].forEach((v, i) => assert.ok(Math.abs(v - expected(dx, dy)[i]) < 1e-6, `keypoint ${k}: ${v}`));
  }
  const five = blazeFaceLandmarks(face);
  assert.deepStrictEqual(five.slice(0, 3), face.keypoints.slice(0, 3));
  const mid = [(five[3][0] + five[4][0]) / 2, (five[3][1] + five[4][1]) / 2];
  mid.forEach((v, i) => assert.ok(Math.abs(v - face.keypoints[3][i]) < 1e-9, "corners centred on the mouth"));
});

Deno.test("blazeface detector: a missing model file is an error naming it and FACEBENCH_BLAZEFACE", async () => {
  const detector = new BlazeFaceLandmarkDetector({ modelPath: "/nonexistent/blazeface.onnx" });
  await assert.rejects(
    () => detector.detect(createImage(8, 8, 3)),
    /\/nonexistent\/blazeface\.onnx.*not found.*FACEBENCH_BLAZEFACE/,
  );
  await detector.close();
});

const modelPath = blazeFaceModelPath();
if (!modelPath) {
  console.warn(
    "\n*** FACEBENCH_BLAZEFACE unset: the BlazeFace model test is SKIPPED (convert blazeface-front.json with " +
      "tools/tfjs_to_onnx.ts and set FACEBENCH_BLAZEFACE to the .onnx file; see README, alignment) ***\n",
  );
}
const haveOrl = await sharedDataPresent("orl/s1");

Deno.test({
  name: "blazeface detector (model): one upright face per ORL image, eyes level and apart, nose and mouth below",
  ignore: !modelPath || skipWithout(haveOrl),
  fn: async () => {
    const detector = new BlazeFaceLandmarkDetector();
    try {
      for (const name of ["s1/1.pgm", "s21/4.pgm", "s40/10.pgm"]) {
        const image = decodePgm(await readBytes(joinPath(orlDir(), name)), name);
        const faces = await detector.faces(image);
        assert.strictEqual(faces.length, 1, `${name}: ${faces.length} faces`);
        assert.ok(faces[0].score > 0.5);
        const [eyeLeft, eyeRight, nose, mouth] = faces[0].keypoints;
        const ocular = eyeRight[0] - eyeLeft[0];
        assert.ok(ocular > 20 && ocular < 50, `${name}: eyes ${ocular} px apart`);
        assert.ok(Math.abs(eyeRight[1] - eyeLeft[1]) < 0.3 * ocular, `${name}: eyes level`);
        assert.ok(nose[1] > eyeLeft[1] && mouth[1] > nose[1], `${name}: nose below the eyes, mouth below the nose`);
        assert.ok(nose[0] > eyeLeft[0] && nose[0] < eyeRight[0], `${name}: nose between the eyes`);
        assert.deepStrictEqual((await detector.detect(image))?.slice(0, 3), faces[0].keypoints.slice(0, 3));
      }
    } finally {
      await detector.close();
    }
  },
});
