/**
 * Background and camera of synthface v2: muted, often plain and dark backgrounds; exposure set on the lit skin,
 * greyscale or desaturated colour with a cast, JPEG-like 8×8 blocking, and a raw frame narrower than the canvas.
 * @module
 */
import type { Rng } from "../../../core/rng.ts";
import { type Canvas, frameOf } from "../canvas.ts";
import type { Image } from "../../image/image.ts";
import { circle, roundedBox } from "../sdf.ts";
import type { NuisanceV2 } from "./nuisance.ts";
import { mutedColour } from "./nuisance.ts";

/** Paints the background: plain (45%) or a muted two-colour gradient, sometimes with faint soft shapes. */
export function drawBackgroundV2(canvas: Canvas, rng: Rng): void {
  const plain = rng.float() < 0.45;
  const top = mutedColour(rng, 0.02, plain ? 0.35 : 0.7, 0.25);
  const bottom = plain ? top : mutedColour(rng, 0.02, 0.7, 0.25);
  const angle = rng.uniform(0, Math.PI), ca = Math.cos(angle), sa = Math.sin(angle);
  const { width: w, height: h } = canvas;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const t = Math.min(1, Math.max(0, 0.5 + ((x / w - 0.5) * ca + (y / h - 0.5) * sa)));
      for (let c = 0; c < 3; c++) canvas.rgb[3 * (y * w + x) + c] = top[c] + (bottom[c] - top[c]) * t;
    }
  }
  const shapes = plain ? 0 : rng.int(4);
  const image = frameOf([1, 0, 0, 0, 1, 0]);
  for (let k = 0; k < shapes; k++) {
    const cx = rng.uniform(0, w), cy = rng.uniform(0, h), size = rng.uniform(0.1, 0.35) * w;
    const colour = mutedColour(rng, 0.05, 0.8, 0.2);
    const round = rng.float() < 0.5;
    const sdf = (x: number, y: number) =>
      round ? circle(x - cx, y - cy, size * 0.7) : roundedBox(x - cx, y - cy, size, size * 0.6, size * 0.1);
    const r = size * 1.3;
    canvas.paint(image, [cx - r, cy - r, cx + r, cy + r], sdf, colour, { soft: 4, opacity: rng.uniform(0.15, 0.45) });
  }
}

/** Sets the exposure on the lit skin, applies the colour cast and the saturation (0 for greyscale). */
export function develop(canvas: Canvas, n: NuisanceV2): void {
  let sum = 0, weight = 0;
  for (let i = 0; i < canvas.skin.length; i++) {
    const s = canvas.skin[i];
    sum += s * (0.299 * canvas.rgb[3 * i] + 0.587 * canvas.rgb[3 * i + 1] + 0.114 * canvas.rgb[3 * i + 2]);
    weight += s;
  }
  const gain = Math.min(2.5, Math.max(0.5, n.exposure / Math.max(1e-3, sum / Math.max(1, weight))));
  const saturation = n.grey ? 0 : n.saturation;
  for (let i = 0; i < canvas.skin.length; i++) {
    const r = canvas.rgb[3 * i] * n.cast[0],
      g = canvas.rgb[3 * i + 1] * n.cast[1],
      b = canvas.rgb[3 * i + 2] * n.cast[2];
    const l = 0.299 * r + 0.587 * g + 0.114 * b;
    canvas.rgb[3 * i] = gain * (l + (r - l) * saturation);
    canvas.rgb[3 * i + 1] = gain * (l + (g - l) * saturation);
    canvas.rgb[3 * i + 2] = gain * (l + (b - l) * saturation);
  }
}

/**
 * Camera artefacts on the quantised image, in place: greyscale images get equal channels (sensor noise included),
 * blocking blends each 8×8 block towards its mean, and pixels beyond the raw frame (|x − cx| > frame · scale)
 * become black.
 */
export function cameraArtefacts(image: Image, n: NuisanceV2): void {
  const { width: w, height: h, data } = image;
  if (n.grey) {
    for (let i = 0; i < w * h; i++) {
      const l = Math.round(0.299 * data[3 * i] + 0.587 * data[3 * i + 1] + 0.114 * data[3 * i + 2]);
      data[3 * i] = data[3 * i + 1] = data[3 * i + 2] = l;
    }
  }
  if (n.blocking > 0) {
    for (let by = 0; by < h; by += 8) {
      for (let bx = 0; bx < w; bx += 8) {
        for (let c = 0; c < 3; c++) {
          let sum = 0, count = 0;
          for (let y = by; y < Math.min(h, by + 8); y++) {
            for (let x = bx; x < Math.min(w, bx + 8); x++) sum += data[3 * (y * w + x) + c], count++;
          }
          const mean = sum / count;
          for (let y = by; y < Math.min(h, by + 8); y++) {
            for (let x = bx; x < Math.min(w, bx + 8); x++) {
              const k = 3 * (y * w + x) + c;
              data[k] = Math.round(data[k] + (mean - data[k]) * n.blocking);
            }
          }
        }
      }
    }
  }
  if (n.frame !== null) {
    const half = n.frame * n.scale;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) if (Math.abs(x - n.cx) > half) data.fill(0, 3 * (y * w + x), 3 * (y * w + x) + 3);
    }
  }
}
