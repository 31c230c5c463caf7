/**
 * Renders one raw synthface v2 image: the v1 drawing of head, hair and features (with this image's styling),
 * lit by the identity's 3-D relief ({@link shadeRelief}) instead of v1's flat ellipsoid, on a v2 background,
 * developed and degraded by the v2 camera.
 * @module
 */
import type { Rng } from "../../../core/rng.ts";
import { drawAccessories } from "../accessories.ts";
import { Canvas } from "../canvas.ts";
import type { ModelOptions, RawFace } from "../model.ts";
import { drawPortrait } from "../render.ts";
import { faceFrameOf, type Scene } from "../scene.ts";
import { cameraArtefacts, develop, drawBackgroundV2 } from "./camera.ts";
import type { IdentityV2 } from "./identity.ts";
import type { NuisanceV2 } from "./nuisance.ts";
import { shadeRelief } from "./shade.ts";

/** Draws identity `id` under nuisance `n`; `rng` drives the background and the sensor noise. */
export function renderRawFaceV2(id: IdentityV2, n: NuisanceV2, options: ModelOptions, rng: Rng): RawFace {
  const canvas = new Canvas(options.rawSize, options.rawSize);
  const scene: Scene = { canvas, face: faceFrameOf(n), id: { ...id, ...n.style }, n };
  drawBackgroundV2(canvas, rng);
  const landmarks = drawPortrait(scene);
  shadeRelief(scene, id, n);
  drawAccessories(scene);
  canvas.tint(n.lightRgb);
  develop(canvas, n);
  canvas.blur(n.blur);
  const image = canvas.toImage(rng, n.noise);
  cameraArtefacts(image, n);
  return { image, landmarks };
}
