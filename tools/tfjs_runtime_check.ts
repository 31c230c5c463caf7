/**
 * Runs a TF.js graph model in TensorFlow.js itself (CPU backend) and its conversion by `tools/tfjs_to_onnx.ts` in
 * onnxruntime-web on the same four fixed NHWC inputs (two seeded uniform-noise images in [−1, 1], a horizontal and a
 * vertical ramp from −1 to 1), and prints the largest |TF.js − ONNX| difference and, for each runtime, the cosine
 * between the embeddings of the two noise images and of the two ramps. It tells a converter error (a large
 * difference) from a property of the published model (both runtimes agree).
 *
 *     deno run -A tools/tfjs_runtime_check.ts --model package/models/mobilefacenet.json
 *
 * Exit 1 when the two runtimes differ by more than 1e-4 relative to the largest output.
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { Rng } from "../src/core/rng.ts";
import { openOnnxModel, runOnnxBatch } from "../src/models/onnx/runtime.ts";
import { runTool, type ToolLog } from "./_tool_main.ts";
import { convertTfjsFile, type TfjsGraphModel } from "./tfjs_to_onnx.ts";

const HELP = `Usage: deno run -A tools/tfjs_runtime_check.ts --model model.json [--size 112]
  --model FILE  a TF.js graph model.json (its .bin shards beside it), input NHWC [N, size, size, 3]
  --size N      the input side (default 112)`;

/** The four check images, NHWC, values in [−1, 1]: noise (seeds 1, 2), a horizontal ramp, a vertical ramp. */
function checkImages(size: number): Float32Array {
  const plane = size * size * 3;
  const images = new Float32Array(4 * plane);
  for (const [k, seed] of [[0, 1], [1, 2]]) {
    const rng = new Rng(seed, "tfjs-check");
    for (let i = 0; i < plane; i++) images[k * plane + i] = rng.uniform(-1, 1);
  }
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let c = 0; c < 3; c++) {
        const at = (y * size + x) * 3 + c;
        images[2 * plane + at] = (2 * x) / (size - 1) - 1;
        images[3 * plane + at] = (2 * y) / (size - 1) - 1;
      }
    }
  }
  return images;
}

/** Cosine between rows `a` and `b` of `data` (rows of `dim`). */
function cosine(data: Float32Array, dim: number, a: number, b: number): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < dim; i++) {
    const u = data[a * dim + i], v = data[b * dim + i];
    dot += u * v;
    na += u * u;
    nb += v * v;
  }
  return dot / Math.sqrt(na * nb);
}

/** The model's output on `images` in TensorFlow.js (CPU backend). */
async function runTfjs(path: string, images: Float32Array, size: number): Promise<Float32Array> {
  await tf.setBackend("cpu");
  const json = JSON.parse(await Deno.readTextFile(path)) as TfjsGraphModel & { modelTopology: tf.io.ModelJSON };
  const shards = json.weightsManifest.flatMap((group) => group.paths).map((p) =>
    Deno.readFileSync(join(dirname(path), p))
  );
  const weightData = new Uint8Array(shards.reduce((n, s) => n + s.length, 0));
  shards.reduce((at, s) => (weightData.set(s, at), at + s.length), 0);
  const model = await tf.loadGraphModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights) as tf.io.WeightsManifestEntry[],
    weightData: weightData.buffer,
  }));
  const output = model.execute(tf.tensor4d(images, [4, size, size, 3])) as tf.Tensor;
  return Float32Array.from(await output.data());
}

async function run(options: { model: string; size: number }, log: ToolLog): Promise<void> {
  const images = checkImages(options.size);
  log("TensorFlow.js (CPU backend)");
  const reference = await runTfjs(options.model, images, options.size);
  log("tools/tfjs_to_onnx.ts conversion in onnxruntime-web");
  const model = await openOnnxModel((await convertTfjsFile(options.model)).bytes, "converted model");
  const { data, dim } = await runOnnxBatch(model, images, [4, options.size, options.size, 3]);
  await model.session.release();
  const diff = data.reduce((m, v, i) => Math.max(m, Math.abs(v - reference[i])), 0);
  const scale = reference.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  console.log(`max |TF.js − onnxruntime-web| = ${diff.toExponential(2)} (largest |output| ${scale.toPrecision(3)})`);
  for (const [name, values] of [["TF.js", reference], ["onnxruntime-web", data]] as const) {
    console.log(
      `${name}: cosine noise/noise ${cosine(values, dim, 0, 1).toFixed(6)}, ramp/ramp ${
        cosine(values, dim, 2, 3).toFixed(6)
      }`,
    );
  }
  if (!(diff <= 1e-4 * scale)) throw new Error(`the conversion differs from TF.js by ${diff}`);
}

function parse(args: string[]): { model: string; size: number } | null {
  const { values } = parseArgs({
    args,
    options: { model: { type: "string" }, size: { type: "string", default: "112" }, help: { type: "boolean" } },
    strict: true,
  });
  if (values.help) return null;
  const size = Number(values.size);
  if (!values.model) throw new Error(`give --model\n\n${HELP}`);
  if (!Number.isInteger(size) || size < 1) throw new Error(`--size: expected a positive integer, got "${values.size}"`);
  return { model: values.model, size };
}

if (import.meta.main) Deno.exit(await runTool("tfjs_runtime_check", Deno.args, HELP, parse, run));
