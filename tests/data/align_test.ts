/** Alignment: known similarity transforms are recovered to 1e-4; the warp and template behave as cv2/insightface. */
import assert from "node:assert";
import {
  alignFace,
  alignmentTransform,
  applyAffine,
  cp2tform,
  invertAffine,
  type Landmarks,
  type Point,
  similarity,
  TEMPLATE_112,
  templateFor,
  umeyama,
  warpAffine,
} from "../../src/data/align.ts";
import { createImage } from "../../src/data/image/image.ts";

const transforms = [
  similarity(1, 0, 0, 0),
  similarity(0.8, 0.3, 12.5, -4),
  similarity(2.3, -1.1, -30, 44),
  similarity(0.35, 2.9, 100, 7),
];

function close(a: readonly number[], b: readonly number[], tol = 1e-4) {
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < tol, `${a} vs ${b}`));
}

Deno.test("align: umeyama and cp2tform recover rotation, scale and translation", () => {
  for (const m of transforms) {
    const detected = TEMPLATE_112.map((p) => applyAffine(invertAffine(m), p)) as unknown as Landmarks;
    close(umeyama(detected, TEMPLATE_112), m);
    close(cp2tform(detected, TEMPLATE_112, false), m);
    close(cp2tform(detected, TEMPLATE_112, true), m);
    close(alignmentTransform(detected), m);
  }
});

Deno.test("align: reflective cp2tform picks the mirrored fit for mirrored landmarks", () => {
  const mirror = [-1, 0, 112, 0, 1, 0] as const;
  const detected = TEMPLATE_112.map((p) => applyAffine(mirror, p));
  const m = cp2tform(detected, TEMPLATE_112, true);
  assert.ok(m[0] * m[4] - m[1] * m[3] < 0, "determinant should be negative (a reflection)");
  detected.forEach((p, i) => close(applyAffine(m, p), TEMPLATE_112[i]));
  const direct = cp2tform(detected, TEMPLATE_112, false);
  assert.ok(direct[0] * direct[4] - direct[1] * direct[3] > 0);
});

Deno.test("align: umeyama is the least-squares similarity for noisy points", () => {
  const src: Point[] = [[0, 0], [10, 0], [0, 10], [10, 10], [5, 5]];
  const dst: Point[] = src.map(([x, y], i) => [2 * x + 1 + (i % 2 ? 0.1 : -0.1), 2 * y - 3]);
  const m = umeyama(src, dst);
  const loss = (k: readonly number[]) =>
    src.reduce(
      (s, p, i) =>
        s + (applyAffine(k as never, p)[0] - dst[i][0]) ** 2 + (applyAffine(k as never, p)[1] - dst[i][1]) ** 2,
      0,
    );
  for (const [da, db] of [[1e-3, 0], [0, 1e-3], [-1e-3, 0], [0, -1e-3]]) {
    const k = [m[0] + da, m[1] - db, m[2], m[3] + db, m[4] + da, m[5]];
    assert.ok(loss(k) > loss(m));
  }
});

Deno.test("align: template for 224 is doubled; warp is bilinear with a black border", () => {
  close(templateFor(224)[2], [112.0504, 143.4732]);
  const image = createImage(4, 4, 1);
  image.data.set([0, 10, 20, 30, 0, 10, 20, 30, 0, 10, 20, 30, 0, 10, 20, 30]);
  const half = warpAffine(image, [1, 0, -0.5, 0, 1, 0], 4, 4);
  assert.deepStrictEqual(Array.from(half.data.subarray(0, 4)), [5, 15, 25, 15]);
  const shifted = warpAffine(image, [1, 0, 2, 0, 1, 0], 4, 4);
  assert.deepStrictEqual(Array.from(shifted.data.subarray(0, 4)), [0, 0, 0, 10]);
});

Deno.test("align: alignFace maps detected landmarks of a drawn face onto the template", () => {
  const m = similarity(0.7, 0.4, 20, 10);
  const raw = createImage(160, 160, 3);
  const detected = TEMPLATE_112.map((p) => applyAffine(invertAffine(m), p)) as unknown as Landmarks;
  for (const [x, y] of detected) {
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        raw.data.fill(
          255,
          ((Math.round(y) + dy) * 160 + Math.round(x) + dx) * 3,
          ((Math.round(y) + dy) * 160 + Math.round(x) + dx) * 3 + 3,
        );
      }
    }
  }
  const aligned = alignFace(raw, detected);
  assert.strictEqual(aligned.width, 112);
  for (const [x, y] of TEMPLATE_112) assert.ok(aligned.data[(Math.round(y) * 112 + Math.round(x)) * 3] > 100);
});
