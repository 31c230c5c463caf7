/**
 * Occluders drawn over a lit face: cap, glasses (clear or sun), face mask and a hand.
 * @module
 */
import type { Rgb } from "./canvas.ts";
import { capsule, ellipse, ring, roundedBox } from "./sdf.ts";
import { scaled } from "./palette.ts";
import { featureFrame, type Scene } from "./scene.ts";
import { headSdf } from "./head.ts";

/** A shading gradient from the light direction, for flat occluders. */
function litPaint(scene: Scene, base: Rgb): (x: number, y: number, out: Rgb) => void {
  const [lx, ly] = scene.n.light;
  return (x, y, out) => {
    const k = 0.75 + 0.25 * Math.tanh(2 * (x * lx + y * ly)) + 0.1;
    out[0] = base[0] * k, out[1] = base[1] * k, out[2] = base[2] * k;
  };
}

/** A cap: crown over the top of the head and a brim. */
function drawCap(scene: Scene): void {
  const cap = scene.n.occluders.cap;
  if (!cap) return;
  const p = scene.id;
  const rx = p.faceWidth + 0.14, ry = p.craniumHeight + 0.14;
  scene.canvas.paint(
    scene.face,
    [-rx, -0.2 - ry, rx, cap.depth + 0.2],
    (x, y) => Math.max(ellipse(x, y + 0.2, rx, ry), y - cap.depth - x * cap.tilt),
    litPaint(scene, cap.colour),
  );
  const brim = featureFrame(scene, 0, cap.depth, 0.9, cap.tilt);
  scene.canvas.paint(
    brim,
    [-rx * 1.2, -0.2, rx * 1.2, 0.2],
    (x, y) => ellipse(x, y, rx * 1.05, 0.11),
    scaled(cap.colour, 0.7),
  );
}

/** Glasses: two lens rims, bridge and temples; sunglasses get dark lenses. */
function drawGlasses(scene: Scene): void {
  const g = scene.n.occluders.glasses;
  if (!g) return;
  const p = scene.id;
  const lx = 0.27 * g.size, ly = (g.style === 0 ? 0.21 : 0.18) * g.size;
  const lens = (x: number, y: number) => g.style === 0 ? ellipse(x, y, lx, ly) : roundedBox(x, y, lx, ly, 0.07);
  for (const side of [-1, 1]) {
    const frame = featureFrame(scene, side * p.eyeSpacing * 1.02, 0.03, 0.8);
    const box: [number, number, number, number] = [-lx - 0.05, -ly - 0.05, lx + 0.05, ly + 0.05];
    if (g.sun) scene.canvas.paint(frame, box, lens, [0.05, 0.05, 0.07], { opacity: 0.9 });
    else scene.canvas.paint(frame, box, lens, [0.95, 0.97, 1], { opacity: 0.1 });
    scene.canvas.paint(frame, box, (x, y) => ring(lens(x, y), 0.018), g.colour);
    const temple = featureFrame(scene, 0, 0, 0.3);
    const ex = side * (p.eyeSpacing * 1.02 + lx), ear = side * p.faceWidth;
    scene.canvas.paint(
      temple,
      [Math.min(ex, ear) - 0.05, -0.1, Math.max(ex, ear) + 0.05, 0.2],
      (x, y) => capsule(x, y, ex, -0.02, ear, 0.08, 0.016),
      g.colour,
    );
  }
  const bridge = featureFrame(scene, 0, 0, 0.85);
  const inner = p.eyeSpacing * 1.02 - lx;
  scene.canvas.paint(
    bridge,
    [-inner - 0.05, -0.1, inner + 0.05, 0.05],
    (x, y) => capsule(x, y, -inner, -0.02, inner, -0.02, 0.018),
    g.colour,
  );
}

/** A face mask from below the nose bridge to the chin, with fold stripes. */
function drawMask(scene: Scene): void {
  const mask = scene.n.occluders.mask;
  if (!mask) return;
  const p = scene.id;
  const top = p.noseLength * mask.top + 0.2;
  scene.canvas.paint(
    scene.face,
    [-p.faceWidth - 0.1, top - 0.1, p.faceWidth + 0.1, p.chinY + 0.1],
    (x, y) => Math.max(headSdf(scene, x, y) - 0.04, top - y + 0.08 * (1 - (x / p.faceWidth) ** 2)),
    (x, y, out) => {
      const k = 0.9 + 0.08 * Math.sin(y * 30) + 0.05 * x * scene.n.light[0];
      out[0] = mask.colour[0] * k, out[1] = mask.colour[1] * k, out[2] = mask.colour[2] * k;
    },
  );
}

/** A hand held in front of the lower face: palm, four fingers and a thumb. */
function drawHand(scene: Scene): void {
  const hand = scene.n.occluders.hand;
  if (!hand) return;
  const frame = featureFrame(scene, hand.x, hand.y, 1.2, hand.angle);
  const fingers = [-0.27, -0.09, 0.09, 0.27];
  const lengths = [0.5, 0.62, 0.6, 0.48];
  scene.canvas.paint(frame, [-0.7, -0.8, 0.7, 0.8], (x, y) => {
    let d = roundedBox(x, y - 0.3, 0.38, 0.34, 0.15);
    fingers.forEach((fx, i) => d = Math.min(d, capsule(x, y, fx, 0, fx * 1.1, -lengths[i], 0.085)));
    return Math.min(d, capsule(x, y, 0.36, 0.4, 0.6, 0.05, 0.09));
  }, litPaint(scene, hand.colour));
}

/** Draws all occluders of the image in a fixed order. */
export function drawAccessories(scene: Scene): void {
  drawCap(scene);
  drawGlasses(scene);
  drawMask(scene);
  drawHand(scene);
}
