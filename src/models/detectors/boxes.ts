/**
 * Box arithmetic of the MTCNN pipeline, as the PyTorch port's `box_utils.py` does it: boxes are inclusive pixel
 * rectangles (width = x2 − x1 + 1), non-maximum suppression in "union" (IoU) or "min" mode, calibration by the
 * regressed offsets, squaring, and P-Net's window-to-box mapping. Pure math on numbers.
 * @module
 */

/** A scored box, corners inclusive, in image pixels. */
export interface Box {
  /** left */
  x1: number;
  /** top */
  y1: number;
  /** right (inclusive) */
  x2: number;
  /** bottom (inclusive) */
  y2: number;
  /** face probability */
  score: number;
}

/** Regression offsets (dx1, dy1, dx2, dy2) as fractions of the box width and height. */
export type Offsets = readonly [number, number, number, number];

/** How NMS measures overlap: intersection over union, or over the smaller area. */
export type NmsMode = "union" | "min";

function area(b: Box): number {
  return (b.x2 - b.x1 + 1) * (b.y2 - b.y1 + 1);
}

/** Overlap of two boxes in the given mode (the port's +1 pixel convention). */
export function overlap(a: Box, b: Box, mode: NmsMode): number {
  const w = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) + 1);
  const h = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) + 1);
  const inter = w * h;
  return inter / (mode === "min" ? Math.min(area(a), area(b)) : area(a) + area(b) - inter);
}

/**
 * Greedy non-maximum suppression: repeatedly keeps the highest-scoring remaining box and drops every box whose
 * overlap with it exceeds `threshold`. Returns the kept indices, best first; equal scores keep the lower index first.
 */
export function nms(boxes: readonly Box[], threshold: number, mode: NmsMode = "union"): number[] {
  const order = boxes.map((_, i) => i).sort((a, b) => boxes[b].score - boxes[a].score || a - b);
  const removed = new Uint8Array(boxes.length);
  const keep: number[] = [];
  for (let p = 0; p < order.length; p++) {
    const i = order[p];
    if (removed[i]) continue;
    keep.push(i);
    for (let q = p + 1; q < order.length; q++) {
      const j = order[q];
      if (!removed[j] && overlap(boxes[i], boxes[j], mode) > threshold) removed[j] = 1;
    }
  }
  return keep;
}

/** Moves each corner by its offset times the box width (x) or height (y). */
export function calibrateBox(b: Box, [dx1, dy1, dx2, dy2]: Offsets): Box {
  const w = b.x2 - b.x1 + 1, h = b.y2 - b.y1 + 1;
  return { x1: b.x1 + dx1 * w, y1: b.y1 + dy1 * h, x2: b.x2 + dx2 * w, y2: b.y2 + dy2 * h, score: b.score };
}

/** The square of side max(width, height) with the same centre. */
export function squareBox(b: Box): Box {
  const w = b.x2 - b.x1 + 1, h = b.y2 - b.y1 + 1, side = Math.max(w, h);
  const x1 = b.x1 + w * 0.5 - side * 0.5, y1 = b.y1 + h * 0.5 - side * 0.5;
  return { x1, y1, x2: x1 + side - 1, y2: y1 + side - 1, score: b.score };
}

/** Rounds half to even, as `np.round`. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Corners rounded to whole pixels (`np.round`). */
export function roundBox(b: Box): Box {
  return {
    x1: roundHalfEven(b.x1),
    y1: roundHalfEven(b.y1),
    x2: roundHalfEven(b.x2),
    y2: roundHalfEven(b.y2),
    score: b.score,
  };
}

/** The stage-to-stage step of the port: calibrate, square, round. */
export function refineBox(b: Box, offsets: Offsets): Box {
  return roundBox(squareBox(calibrateBox(b, offsets)));
}

/**
 * The image box of P-Net output cell (row, col) at pyramid `scale`: the 12×12 window at stride 2, mapped back
 * to the original image and rounded (the port's `_generate_bboxes`, including its +1).
 */
export function windowBox(row: number, col: number, scale: number, score: number): Box {
  const stride = 2, cell = 12;
  return {
    x1: roundHalfEven((stride * col + 1) / scale),
    y1: roundHalfEven((stride * row + 1) / scale),
    x2: roundHalfEven((stride * col + 1 + cell) / scale),
    y2: roundHalfEven((stride * row + 1 + cell) / scale),
    score,
  };
}
