/**
 * Head parts of a synthetic face: back hair, neck and clothes, ears, the face outline with skin colour and blush,
 * skin marks, facial hair and the hair on top.
 * @module
 */
import type { Rgb } from "./canvas.ts";
import { ellipse, roundedBox, smoothUnion } from "./sdf.ts";
import { mix, scaled } from "./palette.ts";
import { featureFrame, type Scene } from "./scene.ts";

/** Signed distance to the face outline (cranium, cheeks and jaw) in face units. */
export function headSdf(scene: Scene, x: number, y: number): number {
  const p = scene.id;
  const cranium = ellipse(x, y + 0.2, p.faceWidth, p.craniumHeight);
  const cheeks = ellipse(x, y - 0.35, p.faceWidth * p.cheekWidth, 0.75);
  const jaw = ellipse(x, y - 0.55, p.faceWidth * p.jawWidth, p.chinY - 0.55);
  return smoothUnion(smoothUnion(cranium, cheeks, 0.2), jaw, 0.3);
}

/** Local box enclosing the head. */
function headBox(scene: Scene, margin: number): [number, number, number, number] {
  const p = scene.id;
  return [-p.faceWidth - margin, -0.2 - p.craniumHeight - margin, p.faceWidth + margin, p.chinY + margin];
}

/** Hair colour with a strand texture. */
function hairPaint(scene: Scene): (x: number, y: number, out: Rgb) => void {
  const base = scaled(scene.id.hairRgb, scene.n.hairGain);
  return (x, y, out) => {
    const k = 0.92 + 0.08 * Math.sin(70 * x + 4 * Math.sin(7 * y));
    out[0] = base[0] * k, out[1] = base[1] * k, out[2] = base[2] * k;
  };
}

/** Long hair falling behind the head, and a little back volume for side-part hair. */
export function drawBackHair(scene: Scene): void {
  const p = scene.id;
  if (p.hairStyle !== "long" && p.hairStyle !== "sidePart") return;
  const bottom = p.hairStyle === "long" ? p.chinY + 0.9 : 0.6;
  const top = -0.2 - p.craniumHeight - p.hairVolume;
  const cy = (top + bottom) / 2, hy = (bottom - top) / 2, hx = p.faceWidth + p.hairVolume + 0.08;
  const frame = featureFrame(scene, 0, cy, -0.3);
  scene.canvas.paint(frame, [-hx, -hy, hx, hy], (x, y) => roundedBox(x, y, hx, hy, 0.55), hairPaint(scene), {
    skin: 0,
  });
}

/** Neck and the clothes on the shoulders. */
export function drawNeckAndClothes(scene: Scene): void {
  const p = scene.id;
  const neck = featureFrame(scene, 0, p.chinY + 0.3, -0.3);
  const hw = p.faceWidth * 0.52;
  scene.canvas.paint(neck, [-hw, -0.8, hw, 0.8], (x, y) => roundedBox(x, y, hw, 0.75, 0.15), scaled(p.skinRgb, 0.82), {
    skin: 1,
  });
  const body = featureFrame(scene, 0, p.chinY + 1.5, -0.4);
  const n = scene.n;
  scene.canvas.paint(body, [-2.4, -1, 2.4, 1], (x, y) => ellipse(x, y, p.faceWidth * 2.2, 0.9), (x, _y, out) => {
    const k = 0.8 + 0.2 * Math.cos(x * 1.2);
    out[0] = n.clothes[0] * k, out[1] = n.clothes[1] * k, out[2] = n.clothes[2] * k;
  }, { skin: 0 });
}

/** Both ears, behind the face outline. */
export function drawEars(scene: Scene): void {
  const p = scene.id;
  for (const side of [-1, 1]) {
    const frame = featureFrame(scene, side * p.faceWidth * 0.96, p.earY + 0.2, -0.45);
    const rx = 0.15 * p.earSize, ry = 0.27 * p.earSize;
    scene.canvas.paint(frame, [-rx, -ry, rx, ry], (x, y) => ellipse(x, y, rx, ry), scaled(p.skinRgb, 0.93), {
      skin: 1,
    });
    scene.canvas.paint(
      frame,
      [-rx, -ry, rx, ry],
      (x, y) => ellipse(x - side * 0.03, y, rx * 0.5, ry * 0.62),
      scaled(p.skinRgb, 0.7),
      { soft: 0.03, opacity: 0.7 },
    );
  }
}

