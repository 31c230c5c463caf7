/**
 * Mouth corners from a mouth centre: on points that are an exact similarity image of the template the five
 * landmarks are the template's image (so alignment recovers the template); on noisy points the eyes and nose are
 * kept, the corners' midpoint is the detected mouth centre, and the corner spacing follows the fitted scale and roll.
 */
import assert from "node:assert";
import {
  alignmentTransform,
  applyAffine,
  type Landmarks,
  type Point,
  similarity,
  TEMPLATE_112,
} from "../../src/data/align.ts";
import { type FourPoints, landmarksFromMouthCentre, templateFourPoints } from "../../src/data/mouth_centre.ts";

const close = (a: Point, b: Point, tol: number, what: string) =>
  assert.ok(Math.hypot(a[0] - b[0], a[1] - b[1]) <= tol, `${what}: [${a}] vs [${b}]`);

Deno.test("mouth centre: an exact similarity of the template gives the template's image, and alignment undoes it", () => {
  const m = similarity(1.7, 0.3, 40, -12);
  const four = templateFourPoints().map((p) => applyAffine(m, p)) as unknown as FourPoints;
  const five = landmarksFromMouthCentre(four);
  TEMPLATE_112.forEach((p, k) => close(five[k], applyAffine(m, p), 1e-9, `point ${k}`));
  const back = alignmentTransform(five);
  five.forEach((p, k) => close(applyAffine(back, p), TEMPLATE_112[k], 1e-9, `aligned point ${k}`));
});

Deno.test("mouth centre: detected eyes, nose and mouth centre are kept; corners span the template width at the fitted scale", () => {
  const four: FourPoints = [[30, 40], [62, 44], [47, 60], [44, 79]];
  const five: Landmarks = landmarksFromMouthCentre(four);
  for (let k = 0; k < 3; k++) assert.deepStrictEqual(five[k], four[k]);
  close([(five[3][0] + five[4][0]) / 2, (five[3][1] + five[4][1]) / 2], four[3], 1e-9, "corner midpoint");
  // the eyes 32.2 px apart here vs 35.2 in the template: the fitted scale is near 0.9, the mouth 29.2 px wide there
  const width = Math.hypot(five[4][0] - five[3][0], five[4][1] - five[3][1]);
  assert.ok(width > 0.8 * 29.18 && width < 1.0 * 29.18, `mouth width ${width}`);
  assert.ok(five[3][0] < four[3][0] && five[4][0] > four[3][0], "corner on image-left first");
  // rolled face (eyes tilted down to the right): the mouth line tilts the same way
  assert.ok(five[4][1] > five[3][1], "corners follow the roll");
});
