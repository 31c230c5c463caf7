/**
 * ONNX export of a backbone: one eval-mode forward of a batch of {@link TRACE_BATCH} images is traced on a
 * {@link RecordingBackend} (under `noGrad`, with epilogue fusion off so every BatchNorm is its own kernel; dropout and
 * drop-path are the identity in eval mode, and ViT's patch masking is off) and each recorded kernel call is lowered
 * to ONNX nodes (`lowering.ts`); parameters and buffers become initializers named by their state path.
 *
 * The model: ai.onnx opset {@link ONNX_OPSET}, float32 input `input` [N, 3, S, S] (NCHW, the layout ONNX tools
 * expect; same channel order and normalisation as the engine's input) with a symbolic batch `N`, output `embedding`
 * [N, E] (not L2-normalised, as the engine's backbone). BatchNorm stays as `BatchNormalization` nodes with the
 * running statistics (not folded): the file keeps the trained state one-to-one, and runtimes fuse Conv+BN on load.
 * Dropout and drop-path leave no node.
 * @module
 */
import type { RecordingBackend } from "../../backends/recording/backend.ts";
import type { TensorView } from "../../core/kernels.ts";
import { scope } from "../../core/scope.ts";
import { noGrad } from "../../core/tape.ts";
import { unfused } from "../../nn/epilogue.ts";
import { zeros } from "../../ops/mod.ts";
import type { Backbone } from "../backbones/backbone.ts";
import { ONNX_OPSET, OnnxGraphBuilder } from "./graph.ts";
import { OnnxExportError, OnnxLowering, type StateTensor, TRACE_BATCH } from "./lowering.ts";

/** Name of the graph input: float32 [N, 3, S, S]. */
export const ONNX_INPUT = "input";
/** Name of the graph output: float32 [N, embeddingSize]. */
export const ONNX_OUTPUT = "embedding";

/** An exported model and what it holds. */
export interface OnnxExport {
  /** the encoded ModelProto */
  bytes: Uint8Array;
  /** node op types in graph order */
  opTypes: string[];
  /** input side S of the [N, 3, S, S] input */
  inputSize: number;
  /** width of the [N, E] output */
  embeddingSize: number;
  /** the ai.onnx operator set the model declares */
  opset: number;
}

/**
 * Exports `model`, which must live on `backend` (build it with a `ModuleContext` whose backend is the recorder).
 * The model is left in eval mode. `graphName` names the ONNX graph (e.g. the preset name).
 */
export async function exportBackboneOnnx(
  model: Backbone,
  backend: RecordingBackend,
  graphName: string,
): Promise<OnnxExport> {
  const state = new Map<TensorView, StateTensor>();
  for (const [path, tensor] of model.state()) {
    if (tensor.backend !== backend) {
      throw new OnnxExportError(`state "${path}" lives on backend "${tensor.backend.name}", not on the recorder`);
    }
    const data = await tensor.read();
    const values = tensor.dtype === "i32"
      ? Int32Array.from(data)
      : data instanceof Float32Array
      ? data
      : Float32Array.from(data);
    state.set(tensor, { path, data: values });
  }
  model.eval();
  const size = model.inputSize;
  const input = zeros(backend, [TRACE_BATCH, size, size, 3]);
  const { result: output, calls } = backend.record(() =>
    noGrad(() => unfused(() => scope(() => model.forward(input))))
  );
  const graph = new OnnxGraphBuilder();
  try {
    const lowering = new OnnxLowering(graph, state);
    graph.input(ONNX_INPUT, ["N", 3, size, size]);
    lowering.defineInput(input, graph.fresh(ONNX_INPUT));
    for (const call of calls) lowering.lower(call);
    graph.node("Identity", [lowering.read(output, "nhwc", "output")], {}, ONNX_OUTPUT);
    graph.output(ONNX_OUTPUT, ["N", model.embeddingSize]);
  } finally {
    input.dispose();
    output.dispose();
  }
  return {
    bytes: graph.encode(graphName, ONNX_OPSET),
    opTypes: graph.opTypes(),
    inputSize: size,
    embeddingSize: model.embeddingSize,
    opset: ONNX_OPSET,
  };
}
