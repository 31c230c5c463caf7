/**
 * Builds tiny single-op ONNX models (MatMul, Conv) in memory, for benchmarking the wasm backend against
 * onnxruntime-web on the same shapes. The protobuf comes from the `onnx-proto` package through the exporter's graph
 * builder (`src/models/onnx/graph.ts`). Weights are initializers, filled with a fixed pattern.
 *
 * Run `deno run -A tools/onnx_models.ts DIR` to write the benchmark models as files for inspection.
 * @module
 */
import { OnnxGraphBuilder } from "../src/models/onnx/graph.ts";

/** Operator set of the single-op models. */
const OPSET = 13;

/** Float32 weights of `shape` in a fixed pattern in [−0.5, 0.5). */
function pattern(shape: readonly number[]): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: size }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
}

/** Y[M,N] = X[M,K] · W[K,N] with W an initializer; input "x", output "y". */
export function matmulModel(m: number, k: number, n: number): Uint8Array {
  const graph = new OnnxGraphBuilder();
  graph.input(graph.fresh("x"), [m, k]);
  const w = graph.initializer("w", [k, n], { float32: pattern([k, n]) });
  graph.node("MatMul", ["x", w], {}, "y");
  graph.output("y", [m, n]);
  return graph.encode("bench", OPSET);
}

/** Geometry of a benchmark convolution (NCHW in ONNX; the wasm backend runs the same shape as NHWC). */
export interface ConvShape {
  /** batch */
  n: number;
  /** input channels */
  c: number;
  /** input height = width */
  size: number;
  /** output channels */
  o: number;
  /** kernel height = width */
  k: number;
  /** stride */
  stride: number;
  /** padding on every side */
  pad: number;
  /** channel groups (c for depthwise) */
  groups: number;
}

/** Output height = width of a {@link ConvShape}. */
export function convOutputSize(s: ConvShape): number {
  return Math.floor((s.size + 2 * s.pad - s.k) / s.stride) + 1;
}

/** A Conv node with OIHW weights as an initializer; input "x" [N,C,H,W], output "y". */
export function convModel(s: ConvShape): Uint8Array {
  const out = convOutputSize(s);
  const graph = new OnnxGraphBuilder();
  graph.input(graph.fresh("x"), [s.n, s.c, s.size, s.size]);
  const weightShape = [s.o, s.c / s.groups, s.k, s.k];
  const w = graph.initializer("w", weightShape, { float32: pattern(weightShape) });
  graph.node("Conv", ["x", w], {
    kernel_shape: { ints: [s.k, s.k] },
    pads: { ints: [s.pad, s.pad, s.pad, s.pad] },
    strides: { ints: [s.stride, s.stride] },
    group: { int: s.groups },
  }, "y");
  graph.output("y", [s.n, s.o, out, out]);
  return graph.encode("bench", OPSET);
}

if (import.meta.main) {
  const dir = Deno.args[0] ?? ".";
  await Deno.writeFile(`${dir}/matmul_512.onnx`, matmulModel(512, 512, 512));
  await Deno.writeFile(
    `${dir}/conv3x3_64.onnx`,
    convModel({ n: 8, c: 64, size: 56, o: 64, k: 3, stride: 1, pad: 1, groups: 1 }),
  );
  console.log(`wrote matmul_512.onnx and conv3x3_64.onnx to ${dir}`);
}
