/**
 * External ONNX face models as reference rows: the model's input convention (layout, channel order, size,
 * normalisation), the test images of an evaluation set converted to it, embeddings from onnxruntime-web with the
 * bench's flip fusion, and the reference row scored with the bench's own metrics on the same pairs as the cells.
 * Used by `deno task eval --onnx` and by a preset's `onnxReferences`.
 * @module
 */
import { z } from "zod";
import { similarity, warpAffine } from "../data/align.ts";
import type { FaceSet } from "../data/dataset.ts";
import { type Embeddings, embedWithFlip } from "../eval/extract.ts";
import { nhwcToNchw } from "../models/onnx/parity.ts";
import { type OnnxModel, openOnnxModel, runOnnxBatch } from "../models/onnx/runtime.ts";
import { host } from "../io/host.ts";
import type { Reference } from "../report/schema.ts";
import { type BenchEvalSet, referenceRow } from "./eval_sets.ts";
import { testMetrics } from "./evaluate_model.ts";
import type { Preset } from "./presets.ts";

const perChannel = z.union([z.number(), z.array(z.number()).length(3)]);

/**
 * How an external ONNX model wants its images: `layout` of the input tensor, `channels` order, square `size` (test
 * images are resized bilinearly when they differ), and `(pixel − mean) / std` on 0–255 values, one number or one
 * per channel in the model's channel order.
 */
export const onnxInputSchema = z.object({
  layout: z.enum(["NCHW", "NHWC"]).default("NCHW"),
  channels: z.enum(["RGB", "BGR"]).default("RGB"),
  size: z.number().int().positive().default(112),
  mean: perChannel.default(127.5),
  std: perChannel.refine((s) => [s].flat().every((v) => v > 0), "std must be > 0").default(127.5),
}).strict();

/** An external ONNX model listed in a preset (`onnxReferences`): its row name, file and input convention. */
export const onnxReferenceSchema = onnxInputSchema.extend({
  /** the row's name: the report key is "onnx:NAME" */
  name: z.string().regex(/^[A-Za-z0-9._-]+$/, "letters, digits, '.', '_' or '-'"),
  /** the .onnx file */
  path: z.string().min(1),
}).strict();

/** A model's input convention (defaults applied). */
export type OnnxInput = z.infer<typeof onnxInputSchema>;
/** A preset's external ONNX model (defaults applied). */
export type OnnxReferenceSpec = z.infer<typeof onnxReferenceSchema>;

const triple = (v: number | readonly number[]): number[] => typeof v === "number" ? [v, v, v] : [...v];

/** The square test images resized to `size` × `size` when they are not already (bilinear, pixel centres aligned). */
function resizedImages(test: FaceSet, size: number): Uint8Array {
  if (test.width === size && test.height === size) return test.images;
  if (test.width !== test.height) {
    throw new RangeError(`ONNX input: test images are ${test.width}×${test.height}, only square images are resized`);
  }
  const per = test.width * test.height * 3, out = new Uint8Array(test.count * size * size * 3);
  const scale = size / test.width, m = similarity(scale, 0, (scale - 1) / 2, (scale - 1) / 2);
  for (let n = 0; n < test.count; n++) {
    const image = {
      width: test.width,
      height: test.height,
      channels: 3 as const,
      data: test.images.subarray(n * per, (n + 1) * per),
    };
    out.set(warpAffine(image, m, size, size).data, n * size * size * 3);
  }
  return out;
}

/**
 * The test images of `test` as the model's input, NHWC float32 in the model's channel order and normalisation
 * (the layout change to NCHW happens per batch, see {@link toModelLayout}).
 */
export function modelInputImages(test: FaceSet, input: OnnxInput): Float32Array {
  const pixels = resizedImages(test, input.size);
  const mean = triple(input.mean), std = triple(input.std);
  const order = input.channels === "RGB" ? [0, 1, 2] : [2, 1, 0];
  const out = new Float32Array(pixels.length);
  for (let p = 0; p < pixels.length; p += 3) {
    for (let c = 0; c < 3; c++) out[p + c] = (pixels[p + order[c]] - mean[c]) / std[c];
  }
  return out;
}

