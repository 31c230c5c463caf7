/**
 * BlazeFace's post-processing, written from the published description (V. Bazarevsky et al., "BlazeFace:
 * Sub-millisecond Neural Face Detection on Mobile GPUs", CVPR-W 2019, and MediaPipe's short-range face detection
 * graph, `mediapipe/modules/face_detection/face_detection_short_range.pbtxt` with its SSD anchor and tensors-to-
 * detections calculators): the anchor grid, decoding of the raw regressor and classifier heads into boxes and six
 * keypoints, and the weighted ("blending") non-maximum suppression that replaces greedy NMS. Pure math on typed
 * arrays; the network itself runs elsewhere (ONNX, see `src/bench/blazeface_landmarks.ts`).
 *
 * Coordinates are normalised to the square network input: (0, 0) top-left, (1, 1) bottom-right.
 * @module
 */

/** One feature map of the anchor grid: its stride in input pixels and the anchors at each cell. */
export interface AnchorLayer {
  /** input pixels per cell */
  stride: number;
  /** anchors per cell (all the same: unit size, centred in the cell) */
  anchorsPerCell: number;
}

/** The network's input side and anchor layout. */
export interface BlazeFaceConfig {
  /** square input side in pixels */
  inputSize: number;
  /** the feature maps, in the order the network's heads are concatenated */
  layers: readonly AnchorLayer[];
}

/**
 * The short-range ("front camera") model: 128×128 input, 16×16 cells with 2 anchors and 8×8 cells with 6 anchors
 * (MediaPipe's strides 8, 16, 16, 16 with equal strides merged): 512 + 384 = 896 anchors.
 */
export const BLAZEFACE_SHORT_RANGE: BlazeFaceConfig = {
  inputSize: 128,
  layers: [{ stride: 8, anchorsPerCell: 2 }, { stride: 16, anchorsPerCell: 6 }],
};

/** Values per anchor in the regressor head: box (cx, cy, w, h) then six keypoints (x, y). */
export const BLAZEFACE_COORDS = 16;

/** Keypoints per face, in the model's order. */
export const BLAZEFACE_KEYPOINTS = [
  "right eye (image left)",
  "left eye (image right)",
  "nose tip",
  "mouth centre",
  "right ear tragion",
  "left ear tragion",
] as const;

/** A point `[x, y]` in normalised input coordinates. */
export type NormalisedPoint = readonly [number, number];

/** A decoded face. */
export interface BlazeFaceDetection {
  /** probability of a face (sigmoid of the clipped logit) */
  score: number;
  /** box centre and size, normalised */
  box: { cx: number; cy: number; width: number; height: number };
  /** the six keypoints in {@link BLAZEFACE_KEYPOINTS} order, normalised */
  keypoints: readonly NormalisedPoint[];
}

/** Anchor centres `[x, y]` (normalised), one per anchor, in head order: layer, then row, column, anchor. */
export function blazeFaceAnchors(config: BlazeFaceConfig = BLAZEFACE_SHORT_RANGE): Float64Array {
  const count = anchorCounts(config).reduce((a, b) => a + b, 0);
  const centres = new Float64Array(2 * count);
  let k = 0;
  for (const { stride, anchorsPerCell } of config.layers) {
    const cells = Math.ceil(config.inputSize / stride);
    for (let y = 0; y < cells; y++) {
      for (let x = 0; x < cells; x++) {
        for (let a = 0; a < anchorsPerCell; a++) {
          centres[k++] = (x + 0.5) / cells;
          centres[k++] = (y + 0.5) / cells;
        }
      }
    }
  }
  return centres;
}

/** Anchors of each layer (cells² × anchors per cell). */
export function anchorCounts(config: BlazeFaceConfig = BLAZEFACE_SHORT_RANGE): number[] {
  return config.layers.map(({ stride, anchorsPerCell }) => Math.ceil(config.inputSize / stride) ** 2 * anchorsPerCell);
}

/** One output tensor of the network with its dims. */
export interface HeadTensor {
  /** values, row-major */
  data: Float32Array;
  /** dims, e.g. [1, 512, 16] */
  dims: readonly number[];
}

/** The classifier logits and regressor values of every anchor, in anchor order. */
export interface BlazeFaceHeads {
  /** one logit per anchor */
  scores: Float32Array;
  /** {@link BLAZEFACE_COORDS} values per anchor */
  regressors: Float32Array;
}

/**
 * Finds, for each anchor layer, the classifier output `[1, anchors, 1]` and the regressor output `[1, anchors, 16]`
 * among `outputs` (the converted model's output names carry no meaning, their dims do) and concatenates them in
 * layer order. `what` names the model in the error thrown when an output is missing.
 */