/** The face outline in skin colour with cheek blush, then moles and freckles. */
export function drawFace(scene: Scene): void {
  const p = scene.id;
  const skin = p.skinRgb;
  const blush = mix(skin, [0.85, 0.35, 0.35], 0.5);
  const rosy = 0.35 * p.rosiness;
  scene.canvas.paint(scene.face, headBox(scene, 0.05), (x, y) => headSdf(scene, x, y), (x, y, out) => {
    const dx = Math.abs(x) - 0.52, dy = y - 0.6;
    const w = rosy * Math.exp(-(dx * dx + dy * dy) / 0.05);
    out[0] = skin[0] + (blush[0] - skin[0]) * w;
    out[1] = skin[1] + (blush[1] - skin[1]) * w;
    out[2] = skin[2] + (blush[2] - skin[2]) * w;
  }, { skin: 1 });
  for (const mark of p.marks) {
    const frame = featureFrame(scene, mark.x, mark.y, 0.45);
    scene.canvas.paint(frame, [-mark.r, -mark.r, mark.r, mark.r], (x, y) => Math.hypot(x, y) - mark.r, mark.colour, {
      opacity: 0.85,
    });
  }
}

/** Stubble, moustache, goatee or full beard. */
export function drawBeard(scene: Scene): void {
  const p = scene.id;
  if (p.beard === "none") return;
  const hair = hairPaint(scene);
  if (p.beard === "stubble" || p.beard === "full") {
    const full = p.beard === "full";
    const top = p.noseLength + (full ? 0.3 : 0.12);
    scene.canvas.paint(
      scene.face,
      headBox(scene, 0.1),
      (x, y) => Math.max(headSdf(scene, x, y) - (full ? 0.06 : 0), top - y, Math.abs(x) - p.faceWidth * 0.95),
      hair,
      { opacity: full ? 0.85 : 0.32, soft: full ? 0.04 : 0.08 },
    );
  }
  if (p.beard === "goatee") {
    const frame = featureFrame(scene, 0, p.mouthY + 0.32, 0.55);
    scene.canvas.paint(frame, [-0.25, -0.3, 0.25, 0.3], (x, y) => ellipse(x, y, 0.17, 0.22), hair, { opacity: 0.9 });
  }
  if (p.beard !== "stubble") {
    const frame = featureFrame(scene, 0, p.mouthY - p.upperLip - 0.05, 0.65);
    const hw = p.mouthWidth * 1.1;
    scene.canvas.paint(
      frame,
      [-hw, -0.1, hw, 0.1],
      (x, y) => ellipse(x, y - 0.04 * (x / hw) ** 2, hw, 0.045),
      hair,
      { opacity: 0.9, soft: 0.01 },
    );
  }
}

/** Height of the hairline at face x, per style. */
function hairlineAt(scene: Scene, x: number): number {
  const p = scene.id;
  const edge = Math.min(1, Math.abs(x) / p.faceWidth) ** 3;
  const side = 0.1 + 0.2 * (p.hairStyle === "long" ? 1 : 0);
  switch (p.hairStyle) {
    case "bangs":
      return p.hairline + 0.32 + 0.035 * Math.sin(38 * x) + (side - p.hairline - 0.32) * edge;
    case "sidePart":
      return p.hairline + 0.1 * p.partSide * x + (side - p.hairline) * edge;
    default:
      return p.hairline + (side - p.hairline) * edge;
  }
}

/** Hair on top of the head (none for "bald"; thin and skin-blended for "buzz"). */
export function drawTopHair(scene: Scene): void {
  const p = scene.id;
  if (p.hairStyle === "bald") return;
  const volume = p.hairStyle === "buzz" ? 0.015 : p.hairVolume;
  const rx = p.faceWidth + volume, ry = p.craniumHeight + volume;
  scene.canvas.paint(
    scene.face,
    [-rx - 0.05, -0.2 - ry - 0.05, rx + 0.05, 0.8],
    (x, y) => Math.max(ellipse(x, y + 0.2, rx, ry), y - hairlineAt(scene, x)),
    hairPaint(scene),
    { skin: 1, opacity: p.hairStyle === "buzz" ? 0.55 : 1, soft: p.hairStyle === "buzz" ? 0.02 : 0 },
  );
}
