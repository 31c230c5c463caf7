/**
 * An ONNX face-embedding model opened in onnxruntime-web (WASM execution provider): its one float32 input with the
 * dims it declares, its first output, and a batch run that returns the rows as host floats (or every output, for
 * detectors with several heads). Used by `deno task eval --onnx`, the bench's ONNX reference rows, the TF.js
 * converter's tests, the BlazeFace detector and the speed benchmark.
 * @module
 */
import * as ort from "onnxruntime-web";

/** An opened ONNX model: the session and what its input and output are called and declared as. */
export interface OnnxModel {
  /** the onnxruntime-web session */
  session: ort.InferenceSession;
  /** the graph input's name */
  inputName: string;
  /** the graph input's declared dims (numbers, or names for symbolic dims such as the batch) */
  inputDims: readonly (number | string)[];
  /** the first graph output's name (the embedding) */
  outputName: string;
}

/**
 * The platform's `Worker`. When onnxruntime-web first loads its WASM module in Deno, its Emscripten glue sees the Node
 * compatibility layer and replaces `globalThis.Worker` with Node's `worker_threads` Worker, which refuses the engine's
 * later `new Worker(url)` calls (data loaders, the WASM backend's thread pool); {@link openOnnxModel} puts it back.
 */
const platformWorker = globalThis.Worker;

/**
 * Opens `bytes` as an ONNX model with the WASM execution provider; `what` names the model in errors. Throws when
 * onnxruntime-web rejects the file or the model does not have exactly one float32 tensor input.
 */
export async function openOnnxModel(bytes: Uint8Array, what: string): Promise<OnnxModel> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders: ["wasm"] });
  } catch (error) {
    throw new Error(`${what}: onnxruntime-web cannot load it: ${(error as Error).message}`);
  } finally {
    globalThis.Worker = platformWorker;
  }
  const inputs = session.inputMetadata;
  if (inputs.length !== 1 || !inputs[0].isTensor || inputs[0].type !== "float32") {
    await session.release();
    throw new Error(`${what}: expected one float32 image input, the model declares ${JSON.stringify(inputs)}`);
  }
  return { session, inputName: inputs[0].name, inputDims: inputs[0].shape, outputName: session.outputNames[0] };
}

/** One output of a run as host floats with its dims. */
export interface OnnxOutput {
  /** the output's values, row-major */
  data: Float32Array;
  /** its dims */
  dims: readonly number[];
}

/** Runs one batch `input` of `dims` through `model`; returns every graph output by name, copied to host floats. */
export async function runOnnxOutputs(
  model: OnnxModel,
  input: Float32Array,
  dims: readonly number[],
): Promise<Map<string, OnnxOutput>> {
  const feeds = { [model.inputName]: new ort.Tensor("float32", input, [...dims]) };
  const result = await model.session.run(feeds);
  try {
    return new Map(
      Object.entries(result).map(([name, value]) => [name, {
        data: Float32Array.from(value.data as Float32Array),
        dims: value.dims,
      }]),
    );
  } finally {
    for (const value of Object.values(result)) value.dispose();
  }
}

/**
 * Runs one batch `input` of `dims` through `model`; returns the output values, their count per image `dim` (a rank-4
 * `[n, d, 1, 1]` output counts as `[n, d]` like any other) and the output's dims.
 */
export async function runOnnxBatch(
  model: OnnxModel,
  input: Float32Array,
  dims: readonly number[],
): Promise<{ data: Float32Array; dim: number; dims: readonly number[] }> {
  const { data, dims: outputDims } = (await runOnnxOutputs(model, input, dims)).get(model.outputName)!;
  return { data, dim: data.length / dims[0], dims: outputDims };
}
