/**
 * The v2 shading pass: every skin pixel is mapped to face coordinates (with the parallax of its own depth under
 * yaw and pitch), takes its normal from the identity's height field, and is lit Lambert + ambient under the
 * image's light with a cavity term (darker in hollows), a short shadow march towards the light (cast shadows of
 * nose, brows, lips) and a faint specular sheen. The skin albedo gets a texture fixed in face coordinates (value
 * noise at three scales) and the identity's eye-region darkening.
 * @module
 */
import type { Scene } from "../scene.ts";
import type { IdentityV2 } from "./identity.ts";
import type { NuisanceV2 } from "./nuisance.ts";
import { depthAt } from "./relief.ts";

/** Deterministic hash of a lattice point and a seed to [0, 1). */
function hash(ix: number, iy: number, seed: number): number {
  let h = Math.imul(ix, 0x27d4eb2d) ^ Math.imul(iy, 0x165667b1) ^ seed;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Smooth value noise in [0, 1) at (x, y) lattice units. */
function valueNoise(x: number, y: number, seed: number): number {
  const ix = Math.floor(x), iy = Math.floor(y);
  const fx = x - ix, fy = y - iy;
  const sx = fx * fx * (3 - 2 * fx), sy = fy * fy * (3 - 2 * fy);
  const a = hash(ix, iy, seed), b = hash(ix + 1, iy, seed), c = hash(ix, iy + 1, seed), d = hash(ix + 1, iy + 1, seed);
  return a + (b - a) * sx + (c - a) * sy + (a - b - c + d) * sx * sy;
}

/** Skin albedo factor at face point (x, y): multi-scale texture and eye-region darkening. */
function albedo(id: IdentityV2, x: number, y: number): number {
  const s = id.textureSeed;
  const texture = 0.07 * (valueNoise(x * 5, y * 5, s) - 0.5) + 0.06 * (valueNoise(x * 13, y * 13, s ^ 1) - 0.5) +
    0.05 * (valueNoise(x * 31, y * 31, s ^ 2) - 0.5);
  const ex = Math.abs(x) - id.eyeSpacing, ey = y + 0.02;
  const lids = id.lidShadow * Math.exp(-(ex * ex) / 0.05 - (ey * ey) / 0.018);
  return (1 + 2 * id.roughness * texture) * (1 - lids);
}

/** Shades the skin of `scene` with the identity's relief under the image's light. */
export function shadeRelief(scene: Scene, id: IdentityV2, n: NuisanceV2): void {
  const { canvas } = scene;
  const { width: w, height: h } = canvas;
  const inv = scene.face.inv, m = scene.face.m, unit = scene.face.unit;
  const ty = Math.tan(n.yaw), tp = Math.tan(n.pitch);
  const zRef = depthAt(id.relief, 0, 0) - 0.5;
  const z = new Float32Array(w * h), fxs = new Float32Array(w * h), fys = new Float32Array(w * h);
  // The height field is needed on the skin and one pixel around it (the shadow march sees 0 beyond).
  let x0 = w, x1 = -1, y0 = h, y1 = -1;
  for (let i = 0; i < w * h; i++) {
    if (canvas.skin[i] <= 0) continue;
    const px = i % w, py = (i - px) / w;
    x0 = Math.min(x0, px), x1 = Math.max(x1, px), y0 = Math.min(y0, py), y1 = Math.max(y1, py);
  }
  for (let py = Math.max(0, y0 - 1); py <= Math.min(h - 1, y1 + 1); py++) {
    for (let px = Math.max(0, x0 - 1); px <= Math.min(w - 1, x1 + 1); px++) {
      const i = py * w + px;
      let x = inv[0] * px + inv[1] * py + inv[2], y = inv[3] * px + inv[4] * py + inv[5];
      const z0 = depthAt(id.relief, x, y) - zRef;
      x -= z0 * ty, y -= z0 * tp;
      z[i] = depthAt(id.relief, x, y) - zRef, fxs[i] = x, fys[i] = y;
    }
  }
  const cy = Math.cos(n.yaw), sy = Math.sin(n.yaw), cp = Math.cos(n.pitch), sp = Math.sin(n.pitch);
  const [lx, ly, lz] = n.light;
  // Light in the face frame (inverse of the pose rotation), for the shadow march.
  const ly0 = ly * cp - lz * sp, lz0 = ly * sp + lz * cp;
  const lfx = lx * cy - lz0 * sy, lfz = lx * sy + lz0 * cy, lfy = ly0;
  const lxy = Math.hypot(lfx, lfy);
  const stepX = lxy > 0.05 ? (m[0] * lfx + m[1] * lfy) / lxy : 0,
    stepY = lxy > 0.05 ? (m[3] * lfx + m[4] * lfy) / lxy : 0;
  const rise = lxy > 0.05 ? lfz / lxy / unit : Infinity;
  const hx = lx, hy = ly, hz = lz + 1, hn = Math.hypot(hx, hy, hz);
  const colour = n.lightRgb;
  for (let py = 1; py < h - 1; py++) {
    for (let px = 1; px < w - 1; px++) {
      const i = py * w + px;
      const s = canvas.skin[i];
      if (s <= 0) continue;
      const gx = (z[i + 1] - z[i - 1]) / 2, gy = (z[i + w] - z[i - w]) / 2;
      const dzdx = gx * m[0] + gy * m[3], dzdy = gx * m[1] + gy * m[4];
      const nn = Math.hypot(dzdx, dzdy, 1);
      const nx = -dzdx / nn, ny = -dzdy / nn, nz = 1 / nn;
      const rx = nx * cy + nz * sy, rz0 = -nx * sy + nz * cy;
      const ry = ny * cp + rz0 * sp, rz = -ny * sp + rz0 * cp;
      const lambert = Math.max(0, rx * lx + ry * ly + rz * lz);
      let occluded = 0;
      if (rise !== Infinity && lambert > 0) {
        for (let k = 1; k <= 10; k++) {
          const t = 1.5 * k;
          const qx = Math.round(px + stepX * t / unit), qy = Math.round(py + stepY * t / unit);
          if (qx < 0 || qy < 0 || qx >= w || qy >= h) break;
          const above = z[qy * w + qx] - (z[i] + rise * t);
          if (above > 0) occluded = Math.max(occluded, Math.min(1, above * 25));
        }
      }
      const lap = (z[i + 1] + z[i - 1] + z[i + w] + z[i - w] - 4 * z[i]) * unit * unit;
      const cavity = Math.min(1.06, Math.max(0.65, 1 - 0.012 * lap));
      const light = n.ambient + (1 - n.ambient) * 1.15 * lambert * (1 - n.shadow * occluded);
      const spec = n.specular * Math.max(0, (rx * hx + ry * hy + rz * hz) / hn) ** 24 * (1 - occluded);
      const f = 1 + (cavity * light * albedo(id, fxs[i], fys[i]) - 1) * s;
      for (let c = 0; c < 3; c++) canvas.rgb[3 * i + c] = canvas.rgb[3 * i + c] * f + spec * s * colour[c] * 0.6;
    }
  }
}
