/**
 * The pose model shared by all parts of a synthetic face: a face frame (face units → raw pixels, with roll,
 * scale and the foreshortening of yaw and pitch) and a pseudo-3-D offset for features standing out of the face
 * plane (a point at depth z moves by z·tan(yaw) across and z·tan(pitch) down, so the nose turns more than the eyes).
 * @module
 */
import { type Point, similarity } from "../align.ts";
import { composeAffine } from "../align.ts";
import { type Canvas, childFrame, type Frame, frameOf } from "./canvas.ts";
import type { Identity } from "./identity.ts";
import type { Nuisance } from "./nuisance.ts";

/** One face being drawn. */
export interface Scene {
  /** The raster. */
  canvas: Canvas;
  /** Face units → raw pixels (no depth offset). */
  face: Frame;
  /** The identity. */
  id: Identity;
  /** The per-image nuisance. */
  n: Nuisance;
}

/** Builds the face frame of a nuisance. */
export function faceFrameOf(n: Nuisance): Frame {
  const place = similarity(n.scale, n.roll, n.cx, n.cy);
  return frameOf(composeAffine(place, [Math.cos(n.yaw), 0, 0, 0, Math.cos(n.pitch), 0]));
}

/** Face-frame coordinates of a point at face position (x, y) and depth z, after the pose's depth offset. */
export function at(scene: Scene, x: number, y: number, z: number): Point {
  return [x + z * Math.tan(scene.n.yaw), y + z * Math.tan(scene.n.pitch)];
}

/** A feature frame at face position (x, y), depth z, rotated by `angle`. */
export function featureFrame(scene: Scene, x: number, y: number, z: number, angle = 0): Frame {
  const [fx, fy] = at(scene, x, y, z);
  return childFrame(scene.face, fx, fy, angle);
}

/** Raw-image pixel position of a point given in a feature frame. */
export function toImage(frame: Frame, x: number, y: number): Point {
  const m = frame.m;
  return [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
}
