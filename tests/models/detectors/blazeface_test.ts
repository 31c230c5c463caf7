/**
 * BlazeFace post-processing without the model: the anchor grid, decoding of synthetic raw heads with known boxes and
 * keypoints (offsets in input pixels from the anchor centre, logits clipped before the sigmoid, the score threshold),
 * gathering the heads from outputs in any order by their dims, and weighted NMS (blended cluster, leader's score).
 */
import assert from "node:assert";
import {
  anchorCounts,
  BLAZEFACE_COORDS,
  BLAZEFACE_SHORT_RANGE,
  blazeFaceAnchors,
  type BlazeFaceDetection,
  boxIou,
  decodeBlazeFace,
  gatherHeads,
  weightedNms,
} from "../../../src/models/detectors/blazeface.ts";

const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-6, `${what}: ${a} vs ${b}`);

Deno.test("blazeface anchors: 16×16×2 then 8×8×6 unit anchors centred in their cells", () => {
  assert.deepStrictEqual(anchorCounts(), [512, 384]);
  const a = blazeFaceAnchors();
  assert.strictEqual(a.length, 2 * 896);
  assert.deepStrictEqual([a[0], a[1], a[2], a[3]], [1 / 32, 1 / 32, 1 / 32, 1 / 32]);
  // row 3, column 5, anchor 1 of the 16×16 layer
  const k = (3 * 16 + 5) * 2 + 1;
  assert.deepStrictEqual([a[2 * k], a[2 * k + 1]], [5.5 / 16, 3.5 / 16]);
  assert.deepStrictEqual([a[2 * 512], a[2 * 512 + 1]], [1 / 16, 1 / 16]);
  assert.deepStrictEqual([a[2 * 895], a[2 * 895 + 1]], [7.5 / 8, 7.5 / 8]);
});

/** Heads with every logit at −10 except the faces given: anchor index, logit and regressor values. */
function syntheticHeads(faces: { anchor: number; logit: number; values: number[] }[]) {
  const scores = new Float32Array(896).fill(-10), regressors = new Float32Array(896 * BLAZEFACE_COORDS);
  for (const f of faces) {
    scores[f.anchor] = f.logit;
    regressors.set(f.values, f.anchor * BLAZEFACE_COORDS);
  }
  return { scores, regressors };
}

Deno.test("blazeface decode: box centre and keypoints are anchor + offset / 128, sizes / 128; threshold and clipping", () => {
  const values = [4, -2, 40, 48, -10, -8, 10, -8, 0, 2, 0, 14, -20, 0, 20, 0];
  const anchor = (3 * 16 + 5) * 2 + 1, far = 512 + (6 * 8 + 2) * 6 + 3;
  const heads = syntheticHeads([
    { anchor, logit: 2, values },
    { anchor: far, logit: 1000, values: new Array(16).fill(0) },
    { anchor: 7, logit: -0.5, values },
  ]);
  const found = decodeBlazeFace(heads);
  assert.strictEqual(found.length, 2, "the logit −0.5 face (p 0.38) is below 0.5");
  const [face, clipped] = found;
  near(face.score, 1 / (1 + Math.exp(-2)), "score");
  near(face.box.cx, 5.5 / 16 + 4 / 128, "cx");
  near(face.box.cy, 3.5 / 16 - 2 / 128, "cy");
  near(face.box.width, 40 / 128, "width");
  near(face.box.height, 48 / 128, "height");
  near(face.keypoints[0][0], 5.5 / 16 - 10 / 128, "right eye x");
  near(face.keypoints[3][1], 3.5 / 16 + 14 / 128, "mouth y");
  near(face.keypoints[5][0], 5.5 / 16 + 20 / 128, "left ear x");
  near(clipped.score, 1 / (1 + Math.exp(-100)), "clipped logit");
  near(clipped.box.cx, 2.5 / 8, "8×8 layer anchor x");
  assert.strictEqual(decodeBlazeFace(heads, { minScore: 0.3 }).length, 3);
  assert.throws(
    () => decodeBlazeFace({ scores: new Float32Array(10), regressors: new Float32Array(160) }),
    /896 anchors/,
  );
});

Deno.test("blazeface heads: gathered by dims in layer order whatever the output order; a missing head names the model", () => {
  const part = (count: number, depth: number, base: number) => ({
    dims: [1, count, depth],
    data: Float32Array.from({ length: count * depth }, (_, i) => base + i),
  });
  const outputs = [part(384, 16, 3000), part(512, 1, 0), part(384, 1, 1000), part(512, 16, 2000)];
  const heads = gatherHeads(outputs, "m.onnx");
  assert.strictEqual(heads.scores[0], 0);
  assert.strictEqual(heads.scores[511], 511);
  assert.strictEqual(heads.scores[512], 1000);
  assert.strictEqual(heads.regressors[512 * 16 - 1], 2000 + 512 * 16 - 1);
  assert.strictEqual(heads.regressors[512 * 16], 3000);
  assert.throws(() => gatherHeads(outputs.slice(1), "m.onnx"), /m\.onnx: no output of dims \[1, 384, 16\]/);
  assert.strictEqual(BLAZEFACE_SHORT_RANGE.inputSize, 128);
});

function detection(score: number, cx: number, cy: number, size: number, kx: number): BlazeFaceDetection {
  return { score, box: { cx, cy, width: size, height: size }, keypoints: Array.from({ length: 6 }, () => [kx, cy]) };
}

Deno.test("blazeface weighted NMS: overlapping detections are blended by score, the leader's score kept", () => {
  const a = detection(0.6, 0.5, 0.5, 0.2, 0.4), b = detection(0.9, 0.52, 0.5, 0.2, 0.5);
  const c = detection(0.8, 0.1, 0.1, 0.1, 0.1);
  assert.ok(boxIou(a.box, b.box) > 0.3 && boxIou(a.box, c.box) === 0);
  const out = weightedNms([a, c, b]);
  assert.strictEqual(out.length, 2);
  near(out[0].score, 0.9, "leader score");
  near(out[0].box.cx, (0.6 * 0.5 + 0.9 * 0.52) / 1.5, "blended cx");
  near(out[0].keypoints[2][0], (0.6 * 0.4 + 0.9 * 0.5) / 1.5, "blended keypoint");
  near(out[1].score, 0.8, "second face score");
  near(out[1].box.cx, 0.1, "a lone detection keeps its box");
  // below the threshold they stay apart
  const apart = weightedNms([a, detection(0.9, 0.66, 0.5, 0.2, 0.5)]);
  assert.strictEqual(apart.length, 2);
  assert.deepStrictEqual(weightedNms([]), []);
});
