/**
 * MTCNN face detection with 5 landmarks, run the way face.evoLVe's `applications/align/detector.py` (the common
 * PyTorch port) runs it: an image pyramid (minimum face 20 px, factor 0.707) scanned by P-Net on its 12×12-window,
 * stride-2 grid (threshold 0.6, NMS 0.5 within each scale, 0.7 over all scales); boxes calibrated by the regression,
 * squared and rounded; R-Net on 24×24 crops (0.7, NMS 0.7); O-Net on 48×48 crops (0.8), its 10 landmark numbers
 * (5 x then 5 y, fractions of the box) mapped to pixels, a final calibration and NMS 0.7 in "min" mode. Crops are
 * cut with zero fill outside the image and resized like Pillow's bilinear `resize` (see resize.ts). Input pixels
 * are RGB (grey replicated, alpha dropped), scaled as (v − 127.5) × 0.0078125.
 * @module
 */
import { type Box, calibrateBox, nms, type NmsMode, type Offsets, refineBox, windowBox } from "./boxes.ts";
import { type MtcnnNet, type MtcnnNets, runMtcnnNet } from "./mtcnn_nets.ts";
import { type PixelImage, resizeBilinear } from "./resize.ts";

/** Version of the detection pipeline; bump when its results change (it names landmark caches). */
export const MTCNN_VERSION = 2;

/** A 2-D point `[x, y]` in pixels. */
export type Point2 = readonly [number, number];

/** One detected face: its calibrated box and 5 landmarks (eye, eye, nose, mouth corner, mouth corner; image-left first). */
export interface FaceDetection {
  /** box in image pixels, with O-Net's face probability as score */
  box: Box;
  /** five points in template order (structurally the data layer's `Landmarks`) */
  landmarks: readonly [Point2, Point2, Point2, Point2, Point2];
}

/** Detector settings; the defaults are face.evoLVe's `detect_faces`. */
export interface MtcnnOptions {
  /** smallest face side searched for, pixels (default 20) */
  minFaceSize?: number;
  /** pyramid scale step (default 0.707) */
  factor?: number;
  /** face-probability thresholds of P-, R- and O-Net (default 0.6, 0.7, 0.8) */
  thresholds?: readonly [number, number, number];
  /** NMS overlap thresholds after each stage (default 0.7 each; the last in "min" mode) */
  nmsThresholds?: readonly [number, number, number];
}

const DEFAULTS: Required<MtcnnOptions> = {
  minFaceSize: 20,
  factor: 0.707,
  thresholds: [0.6, 0.7, 0.8],
  nmsThresholds: [0.7, 0.7, 0.7],
};

/** NMS threshold that the port applies within each pyramid scale. */
const PER_SCALE_NMS = 0.5;

/** Pyramid scales: 12 / minFaceSize, then × factor while the scaled short side stays above 12 px. */
export function pyramidScales(width: number, height: number, minFaceSize = 20, factor = 0.707): number[] {
  const m = 12 / minFaceSize;
  const scales: number[] = [];
  for (let side = Math.min(width, height) * m, s = m; side > 12; side *= factor, s *= factor) scales.push(s);
  return scales;
}

/** Pixels of an 8-bit image as a normalised RGB float batch item [H, W, 3], appended at `offset`. */
function normalizeInto(image: PixelImage, out: Float32Array, offset: number): void {
  const { width, height, channels: ch, data } = image;
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) out[offset + 3 * i + c] = (data[i * ch + (ch < 3 ? 0 : c)] - 127.5) * 0.0078125;
  }
}

/** The box's pixels (inclusive corners, integer after rounding), zero outside the image (the port's `correct_bboxes`). */
export function cropBox(image: PixelImage, b: Box): PixelImage {
  const w = b.x2 - b.x1 + 1, h = b.y2 - b.y1 + 1, ch = image.channels;
  const out: PixelImage = { width: w, height: h, channels: ch, data: new Uint8Array(w * h * ch) };
  for (let y = Math.max(0, -b.y1); y < Math.min(h, image.height - b.y1); y++) {
    const x0 = Math.max(0, -b.x1), x1 = Math.min(w, image.width - b.x1);
    if (x1 <= x0) break;
    const src = ((b.y1 + y) * image.width + b.x1 + x0) * ch;
    out.data.set(image.data.subarray(src, src + (x1 - x0) * ch), (y * w + x0) * ch);
  }
  return out;
}

/** The items whose boxes survive NMS, best first. */
function suppress<T extends { box: Box }>(items: readonly T[], threshold: number, mode: NmsMode = "union"): T[] {
  return nms(items.map((s) => s.box), threshold, mode).map((i) => items[i]);
}

