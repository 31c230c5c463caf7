/**
 * Backgrounds of the raw images: a two-colour gradient plus random clutter (boxes, discs, bars).
 * @module
 */
import type { Rng } from "../../core/rng.ts";
import { type Canvas, frameOf } from "./canvas.ts";
import { capsule, circle, roundedBox } from "./sdf.ts";
import { randomColour } from "./nuisance.ts";

/** Paints the whole canvas: gradient, then `3–8 · difficulty` clutter shapes. */
export function drawBackground(canvas: Canvas, rng: Rng, difficulty: number): void {
  const top = randomColour(rng, 0.1, 0.9), bottom = randomColour(rng, 0.1, 0.9);
  const angle = rng.uniform(0, Math.PI);
  const ca = Math.cos(angle), sa = Math.sin(angle);
  const { width: w, height: h } = canvas;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const t = Math.min(1, Math.max(0, 0.5 + ((x / w - 0.5) * ca + (y / h - 0.5) * sa)));
      const i = 3 * (y * w + x);
      for (let c = 0; c < 3; c++) canvas.rgb[i + c] = top[c] + (bottom[c] - top[c]) * t;
    }
  }
  const count = Math.round(rng.uniform(3, 8) * difficulty);
  const image = frameOf([1, 0, 0, 0, 1, 0]);
  for (let k = 0; k < count; k++) {
    const kind = rng.int(3);
    const cx = rng.uniform(0, w), cy = rng.uniform(0, h), size = rng.uniform(0.05, 0.3) * w;
    const colour = randomColour(rng, 0.05, 0.95);
    const soft = rng.float() < 0.5 ? rng.uniform(1, 4) : 0;
    const angle2 = rng.uniform(0, Math.PI);
    const dx = Math.cos(angle2) * size, dy = Math.sin(angle2) * size;
    const sdf = kind === 0
      ? (x: number, y: number) => roundedBox(x - cx, y - cy, size, size * 0.6, size * 0.1)
      : kind === 1
      ? (x: number, y: number) => circle(x - cx, y - cy, size * 0.7)
      : (x: number, y: number) => capsule(x, y, cx - dx, cy - dy, cx + dx, cy + dy, size * 0.12);
    const r = size * 1.3;
    canvas.paint(image, [cx - r, cy - r, cx + r, cy + r], sdf, colour, { soft, opacity: rng.uniform(0.5, 1) });
  }
}
