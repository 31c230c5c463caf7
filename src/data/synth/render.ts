/**
 * Renders one raw (unaligned) synthetic face and reports where its five landmarks landed.
 * @module
 */
import type { Landmarks, Point } from "../align.ts";
import type { Rng } from "../../core/rng.ts";
import { drawAccessories } from "./accessories.ts";
import { drawBackground } from "./background.ts";
import { Canvas } from "./canvas.ts";
import { drawBrows, drawEyes, drawMouth, drawNose } from "./features.ts";
import { drawBackHair, drawBeard, drawEars, drawFace, drawNeckAndClothes, drawTopHair } from "./head.ts";
import type { Identity } from "./identity.ts";
import type { RawFace } from "./model.ts";
import type { Nuisance } from "./nuisance.ts";
import { faceFrameOf, type Scene } from "./scene.ts";

/** Lambert shading of the head ellipsoid (turned by yaw and pitch) under the image's light. */
function shadeHead(scene: Scene): void {
  const { n, id } = scene;
  const inv = scene.face.inv;
  const cy = Math.cos(n.yaw), sy = Math.sin(n.yaw), cp = Math.cos(n.pitch), sp = Math.sin(n.pitch);
  const [lx, ly, lz] = n.light;
  const halfHeight = (id.chinY + id.craniumHeight + 0.2) / 2, centre = (id.chinY - id.craniumHeight - 0.2) / 2;
  scene.canvas.shadeSkin((px, py) => {
    const x = inv[0] * px + inv[1] * py + inv[2], y = inv[3] * px + inv[4] * py + inv[5];
    const nx = x / (id.faceWidth * 1.05), ny = (y - centre) / (halfHeight * 1.05);
    const nz = Math.sqrt(Math.max(0.02, 1 - nx * nx - ny * ny));
    const rx = nx * cy + nz * sy, rz0 = -nx * sy + nz * cy;
    const ry = ny * cp + rz0 * sp, rz = -ny * sp + rz0 * cp;
    const lambert = Math.max(0, (rx * lx + ry * ly + rz * lz) / Math.hypot(rx, ry, rz));
    return n.ambient + (1 - n.ambient) * 1.1 * lambert;
  });
}

/** Draws the person over the background (hair, neck and clothes, ears, face, beard, features); returns the landmarks. */
export function drawPortrait(scene: Scene): Landmarks {
  drawBackHair(scene);
  drawNeckAndClothes(scene);
  drawEars(scene);
  drawFace(scene);
  drawBeard(scene);
  const [leftEye, rightEye] = drawEyes(scene);
  drawBrows(scene);
  const nose: Point = drawNose(scene);
  const [leftMouth, rightMouth] = drawMouth(scene);
  drawTopHair(scene);
  return [leftEye, rightEye, nose, leftMouth, rightMouth];
}

/** Draws identity `id` under nuisance `n` on a `size`×`size` canvas; `rng` drives background and sensor noise. */
export function renderRawFace(id: Identity, n: Nuisance, size: number, rng: Rng, difficulty: number): RawFace {
  const canvas = new Canvas(size, size);
  const scene: Scene = { canvas, face: faceFrameOf(n), id, n };
  drawBackground(canvas, rng, difficulty);
  const landmarks = drawPortrait(scene);
  shadeHead(scene);
  drawAccessories(scene);
  canvas.tint(n.lightRgb);
  canvas.blur(n.blur);
  return { image: canvas.toImage(rng, n.noise), landmarks };
}
