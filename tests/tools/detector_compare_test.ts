/**
 * tools/detector_compare.ts's landmark distances: in units of the reference's inter-ocular distance, only over
 * images where both detectors found a face, the mouth centre as the corners' midpoint, mean and median per point
 * and over the per-image mean of the four points.
 */
import assert from "node:assert";
import type { Landmarks, Point } from "../../src/data/align.ts";
import { landmarkDistances } from "../../tools/detector_compare.ts";

const face = (dx: number, dy: number, ocular = 20): Landmarks =>
  ([[10, 10], [10 + ocular, 10], [20, 20], [12, 30], [28, 30]] as Point[]).map((
    [x, y],
  ) => [x + dx, y + dy]) as unknown as Landmarks;

Deno.test("detector compare: distances in inter-ocular units over the faces both detectors found", () => {
  const reference = [face(0, 0), face(0, 0, 40), face(0, 0), null, face(0, 0)];
  // shifts of 2, 4, 6 px on 20, 40, 20 px eyes: 0.1, 0.1, 0.3 IOD; image 4 has no reference, image 5 no other face
  const other = [face(2, 0), face(0, 4, 40), face(6, 0), face(1, 1), null];
  const { both, points } = landmarkDistances(reference, other);
  assert.strictEqual(both, 3);
  assert.deepStrictEqual(points.map((p) => p.point), [
    "eye (image left)",
    "eye (image right)",
    "nose tip",
    "mouth centre",
    "all four",
  ]);
  for (const p of points) {
    assert.ok(Math.abs(p.mean - 0.5 / 3) < 1e-12, `${p.point} mean ${p.mean}`);
    assert.ok(Math.abs(p.median - 0.1) < 1e-12, `${p.point} median ${p.median}`);
  }
  // only the mouth corners move, symmetrically outwards: the mouth centre does not move
  const wider = face(0, 0);
  const moved = [wider[0], wider[1], wider[2], [wider[3][0] - 3, 30], [wider[4][0] + 3, 30]] as unknown as Landmarks;
  assert.strictEqual(landmarkDistances([wider], [moved]).points[3].mean, 0);
});
