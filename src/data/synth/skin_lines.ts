/**
 * Skin lines of an identity: thin darkenings of the skin albedo in face coordinates (nasolabial lines, lines under the
 * eyes, forehead lines and the frown lines between the brows), each a quadratic curve with its own strength. They are
 * fine, identity-bound detail in the face centre, where real faces carry it and a smooth height field does not.
 * @module
 */

/** One straight piece of a line, with the darkening at its centre. */
interface Segment {
  ax: number;
  ay: number;
  bx: number;
  by: number;
  strength: number;
}

/** An identity's skin lines, as straight pieces. */
export interface SkinLines {
  /** The pieces. */
  readonly segments: readonly Segment[];
}

/** Line strengths (albedo darkening at the line's centre, 0–1) and the face geometry they follow (face units). */
export interface SkinLineTraits {
  /** Nasolabial lines (nose wing to beyond the mouth corner). */
  nasolabialLine: number;
  /** Lines under the eyes. */
  underEyeLine: number;
  /** Two horizontal forehead lines. */
  foreheadLines: number;
  /** Two short vertical frown lines between the brows. */
  frownLines: number;
  /** Half the distance between the eye centres. */
  eyeSpacing: number;
  /** Half width of an eye. */
  eyeWidth: number;
  /** Brow height (negative: above the eyes). */
  browHeight: number;
  /** Nose length (eye line to tip). */
  noseLength: number;
  /** Nose half width. */
  noseWidth: number;
  /** Mouth height below the eye line. */
  mouthY: number;
  /** Mouth half width. */
  mouthWidth: number;
}

/** Standard deviation of a line's darkening across it (face units; about 0.7 px of the aligned crop). */
const LINE_SIGMA = 0.02;

/** Pieces of the quadratic Bézier a → c → b (c the control point), mirrored to both sides when `mirror`. */
function curve(
  out: Segment[],
  [ax, ay]: readonly [number, number],
  [cx, cy]: readonly [number, number],
  [bx, by]: readonly [number, number],
  strength: number,
  mirror: boolean,
): void {
  if (strength <= 0) return;
  const pieces = 4;
  const point = (t: number): [number, number] => [
    (1 - t) * (1 - t) * ax + 2 * t * (1 - t) * cx + t * t * bx,
    (1 - t) * (1 - t) * ay + 2 * t * (1 - t) * cy + t * t * by,
  ];
  for (const side of mirror ? [-1, 1] : [1]) {
    for (let k = 0; k < pieces; k++) {
      const [x0, y0] = point(k / pieces), [x1, y1] = point((k + 1) / pieces);
      out.push({ ax: side * x0, ay: y0, bx: side * x1, by: y1, strength });
    }
  }
}

/** Builds the skin lines of an identity from its traits. */
export function skinLinesOf(t: SkinLineTraits): SkinLines {
  const s: Segment[] = [];
  const wing = t.noseWidth * 0.9 + 0.03, corner = t.mouthWidth * 1.05 + 0.04;
  curve(
    s,
    [wing, t.noseLength - 0.02],
    [Math.max(wing, corner) + 0.06, (t.noseLength + t.mouthY) / 2],
    [corner, t.mouthY + 0.1],
    t.nasolabialLine,
    true,
  );
  const e = t.eyeSpacing, w = t.eyeWidth;
  curve(s, [e - 0.9 * w, 0.09], [e, 0.17], [e + w, 0.08], t.underEyeLine, true);
  for (const [k, dy] of [[1, 0.22], [0.7, 0.34]]) {
    const y = t.browHeight - dy;
    curve(s, [-0.45, y + 0.02], [0, y - 0.03], [0.45, y + 0.02], k * t.foreheadLines, false);
  }
  curve(s, [0.05, t.browHeight + 0.03], [0.07, t.browHeight - 0.05], [0.06, t.browHeight - 0.13], t.frownLines, true);
  return { segments: s };
}

/** Albedo factor in (0, 1] at face point (x, y): 1 − the strongest line's darkening there. */
export function skinLineFactor(lines: SkinLines, x: number, y: number): number {
  const reach = 3 * LINE_SIGMA;
  let dark = 0;
  for (const g of lines.segments) {
    if (x < Math.min(g.ax, g.bx) - reach || x > Math.max(g.ax, g.bx) + reach) continue;
    if (y < Math.min(g.ay, g.by) - reach || y > Math.max(g.ay, g.by) + reach) continue;
    const dx = g.bx - g.ax, dy = g.by - g.ay;
    const t = Math.min(1, Math.max(0, ((x - g.ax) * dx + (y - g.ay) * dy) / (dx * dx + dy * dy)));
    const ex = x - g.ax - t * dx, ey = y - g.ay - t * dy;
    dark = Math.max(dark, g.strength * Math.exp(-(ex * ex + ey * ey) / (2 * LINE_SIGMA * LINE_SIGMA)));
  }
  return 1 - dark;
}
