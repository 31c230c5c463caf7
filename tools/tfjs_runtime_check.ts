/**
 * Runs a TF.js graph model in TensorFlow.js itself (CPU backend) and its conversion by `tools/tfjs_to_onnx.ts` in
 * onnxruntime-web on the same four fixed NHWC inputs (two seeded uniform-noise images in [−1, 1], a horizontal and a
 * vertical ramp from −1 to 1), and prints, for every output of the model, the largest |TF.js − ONNX| difference and,
 * for a single embedding output, each runtime's cosine between the embeddings of the two noise images and of the two
 * ramps. It tells a converter error (a large difference) from a property of the published model (both runtimes agree).
 *
 *     deno run -A tools/tfjs_runtime_check.ts --model package/models/mobilefacenet.json
 *     deno run -A tools/tfjs_runtime_check.ts --model package/models/blazeface-front.json --size 128
 *
 * Exit 1 when the two runtimes differ on any output by more than 1e-4 relative to that output's largest value.
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { Rng } from "../src/core/rng.ts";
import { type OnnxModel, openOnnxModel, runOnnxOutputs } from "../src/models/onnx/runtime.ts";
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

/** The model's outputs `names` on `images` in TensorFlow.js (CPU backend), in that order. */
async function runTfjs(path: string, images: Float32Array, size: number, names: string[]): Promise<Float32Array[]> {
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
  const plane = size * size * 3;
  const perImage: Float32Array[][] = [];
  for (let k = 0; k < 4; k++) {
    const outputs = model.execute(tf.tensor4d(images.subarray(k * plane, (k + 1) * plane), [1, size, size, 3]), names);
    const list = Array.isArray(outputs) ? outputs : [outputs];
    perImage.push(await Promise.all(list.map(async (t) => Float32Array.from(await t.data()))));
  }
  return names.map((_, o) => concat(perImage.map((outputs) => outputs[o])));
}

/** The arrays one after another. */
function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

/** Each output of `model` over the four images run one at a time (some models fix the batch at 1), by name. */
async function runOnnxEach(model: OnnxModel, images: Float32Array, size: number): Promise<Map<string, Float32Array>> {
  const plane = size * size * 3;
  const perImage: Map<string, { data: Float32Array }>[] = [];
  for (let k = 0; k < 4; k++) {
    perImage.push(await runOnnxOutputs(model, images.subarray(k * plane, (k + 1) * plane), [1, size, size, 3]));
  }
  return new Map([...perImage[0].keys()].map((name) => [name, concat(perImage.map((o) => o.get(name)!.data))]));
}

async function run(options: { model: string; size: number }, log: ToolLog): Promise<void> {
  const images = checkImages(options.size);
  log("tools/tfjs_to_onnx.ts conversion in onnxruntime-web");
  const conversion = await convertTfjsFile(options.model);
  const model = await openOnnxModel(conversion.bytes, "converted model");
  const onnx = await runOnnxEach(model, images, options.size);
  await model.session.release();
  const names = conversion.outputs.map((o) => o.name);
  log("TensorFlow.js (CPU backend)");
  const reference = await runTfjs(options.model, images, options.size, names);
  const failures: string[] = [];
  names.forEach((name, k) => {
    const data = onnx.get(name)!, expected = reference[k];
    const diff = data.reduce((m, v, i) => Math.max(m, Math.abs(v - expected[i])), 0);
    const scale = expected.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    console.log(
      `${name}: max |TF.js − onnxruntime-web| = ${diff.toExponential(2)} (largest |output| ${scale.toPrecision(3)})`,
    );
    if (!(diff <= 1e-4 * scale)) failures.push(`${name} differs from TF.js by ${diff}`);
  });
  if (names.length === 1) {
    const dim = reference[0].length / 4;
    for (const [runtime, values] of [["TF.js", reference[0]], ["onnxruntime-web", onnx.get(names[0])!]] as const) {
      console.log(
        `${runtime}: cosine noise/noise ${cosine(values, dim, 0, 1).toFixed(6)}, ramp/ramp ${
          cosine(values, dim, 2, 3).toFixed(6)
        }`,
      );
    }
  }
  if (failures.length > 0) throw new Error(`the conversion is wrong: ${failures.join("; ")}`);
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
