/**
 * The 3-D face of synthface v2: a height field z(x, y) in face units (x right, y down, z towards the viewer; origin
 * between the eyes) made of the head ellipsoid plus anisotropic Gaussian bumps and ridges whose amplitudes,
 * positions and widths are identity traits (nose bridge, tip and alae, brow ridge, eye sockets, cheekbones, cheek
 * hollows, nasolabial folds, lips, chin, forehead, temples, jaw).
 * @module
 */

/** One anisotropic Gaussian of the height field. */
export interface Bump {
  /** Centre in face units. */
  x: number;
  /** Centre in face units. */
  y: number;
  /** Standard deviation along the bump's own x axis. */
  sx: number;
  /** Standard deviation along the bump's own y axis. */
  sy: number;
  /** Cosine of the rotation of the bump's axes. */
  cos: number;
  /** Sine of the rotation of the bump's axes. */
  sin: number;
  /** Height at the centre (negative: a hollow). */
  amp: number;
}

/** An identity's height field: ellipsoid radii and centre, plus bumps. */
export interface Relief {
  /** Ellipsoid half width (face units). */
  rx: number;
  /** Ellipsoid half height. */
  ry: number;
  /** Ellipsoid centre height (y). */
  cy: number;
  /** Ellipsoid depth (z at its centre). */
  depth: number;
  /** The bumps. */
  bumps: Bump[];
}

/** Traits of an identity the relief is built from (face units; sizes and amplitudes as the v2 genes decode). */
export type ReliefTraits = Record<
  | "faceWidth"
  | "craniumHeight"
  | "chinY"
  | "jawWidth"
  | "eyeSpacing"
  | "noseLength"
  | "noseWidth"
  | "mouthY"
  | "mouthWidth"
  | "browHeight"
  | "faceDepth"
  | "noseBridge"
  | "noseTip"
  | "noseTipSize"
  | "noseHump"
  | "alae"
  | "browRidge"
  | "socketDepth"
  | "socketSize"
  | "cheekbone"
  | "cheekboneX"
  | "cheekboneY"
  | "cheekHollow"
  | "nasolabial"
  | "lipFullness"
  | "sulcus"
  | "chin"
  | "chinSize"
  | "forehead"
  | "temples"
  | "jaw",
  number
>;

/** Builds the height field of an identity from its traits. */
export function reliefOf(t: ReliefTraits): Relief {
  const bumps: Bump[] = [];
  const add = (x: number, y: number, sx: number, sy: number, amp: number, angle = 0) =>
    bumps.push({ x, y, sx, sy, cos: Math.cos(angle), sin: Math.sin(angle), amp });
  const both = (x: number, y: number, sx: number, sy: number, amp: number, angle = 0) => {
    add(-x, y, sx, sy, amp, -angle);
    add(x, y, sx, sy, amp, angle);
  };
  const L = t.noseLength;
  for (let k = 0; k < 4; k++) {
    const u = k / 3;
    const amp = t.noseBridge + (t.noseTip - t.noseBridge) * u * u + t.noseHump * Math.sin(Math.PI * u);
    add(0, 0.06 + u * (L - 0.12), 0.09 + 0.5 * t.noseWidth * u, 0.12, amp);
  }
  add(0, L - 0.03, t.noseTipSize, t.noseTipSize * 0.85, 0.35 * t.noseTip);
  both(0.75 * t.noseWidth, L - 0.02, 0.065, 0.05, t.alae);
  both(0.4, t.browHeight + 0.06, 0.24, 0.075, t.browRidge, 0.12);
  add(0, -0.13, 0.1, 0.1, 0.6 * t.browRidge);
  both(t.eyeSpacing, -0.01, 0.17 * t.socketSize, 0.12 * t.socketSize, -t.socketDepth);
  both(t.cheekboneX, t.cheekboneY, 0.2, 0.12, t.cheekbone, 0.45);
  both(0.62 * t.faceWidth, 0.92, 0.15, 0.17, -t.cheekHollow);
  const nx = t.noseWidth + 0.06, mx = t.mouthWidth * 1.08;
  both(
    (nx + mx) / 2,
    (L + t.mouthY) / 2,
    0.07,
    Math.hypot(mx - nx, t.mouthY - L) / 2,
    -t.nasolabial,
    -Math.atan2(mx - nx, t.mouthY - L),
  );
  add(0, t.mouthY - 0.04, 0.8 * t.mouthWidth, 0.05, t.lipFullness);
  add(0, t.mouthY + 0.06, 0.7 * t.mouthWidth, 0.055, 1.2 * t.lipFullness);
  add(0, t.mouthY + 0.2, 0.22, 0.06, -t.sulcus);
  add(0, t.chinY - 0.22, 0.2 * t.chinSize, 0.13 * t.chinSize, t.chin);
  add(0, -0.75, 0.5, 0.3, t.forehead);
  both(0.88 * t.faceWidth, -0.35, 0.14, 0.2, -t.temples);
  both(0.85 * t.jawWidth * t.faceWidth, t.chinY - 0.5, 0.14, 0.16, t.jaw);
  const top = -0.2 - t.craniumHeight;
  return {
    rx: t.faceWidth * 1.05,
    ry: ((t.chinY - top) / 2) * 1.05,
    cy: (t.chinY + top) / 2,
    depth: t.faceDepth,
    bumps,
  };
}

/** Height of the relief at face point (x, y). */
export function depthAt(r: Relief, x: number, y: number): number {
  const nx = x / r.rx, ny = (y - r.cy) / r.ry;
  // A smooth maximum of (1 − r²) and a small floor, so the rim of the ellipsoid has no crease.
  const inside = 1 - nx * nx - ny * ny;
  let z = r.depth * Math.sqrt((inside + 0.02 + Math.hypot(inside - 0.02, 0.08)) / 2);
  for (const b of r.bumps) {
    const dx = x - b.x, dy = y - b.y;
    const u = (dx * b.cos + dy * b.sin) / b.sx, v = (-dx * b.sin + dy * b.cos) / b.sy;
    const q = u * u + v * v;
    if (q < 16) z += b.amp * Math.exp(-0.5 * q);
  }
  return z;
}
