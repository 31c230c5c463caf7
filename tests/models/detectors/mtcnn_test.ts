/**
 * MTCNN networks and detection: output shapes, the two weight-layout conversions, outputs and detections against
 * the NumPy/Pillow restatement of face.evoLVe's port (tools/golden_mtcnn.py), and plausible landmarks on ORL faces.
 */
import assert from "node:assert";
import { ReferenceBackend } from "../../../src/backends/reference/backend.ts";
import { loadMtcnnNets } from "../../../src/bench/mtcnn_landmarks.ts";
import { Rng } from "../../../src/core/rng.ts";
import { joinPath, readBytes } from "../../../src/data/files.ts";
import { decodePgm } from "../../../src/data/image/pgm.ts";
import { orlDir } from "../../../src/data/importers/orl.ts";
import { detectFaces, type FaceDetection } from "../../../src/models/detectors/mtcnn.ts";
import {
  type MtcnnNet,
  oihwToHwio,
  ONet,
  PNet,
  portFlattenToNhwc,
  RNet,
  runMtcnnNet,
} from "../../../src/models/detectors/mtcnn_nets.ts";
import { sharedDataPresent, skipWithout } from "../../_util/shared_data.ts";

const backend = new ReferenceBackend({ precision: "f32" });
const golden = JSON.parse(await Deno.readTextFile(new URL("../../../fixtures/golden/mtcnn.json", import.meta.url)));
const haveWeights = await sharedDataPresent("mtcnn/pnet.safetensors");
const haveOrl = await sharedDataPresent("orl/s1");

/** The golden input: x[i] = 0.9 · sin(0.37 i) in float32, NHWC. */
function goldenInput(shape: readonly number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, (_, i) => Math.fround(0.9) * Math.fround(Math.sin(i * 0.37)));
}

Deno.test("MTCNN nets: output shapes of P-Net (a map per 12×12 window, stride 2), R-Net and O-Net", async () => {
  const ctx = { backend, rng: new Rng(0, "init"), initialize: false };
  const cases: [MtcnnNet, number[], number[][]][] = [
    [new PNet(ctx), [1, 17, 23, 3], [[1, 4, 7, 2], [1, 4, 7, 4]]],
    [new RNet(ctx), [3, 24, 24, 3], [[3, 2], [3, 4]]],
    [new ONet(ctx), [2, 48, 48, 3], [[2, 2], [2, 4], [2, 10]]],
  ];
  for (const [net, shape, expected] of cases) {
    const out = await runMtcnnNet(net, new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
    const lengths = [out.probs.length, out.offsets.length, ...(out.landmarks ? [out.landmarks.length] : [])];
    assert.deepStrictEqual(out.shape, expected[0]);
    assert.deepStrictEqual(lengths, expected.map((s) => s.reduce((a, b) => a * b, 1)));
    assert.ok(out.probs.every((p) => Math.abs(p - 0.5) < 1e-6), "zero weights → softmax 0.5");
    net.dispose();
  }
});

Deno.test("MTCNN weight layouts: OIHW → HWIO, and the port's [C, W, H] flatten order → NHWC", () => {
  const w = { shape: [2, 3, 1, 2], data: Float32Array.from({ length: 12 }, (_, i) => i) }; // O=2, I=3, 1×2
  const hwio = oihwToHwio(w);
  assert.deepStrictEqual(hwio.shape, [1, 2, 3, 2]);
  assert.strictEqual(hwio.data[((0 * 2 + 1) * 3 + 2) * 2 + 1], w.data[((1 * 3 + 2) * 1 + 0) * 2 + 1]);
  // One output row dotted with a [C=2, H=2, W=3] map must give the same value in both orders.
  const [c, h, wd] = [2, 2, 3];
  const fc = { shape: [1, 12], data: Float32Array.from({ length: 12 }, (_, i) => (i * 7) % 5 - 2) };
  const value = (y: number, x: number, k: number) => 10 * k + 3 * y + x;
  let port = 0, ours = 0;
  const reordered = portFlattenToNhwc(fc, [c, h, wd]);
  for (let k = 0; k < c; k++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < wd; x++) {
        port += fc.data[(k * wd + x) * h + y] * value(y, x, k);
        ours += reordered.data[(y * wd + x) * c + k] * value(y, x, k);
      }
    }
  }
  assert.strictEqual(ours, port);
});

Deno.test({
  name: "MTCNN nets: the weights load by the port's names and match the NumPy restatement of its forward",
  ignore: skipWithout(haveWeights),
  fn: async () => {
    const nets = await loadMtcnnNets(backend);
    for (const [name, net] of Object.entries(nets) as [string, MtcnnNet][]) {
      const g = golden.nets[name];
      const out = await runMtcnnNet(net, goldenInput(g.shape), g.shape);
      // golden order: the port's return order (landmarks first for O-Net, then offsets, then probs)
      const ours = [...(out.landmarks ? [out.landmarks] : []), out.offsets, out.probs];
      ours.forEach((values, i) => {
        const expected: number[] = g.outputs[i].values;
        const err = Math.max(...expected.map((v, j) => Math.abs(v - values[j])));
        assert.ok(err < 1e-5, `${name} output ${i}: max error ${err}`);
      });
      net.dispose();
    }
  },
});

/** Landmarks in the expected arrangement, inside the box (± 2 px) and the image. */
function assertPlausible(face: FaceDetection, width: number, height: number, label: string): void {
  const [le, re, nose, lm, rm] = face.landmarks;
  const { x1, y1, x2, y2 } = face.box;
  assert.ok(le[0] < re[0] && lm[0] < rm[0], `${label}: left points left of right points`);
  assert.ok(Math.max(le[1], re[1]) < nose[1], `${label}: eyes above the nose`);
  assert.ok(nose[1] < Math.min(lm[1], rm[1]), `${label}: nose above the mouth corners`);
  for (const [x, y] of face.landmarks) {
    assert.ok(x >= x1 - 2 && x <= x2 + 2 && y >= y1 - 2 && y <= y2 + 2, `${label}: (${x}, ${y}) outside the box`);
    assert.ok(x >= 0 && x < width && y >= 0 && y < height, `${label}: (${x}, ${y}) outside the image`);
  }
}

Deno.test({
  name: "MTCNN detection: one face per ORL image, plausible landmarks, boxes and points as the port computes them",
  ignore: skipWithout(haveWeights && haveOrl),
  fn: async () => {
    const nets = await loadMtcnnNets(backend);
    for (const g of golden.detections as { image: string; boxes: number[][]; landmarks: number[][] }[]) {
      const path = joinPath(orlDir(), g.image);
      const image = decodePgm(await readBytes(path), path);
      const faces = await detectFaces(nets, image);
      assert.strictEqual(faces.length, 1, `${g.image}: ${faces.length} faces`);
      assertPlausible(faces[0], image.width, image.height, g.image);
      const { x1, y1, x2, y2, score } = faces[0].box;
      const points = faces[0].landmarks;
      const ours = [x1, y1, x2, y2, score, ...points.map((p) => p[0]), ...points.map((p) => p[1])];
      const theirs = [...g.boxes[0], ...g.landmarks[0]];
      const err = Math.max(...theirs.map((v, i) => Math.abs(v - ours[i])));
      assert.ok(err < 0.01, `${g.image}: box/landmarks differ from the port by ${err} px`);
    }
    for (const net of Object.values(nets)) net.dispose();
  },
});
