/**
 * Signed distance functions in a shape's local frame (negative inside), the building blocks of the synthetic face
 * renderer. Distances are in local units; the painter converts them to pixels for anti-aliased edges.
 * @module
 */

/** Approximate distance to the ellipse with radii (rx, ry) centred at the origin (Quílez's first-order form). */
export function ellipse(x: number, y: number, rx: number, ry: number): number {
  const k0 = Math.hypot(x / rx, y / ry);
  if (k0 === 0) return -Math.min(rx, ry);
  const k1 = Math.hypot(x / (rx * rx), y / (ry * ry));
  return (k0 * (k0 - 1)) / k1;
}

/** Distance to the circle of radius r centred at the origin. */
export function circle(x: number, y: number, r: number): number {
  return Math.hypot(x, y) - r;
}

/** Distance to the box with half sizes (hx, hy) and corner radius r, centred at the origin. */
export function roundedBox(x: number, y: number, hx: number, hy: number, r: number): number {
  const qx = Math.abs(x) - hx + r, qy = Math.abs(y) - hy + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/** Distance to the capsule of radius r around the segment (ax, ay)–(bx, by). */
export function capsule(x: number, y: number, ax: number, ay: number, bx: number, by: number, r: number): number {
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const h = Math.min(1, Math.max(0, (px * dx + py * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(px - dx * h, py - dy * h) - r;
}

/** Smooth union of two distances with blend radius k. */
export function smoothUnion(a: number, b: number, k: number): number {
  const h = Math.min(1, Math.max(0, 0.5 + (0.5 * (b - a)) / k));
  return b + (a - b) * h - k * h * (1 - h);
}

/** A shell of half thickness t around a shape (its outline). */
export function ring(d: number, t: number): number {
  return Math.abs(d) - t;
}