export function gatherHeads(
  outputs: readonly HeadTensor[],
  what: string,
  config: BlazeFaceConfig = BLAZEFACE_SHORT_RANGE,
): BlazeFaceHeads {
  const counts = anchorCounts(config), total = counts.reduce((a, b) => a + b, 0);
  const scores = new Float32Array(total), regressors = new Float32Array(total * BLAZEFACE_COORDS);
  let offset = 0;
  for (const count of counts) {
    const find = (depth: number) => {
      const found = outputs.find((o) => o.dims.join() === [1, count, depth].join());
      if (!found) {
        throw new Error(
          `${what}: no output of dims [1, ${count}, ${depth}] (got ${outputs.map((o) => `[${o.dims}]`).join(", ")}); ` +
            `expected the short-range BlazeFace model's heads`,
        );
      }
      return found.data;
    };
    scores.set(find(1), offset);
    regressors.set(find(BLAZEFACE_COORDS), offset * BLAZEFACE_COORDS);
    offset += count;
  }
  return { scores, regressors };
}

/** Options of {@link decodeBlazeFace}. */
export interface DecodeOptions {
  /** smallest face probability kept (default 0.5, MediaPipe's short-range setting) */
  minScore?: number;
  /** logits are clipped to ±this before the sigmoid (default 100, as MediaPipe) */
  scoreClip?: number;
}

/**
 * Every anchor whose face probability reaches `minScore`, decoded: the regressor's offsets are in input pixels
 * relative to the anchor centre (box centre and keypoints) or absolute (box size), so each is divided by the input
 * side and the anchor centre added (anchors have unit size, MediaPipe's `fixed_anchor_size`).
 */
export function decodeBlazeFace(
  heads: BlazeFaceHeads,
  options: DecodeOptions = {},
  config: BlazeFaceConfig = BLAZEFACE_SHORT_RANGE,
): BlazeFaceDetection[] {
  const anchors = blazeFaceAnchors(config);
  const count = anchors.length / 2;
  if (heads.scores.length !== count || heads.regressors.length !== count * BLAZEFACE_COORDS) {
    throw new RangeError(
      `decodeBlazeFace: ${count} anchors need ${count} scores and ${count * BLAZEFACE_COORDS} regressor values, ` +
        `got ${heads.scores.length} and ${heads.regressors.length}`,
    );
  }
  const minScore = options.minScore ?? 0.5, clip = options.scoreClip ?? 100, s = config.inputSize;
  const out: BlazeFaceDetection[] = [];
  for (let k = 0; k < count; k++) {
    const logit = Math.min(clip, Math.max(-clip, heads.scores[k]));
    const score = 1 / (1 + Math.exp(-logit));
    if (!(score >= minScore)) continue;
    const r = heads.regressors.subarray(k * BLAZEFACE_COORDS, (k + 1) * BLAZEFACE_COORDS);
    const [ax, ay] = [anchors[2 * k], anchors[2 * k + 1]];
    const keypoints = Array.from(
      { length: BLAZEFACE_KEYPOINTS.length },
      (_, p): NormalisedPoint => [r[4 + 2 * p] / s + ax, r[5 + 2 * p] / s + ay],
    );
    out.push({ score, box: { cx: r[0] / s + ax, cy: r[1] / s + ay, width: r[2] / s, height: r[3] / s }, keypoints });
  }
  return out;
}

/** Intersection over union of two boxes (centre/size form). */
export function boxIou(a: BlazeFaceDetection["box"], b: BlazeFaceDetection["box"]): number {
  const ix = Math.min(a.cx + a.width / 2, b.cx + b.width / 2) - Math.max(a.cx - a.width / 2, b.cx - b.width / 2);
  const iy = Math.min(a.cy + a.height / 2, b.cy + b.height / 2) - Math.max(a.cy - a.height / 2, b.cy - b.height / 2);
  const inter = Math.max(ix, 0) * Math.max(iy, 0);
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Weighted non-maximum suppression (MediaPipe's `WEIGHTED` algorithm): take the most confident remaining detection,
 * gather every remaining one whose IoU with it exceeds `threshold` (itself included), and output their
 * score-weighted mean box and keypoints with the leader's score; repeat until none remain. Most confident first;
 * equal scores keep input order.
 */
export function weightedNms(detections: readonly BlazeFaceDetection[], threshold = 0.3): BlazeFaceDetection[] {
  const byScore = detections.map((d, i) => ({ d, i })).sort((a, b) => b.d.score - a.d.score || a.i - b.i);
  let remaining = byScore.map((e) => e.d);
  const out: BlazeFaceDetection[] = [];
  while (remaining.length > 0) {
    const leader = remaining[0];
    const cluster = remaining.filter((d) => d === leader || boxIou(leader.box, d.box) > threshold);
    remaining = remaining.filter((d) => !cluster.includes(d));
    const total = cluster.reduce((s, d) => s + d.score, 0);
    const mean = (pick: (d: BlazeFaceDetection) => number) =>
      cluster.reduce((s, d) => s + d.score * pick(d), 0) / total;
    const box = {
      cx: mean((d) => d.box.cx),
      cy: mean((d) => d.box.cy),
      width: mean((d) => d.box.width),
      height: mean((d) => d.box.height),
    };
    const keypoint = (p: number): NormalisedPoint => [mean((d) => d.keypoints[p][0]), mean((d) => d.keypoints[p][1])];
    out.push({ score: leader.score, box, keypoints: leader.keypoints.map((_, p) => keypoint(p)) });
  }
  return out;
}
