/** MTCNN box arithmetic on hand-made boxes, crops, and the Pillow-style resize against Pillow's own output. */
import assert from "node:assert";
import {
  type Box,
  calibrateBox,
  nms,
  overlap,
  roundHalfEven,
  squareBox,
  windowBox,
} from "../../../src/models/detectors/boxes.ts";
import { cropBox, pyramidScales } from "../../../src/models/detectors/mtcnn.ts";
import { resizeBilinear } from "../../../src/models/detectors/resize.ts";

function box(x1: number, y1: number, x2: number, y2: number, score: number): Box {
  return { x1, y1, x2, y2, score };
}

Deno.test("nms union: keeps the best box, drops boxes with IoU above the threshold, best first", () => {
  const boxes = [box(1, 1, 10, 10, 0.8), box(0, 0, 9, 9, 0.9), box(30, 30, 39, 39, 0.7)];
  assert.ok(Math.abs(overlap(boxes[0], boxes[1], "union") - 81 / 119) < 1e-12); // inclusive corners: 10×10 areas
  assert.deepStrictEqual(nms(boxes, 0.5), [1, 2]);
  assert.deepStrictEqual(nms(boxes, 0.7), [1, 0, 2]);
  assert.deepStrictEqual(nms([], 0.5), []);
});

Deno.test("nms min: a box inside a more confident one is suppressed by overlap over the smaller area", () => {
  const outer = box(0, 0, 19, 19, 0.9), inner = box(5, 5, 9, 9, 0.95);
  assert.strictEqual(overlap(outer, inner, "min"), 1);
  assert.deepStrictEqual(nms([outer, inner], 0.7, "min"), [1]);
  assert.deepStrictEqual(nms([outer, inner], 0.7, "union"), [1, 0]);
});

Deno.test("nms: equal scores keep the lower index first", () => {
  assert.deepStrictEqual(nms([box(0, 0, 9, 9, 0.5), box(0, 0, 9, 9, 0.5)], 0.5), [0]);
  assert.deepStrictEqual(nms([box(50, 0, 59, 9, 0.5), box(0, 0, 9, 9, 0.5)], 0.5), [0, 1]);
});

Deno.test("calibrateBox moves corners by offsets × (width, height) with inclusive sizes", () => {
  const b = calibrateBox(box(10, 20, 29, 59, 0.3), [0.1, -0.05, 0.2, 0.5]); // 20 × 40
  assert.deepStrictEqual([b.x1, b.y1, b.x2, b.y2, b.score], [12, 18, 33, 79, 0.3]);
});

Deno.test("squareBox keeps the centre and takes the longer side", () => {
  const b = squareBox(box(10, 20, 29, 59, 0.3)); // 20 × 40 → 40 × 40
  assert.deepStrictEqual([b.x1, b.y1, b.x2, b.y2], [0, 20, 39, 59]);
  const c = squareBox(box(0, 0, 9, 4, 0.3)); // 10 × 5 → 10 × 10, centred
  assert.deepStrictEqual([c.x1, c.y1, c.x2, c.y2], [0, -2.5, 9, 6.5]);
});

Deno.test("roundHalfEven rounds like np.round", () => {
  assert.deepStrictEqual([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6, -2.6].map(roundHalfEven), [
    0,
    2,
    2,
    -0,
    -2,
    -2,
    2,
    3,
    -3,
  ]);
});

Deno.test("windowBox maps a P-Net cell to its 12×12 window at stride 2 in image pixels", () => {
  const b = windowBox(3, 5, 0.5, 0.9);
  assert.deepStrictEqual([b.x1, b.y1, b.x2, b.y2, b.score], [22, 14, 46, 38, 0.9]);
});

Deno.test("pyramidScales: 12 / 20, then × 0.707 while the short side stays above 12 px", () => {
  const scales = pyramidScales(92, 112);
  assert.strictEqual(scales.length, 5);
  scales.forEach((s, i) => assert.ok(Math.abs(s - 0.6 * 0.707 ** i) < 1e-12));
  assert.deepStrictEqual(pyramidScales(10, 10), []);
});

Deno.test("cropBox cuts inclusive boxes and fills outside the image with zeros", () => {
  const image = { width: 4, height: 3, channels: 1, data: Uint8Array.from({ length: 12 }, (_, i) => i + 1) };
  const crop = cropBox(image, box(-1, -1, 2, 1, 1));
  assert.deepStrictEqual([crop.width, crop.height], [4, 3]);
  assert.deepStrictEqual([...crop.data], [0, 0, 0, 0, 0, 1, 2, 3, 0, 5, 6, 7]);
  const right = cropBox(image, box(2, 1, 5, 3, 1));
  assert.deepStrictEqual([...right.data], [7, 8, 0, 0, 11, 12, 0, 0, 0, 0, 0, 0]);
});

interface ResizeCase {
  width: number;
  height: number;
  channels: number;
  pixels: number[];
  resized: { width: number; height: number; pixels: number[] }[];
}

const golden = JSON.parse(await Deno.readTextFile(new URL("../../../fixtures/golden/mtcnn.json", import.meta.url)));

Deno.test("resizeBilinear matches Pillow's Image.resize(BILINEAR) byte for byte (down, up, one axis)", () => {
  for (const c of golden.resize as ResizeCase[]) {
    const image = { width: c.width, height: c.height, channels: c.channels, data: Uint8Array.from(c.pixels) };
    for (const r of c.resized) {
      const out = resizeBilinear(image, r.width, r.height);
      assert.deepStrictEqual([...out.data], r.pixels, `${c.width}x${c.height} → ${r.width}x${r.height}`);
    }
  }
});