/** NHWC `[n, s, s, 3]` → the model's layout (a copy for NCHW, the same array for NHWC). */
export function toModelLayout(nhwc: Float32Array, n: number, size: number, layout: OnnxInput["layout"]): Float32Array {
  return layout === "NHWC" ? nhwc : nhwcToNchw(nhwc, [n, size, size, 3]);
}

/** The input dims the convention gives for a batch of `n`. */
export function modelInputDims(n: number, input: OnnxInput): number[] {
  return input.layout === "NCHW" ? [n, 3, input.size, input.size] : [n, input.size, input.size, 3];
}

/**
 * Null when the model's declared input accepts the convention's dims (symbolic dims accept any size), else a
 * sentence naming both.
 */
export function inputMismatch(model: OnnxModel, input: OnnxInput): string | null {
  const wanted = modelInputDims(1, input);
  const declared = model.inputDims;
  const fits = declared.length === 4 && declared.every((d, i) => i === 0 || typeof d !== "number" || d === wanted[i]);
  return fits ? null : `the model declares input "${model.inputName}" as [${declared.join(", ")}], ` +
    `the options give ${input.layout} [N, ${wanted.slice(1).join(", ")}]`;
}

async function embedRows(model: OnnxModel, images: Float32Array, n: number, input: OnnxInput, batch: number) {
  const per = input.size * input.size * 3, rows: Float32Array[] = [];
  let dim = 0;
  for (let start = 0; start < n; start += batch) {
    const count = Math.min(batch, n - start);
    const nhwc = images.subarray(start * per, (start + count) * per);
    const out = await runOnnxBatch(
      model,
      toModelLayout(nhwc, count, input.size, input.layout),
      modelInputDims(count, input),
    );
    dim = out.dim;
    rows.push(out.data);
  }
  const data = new Float32Array(n * dim);
  rows.forEach((r, i) => data.set(r, i * batch * dim));
  return { data, dim };
}

/**
 * Embeds every test image of `test` with `model` in batches of `batch`; with `flip`, also the mirrored images, fused
 * as the bench fuses them (sum, then L2-normalise).
 */
export async function onnxEmbeddings(
  model: OnnxModel,
  test: FaceSet,
  input: OnnxInput,
  options: { flip: boolean; batch: number },
): Promise<Embeddings> {
  const images = modelInputImages(test, input);
  const shape = [test.count, input.size, input.size, 3] as const;
  return await embedWithFlip(images, shape, options.flip, (x) => embedRows(model, x, test.count, input, options.batch));
}

/**
 * The reference row of the external model `name` on every set of the run (the first is the primary), embedded in
 * batches of `batch` images.
 */
export async function onnxReference(
  model: OnnxModel,
  name: string,
  input: OnnxInput,
  sets: readonly BenchEvalSet[],
  preset: Pick<Preset, "eval">,
  batch: number,
): Promise<Reference> {
  const results = [];
  for (const s of sets) {
    const e = await onnxEmbeddings(model, s.set.test, input, { flip: preset.eval.flip, batch });
    results.push(testMetrics(s.set, e, preset));
  }
  return referenceRow("onnx", name, null, results);
}

/**
 * Reads and opens the ONNX file at `path`; throws an error naming the file when it cannot be read or loaded, or
 * when its declared input does not accept `input`'s dims.
 */
export async function openOnnxFile(path: string, input: OnnxInput): Promise<OnnxModel> {
  let bytes: Uint8Array;
  try {
    bytes = await host().readBytes(path);
  } catch (error) {
    throw new Error(`ONNX model ${path}: cannot read it: ${(error as Error).message}`);
  }
  const model = await openOnnxModel(bytes, `ONNX model ${path}`);
  const mismatch = inputMismatch(model, input);
  if (mismatch) {
    await model.session.release();
    throw new Error(`ONNX model ${path}: ${mismatch}`);
  }
  return model;
}

/** The reference rows of a preset's `onnxReferences`, in order, each model opened, evaluated and released. */
export async function presetOnnxReferences(
  preset: Pick<Preset, "train" | "eval" | "onnxReferences">,
  sets: readonly BenchEvalSet[],
): Promise<Reference[]> {
  const rows: Reference[] = [];
  for (const spec of preset.onnxReferences) {
    const model = await openOnnxFile(spec.path, spec);
    try {
      rows.push(await onnxReference(model, spec.name, spec, sets, preset, preset.train.batchSize));
    } finally {
      await model.session.release();
    }
  }
  return rows;
}
