/**
 * Inner features of a synthetic face: eyes, brows, nose and mouth. Each draw function returns the raw-image
 * position of the landmarks it owns (eye centres, nose tip, mouth corners).
 * @module
 */
import type { Point } from "../align.ts";
import type { Rgb } from "./canvas.ts";
import { capsule, circle, ellipse, ring } from "./sdf.ts";
import { mix, scaled } from "./palette.ts";
import { featureFrame, type Scene, toImage } from "./scene.ts";

/** Distance to an almond (two intersecting discs) with half width w, upper height hu and lower height hl. */
function almond(x: number, y: number, w: number, hu: number, hl: number): number {
  const ru = (w * w + hu * hu) / (2 * hu), rl = (w * w + hl * hl) / (2 * hl);
  return Math.max(circle(x, y - (ru - hu), ru), circle(x, y + (rl - hl), rl));
}

/** Both eyes with sockets, irises, pupils, highlights and lash lines; returns [left, right] eye centres. */
export function drawEyes(scene: Scene): [Point, Point] {
  const p = scene.id, n = scene.n, canvas = scene.canvas;
  const w = p.eyeWidth, h = Math.max(0.004, p.eyeOpen * n.eyeOpen);
  const hu = h * (0.8 + 0.25 * (p.eyeBend / 1.6)), hl = h * (1.1 - 0.25 * (p.eyeBend / 1.6));
  const r = p.irisSize;
  const box: [number, number, number, number] = [-w - 0.05, -0.2, w + 0.05, 0.15];
  const centres: Point[] = [];
  for (const side of [-1, 1]) {
    const frame = featureFrame(scene, side * p.eyeSpacing, 0, 0.5, -side * p.eyeTilt);
    centres.push(toImage(frame, 0, 0));
    canvas.paint(
      frame,
      [-w - 0.1, -0.25, w + 0.1, 0.1],
      (x, y) => ellipse(x, y + h + 0.02, w * 1.15, 0.09),
      scaled(p.skinRgb, 0.8),
      {
        opacity: 0.35,
        soft: 0.05,
      },
    );
    const sclera = (x: number, y: number) => almond(x, y, w, hu, hl);
    canvas.paint(frame, box, sclera, [0.9, 0.88, 0.85]);
    const gx = n.gazeX * w * 0.6, gy = n.gazeY * h;
    const iris = p.irisRgb;
    canvas.paint(frame, box, (x, y) => Math.max(circle(x - gx, y - gy, r), sclera(x, y)), (x, y, out: Rgb) => {
      const t = Math.hypot(x - gx, y - gy) / r;
      const k = t > 0.82 ? 0.45 : 1 - 0.25 * t;
      out[0] = iris[0] * k, out[1] = iris[1] * k, out[2] = iris[2] * k;
    });
    canvas.paint(frame, box, (x, y) => Math.max(circle(x - gx, y - gy, r * 0.42), sclera(x, y)), [0.03, 0.03, 0.03]);
    const hx = gx - r * 0.3 + n.light[0] * r * 0.2, hy = gy - r * 0.35;
    canvas.paint(frame, box, (x, y) => Math.max(circle(x - hx, y - hy, r * 0.16), sclera(x, y)), [1, 1, 1], {
      opacity: 0.85,
    });
    canvas.paint(frame, box, (x, y) => Math.max(ring(sclera(x, y), 0.014), y - 0.25 * hu), [0.08, 0.06, 0.05]);
    canvas.paint(frame, box, (x, y) => Math.max(ring(sclera(x, y), 0.008), 0.25 * hl - y), scaled(p.skinRgb, 0.55), {
      opacity: 0.5,
    });
  }
  return [centres[0], centres[1]];
}

/** Both eyebrows: arched, tapered towards the outer end. */
export function drawBrows(scene: Scene): void {
  const p = scene.id;
  const L = p.browLength, t = p.browThickness, arch = p.browArch * 0.04;
  const colour = mix(p.hairRgb, scaled(p.skinRgb, 0.4), 0.25);
  for (const side of [-1, 1]) {
    const frame = featureFrame(
      scene,
      side * (p.eyeSpacing - p.browInset),
      p.browHeight - scene.n.browRaise,
      0.6,
      -side * p.browTilt,
    );
    scene.canvas.paint(
      frame,
      [-L - 0.05, -0.15, L + 0.05, 0.1],
      (x, y) => {
        const u = Math.min(1, Math.abs(x / L));
        const thick = t * (1 - 0.45 * (side * x / L + 1) / 2);
        return ellipse(x, y + arch * (1 - u * u), L, thick);
      },
      colour,
      { opacity: 0.92 },
    );
  }
}

