/**
 * Five template landmarks from a detector that finds the mouth centre instead of the two mouth corners (BlazeFace's
 * keypoints are eyes, nose tip, mouth centre and ear tragions). The eyes, nose and mouth centre are kept as
 * detected; the two mouth corners, which such a detector does not measure, are placed symmetrically about the
 * detected mouth centre at the template's mouth width and direction, carried into the image by the similarity that
 * best maps the template's eyes, nose and mouth-corner midpoint onto the four detected points (Umeyama). So the
 * corners' midpoint is exactly the detected mouth centre, and the mouth width follows the face's fitted scale and
 * roll, not a measurement. Pure math.
 * @module
 */
import { type Landmarks, type Point, TEMPLATE_112, umeyama } from "./align.ts";

/** Eyes (image left, image right), nose tip and mouth centre, in image pixels. */
export type FourPoints = readonly [Point, Point, Point, Point];

/** The template's eyes, nose and the midpoint of its mouth corners. */
export function templateFourPoints(template: Landmarks = TEMPLATE_112): FourPoints {
  const [eyeLeft, eyeRight, nose, mouthLeft, mouthRight] = template;
  return [eyeLeft, eyeRight, nose, [(mouthLeft[0] + mouthRight[0]) / 2, (mouthLeft[1] + mouthRight[1]) / 2]];
}

/** Five landmarks in template order from four detected points (see the module comment for the corners). */
export function landmarksFromMouthCentre(points: FourPoints, template: Landmarks = TEMPLATE_112): Landmarks {
  const fit = umeyama(templateFourPoints(template), points);
  const [eyeLeft, eyeRight, nose, mouth] = points;
  const middle = templateFourPoints(template)[3];
  const corner = ([x, y]: Point): Point => {
    const [dx, dy] = [x - middle[0], y - middle[1]];
    return [mouth[0] + fit[0] * dx + fit[1] * dy, mouth[1] + fit[3] * dx + fit[4] * dy];
  };
  return [eyeLeft, eyeRight, nose, corner(template[3]), corner(template[4])];
}