/** The 4 regression offsets of item `i`. */
function offsetsAt(values: Float32Array, i: number): Offsets {
  return [values[4 * i], values[4 * i + 1], values[4 * i + 2], values[4 * i + 3]];
}

/** P-Net over one pyramid level: candidate boxes above `threshold` with their offsets, NMS 0.5 within the level. */
async function proposeAtScale(
  pnet: MtcnnNet,
  image: PixelImage,
  scale: number,
  threshold: number,
): Promise<{ box: Box; offsets: Offsets }[]> {
  const w = Math.ceil(image.width * scale), h = Math.ceil(image.height * scale);
  if (w < 12 || h < 12) return [];
  const input = new Float32Array(w * h * 3);
  normalizeInto(resizeBilinear(image, w, h), input, 0);
  const out = await runMtcnnNet(pnet, input, [1, h, w, 3]);
  const [, rows, cols] = out.shape;
  const found: { box: Box; offsets: Offsets }[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c, p = out.probs[2 * i + 1];
      if (p > threshold) {
        found.push({ box: windowBox(r, c, scale, p), offsets: offsetsAt(out.offsets, i) });
      }
    }
  }
  return suppress(found, PER_SCALE_NMS);
}

/** Stage 1: every pyramid level, NMS over all, then calibrate, square and round. */
async function stage1(nets: MtcnnNets, image: PixelImage, o: Required<MtcnnOptions>): Promise<Box[]> {
  const found: { box: Box; offsets: Offsets }[] = [];
  for (const s of pyramidScales(image.width, image.height, o.minFaceSize, o.factor)) {
    found.push(...(await proposeAtScale(nets.pnet, image, s, o.thresholds[0])));
  }
  return suppress(found, o.nmsThresholds[0]).map((f) => refineBox(f.box, f.offsets));
}

/** Outputs of R-Net or O-Net for a batch of boxes, per box. */
interface Scored {
  box: Box;
  offsets: Offsets;
  landmarks: Float32Array | null;
}

/** Crops every box, resizes to the net's input size and keeps boxes whose face probability exceeds `threshold`. */
async function scoreCrops(
  net: MtcnnNet,
  image: PixelImage,
  boxes: readonly Box[],
  threshold: number,
): Promise<Scored[]> {
  const size = net.inputSize, item = size * size * 3;
  const valid = boxes.filter((b) => b.x2 >= b.x1 && b.y2 >= b.y1);
  if (valid.length === 0) return [];
  const input = new Float32Array(valid.length * item);
  valid.forEach((b, n) => normalizeInto(resizeBilinear(cropBox(image, b), size, size), input, n * item));
  const out = await runMtcnnNet(net, input, [valid.length, size, size, 3]);
  const kept: Scored[] = [];
  valid.forEach((b, n) => {
    const p = out.probs[2 * n + 1];
    if (!(p > threshold)) return;
    kept.push({
      box: { ...b, score: p },
      offsets: offsetsAt(out.offsets, n),
      landmarks: out.landmarks ? out.landmarks.subarray(10 * n, 10 * n + 10) : null,
    });
  });
  return kept;
}

/** O-Net's 10 numbers (fractions of the box before calibration) as 5 pixel points. */
function landmarkPoints(b: Box, marks: Float32Array): FaceDetection["landmarks"] {
  const w = b.x2 - b.x1 + 1, h = b.y2 - b.y1 + 1;
  const point = (k: number): Point2 => [b.x1 + w * marks[k], b.y1 + h * marks[k + 5]];
  return [point(0), point(1), point(2), point(3), point(4)];
}

/** Detects faces; returns them most confident first (empty when none passes all three stages). */
export async function detectFaces(
  nets: MtcnnNets,
  image: PixelImage,
  options: MtcnnOptions = {},
): Promise<FaceDetection[]> {
  const o = { ...DEFAULTS, ...options };
  const proposals = await stage1(nets, image, o);
  const refined = suppress(await scoreCrops(nets.rnet, image, proposals, o.thresholds[1]), o.nmsThresholds[1])
    .map((s) => refineBox(s.box, s.offsets));
  const faces: FaceDetection[] = (await scoreCrops(nets.onet, image, refined, o.thresholds[2])).map((s) => ({
    box: calibrateBox(s.box, s.offsets),
    landmarks: landmarkPoints(s.box, s.landmarks!),
  }));
  return suppress(faces, o.nmsThresholds[2], "min");
}