/** Nose: bridge shadow on the side away from the light, tip highlight, nostrils, wings and the shadow below. */
export function drawNose(scene: Scene): Point {
  const p = scene.id, n = scene.n, canvas = scene.canvas;
  const tip = featureFrame(scene, 0, p.noseLength, 0.9);
  const dark = n.light[0] > 0 ? -1 : 1;
  const bridge = featureFrame(scene, 0, 0, 0.75);
  canvas.paint(
    bridge,
    [-0.2, -0.1, 0.2, p.noseLength + 0.05],
    (x, y) => capsule(x, y, dark * 0.07, 0.12, dark * (p.noseWidth * 0.55), p.noseLength - 0.06, 0.03),
    scaled(p.skinRgb, 0.72),
    {
      opacity: 0.5 * Math.min(1, Math.abs(n.light[0]) * 2 + 0.3),
      soft: 0.06,
    },
  );
  const w = p.noseWidth, s = p.nostrilSize;
  canvas.paint(
    tip,
    [-w - 0.15, -0.15, w + 0.15, 0.2],
    (x, y) => ellipse(x, y - 0.16, w * 0.9, 0.045),
    scaled(p.skinRgb, 0.78),
    {
      opacity: 0.45,
      soft: 0.04,
    },
  );
  for (const side of [-1, 1]) {
    canvas.paint(
      tip,
      [-w - 0.15, -0.15, w + 0.15, 0.2],
      (x, y) =>
        Math.max(ring(ellipse(x - side * w * 0.75, y + 0.01, 0.075, 0.07), 0.012), -side * (x - side * w * 0.75)),
      scaled(p.skinRgb, 0.68),
      {
        opacity: 0.6,
        soft: 0.015,
      },
    );
    canvas.paint(
      tip,
      [-w - 0.15, -0.15, w + 0.15, 0.2],
      (x, y) => ellipse(x - side * w * 0.45, y - 0.05, 0.045 * s, 0.022 * s),
      scaled(p.skinRgb, 0.32),
      {
        opacity: 0.9,
      },
    );
  }
  canvas.paint(
    tip,
    [-0.15, -0.15, 0.15, 0.1],
    (x, y) => ellipse(x - n.light[0] * 0.04, y + 0.03, 0.06, 0.04),
    scaled(p.skinRgb, 1.12),
    {
      opacity: 0.45,
      soft: 0.04,
    },
  );
  return toImage(tip, 0, 0);
}

/** Lips, mouth line, open mouth with teeth; returns the two mouth corners. */
export function drawMouth(scene: Scene): [Point, Point] {
  const p = scene.id, n = scene.n, canvas = scene.canvas;
  const frame = featureFrame(scene, 0, p.mouthY, 0.6);
  const hw = p.mouthWidth * (1 + 0.1 * Math.max(0, n.smile));
  const lift = 0.07 * n.smile;
  const open = n.mouthOpen * 0.1;
  const box: [number, number, number, number] = [-hw - 0.05, -0.15, hw + 0.05, 0.25];
  const bent = (x: number, y: number) => y + lift * (x / hw) ** 2;
  canvas.paint(frame, box, (x, y) => {
    const yb = bent(x, y);
    return Math.max(ellipse(x, yb, hw, p.upperLip), yb);
  }, p.lipRgb);
  canvas.paint(frame, box, (x, y) => {
    const yb = bent(x, y) - open;
    return Math.max(ellipse(x, yb, hw * 0.9, p.lowerLip), -yb);
  }, scaled(p.lipRgb, 1.06));
  if (open > 0) {
    const inside = (x: number, y: number) => ellipse(x, bent(x, y) - open / 2, hw * 0.82, open / 2 + 0.002);
    canvas.paint(frame, box, inside, [0.22, 0.07, 0.07]);
    canvas.paint(frame, box, (x, y) => Math.max(inside(x, y), bent(x, y) - open * 0.35), [0.88, 0.86, 0.8]);
  }
  canvas.paint(frame, box, (x, y) => ellipse(x, bent(x, y) - open / 2, hw, 0.008 + open / 2), [0.25, 0.1, 0.1], {
    opacity: open > 0 ? 0.6 : 0.85,
  });
  return [toImage(frame, -hw, -lift), toImage(frame, hw, -lift)];
}
