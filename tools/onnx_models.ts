/**
 * Builds tiny single-op ONNX models (MatMul, Conv) in memory, for benchmarking the wasm backend against
 * onnxruntime-web on the same shapes. The protobuf is written by hand (only the fields these models need), so
 * no ONNX tooling is required. Weights are initializers, filled with a fixed pattern.
 *
 * Run `deno run -A tools/onnx_models.ts DIR` to write the benchmark models as files for inspection.
 * @module
 */

/** Protobuf writer for the handful of wire types ONNX models use. */
class Proto {
  readonly #bytes: number[] = [];

  /** Appends a varint-encoded unsigned integer (up to 2^53). */
  #varint(value: number): void {
    let v = value;
    while (v >= 0x80) {
      this.#bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.#bytes.push(v);
  }

  /** Field with a varint value. */
  int(field: number, value: number): this {
    this.#varint(field * 8);
    this.#varint(value);
    return this;
  }

  /** Field with length-delimited bytes. */
  bytes(field: number, data: Uint8Array | number[]): this {
    this.#varint(field * 8 + 2);
    this.#varint(data.length);
    for (const b of data) this.#bytes.push(b);
    return this;
  }

  /** Field with a UTF-8 string. */
  string(field: number, text: string): this {
    return this.bytes(field, new TextEncoder().encode(text));
  }

  /** Field with an embedded message. */
  message(field: number, inner: Proto): this {
    return this.bytes(field, inner.#bytes);
  }

  /** The encoded message. */
  finish(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }
}

const FLOAT = 1;
const ATTR_INTS = 7;
const ATTR_INT = 2;

function valueInfo(name: string, shape: readonly number[]): Proto {
  const dims = new Proto();
  for (const d of shape) dims.message(1, new Proto().int(1, d));
  const tensorType = new Proto().int(1, FLOAT).message(2, dims);
  return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
}

function initializer(name: string, shape: readonly number[]): Proto {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Float32Array.from({ length: size }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const t = new Proto();
  for (const d of shape) t.int(1, d);
  return t.int(2, FLOAT).string(8, name).bytes(9, new Uint8Array(values.buffer));
}

function intsAttr(name: string, values: readonly number[]): Proto {
  const a = new Proto().string(1, name).int(20, ATTR_INTS);
  for (const v of values) a.int(8, v);
  return a;
}

function model(node: Proto, inputs: Proto[], output: Proto, initializers: Proto[]): Uint8Array {
  const graph = new Proto().message(1, node).string(2, "bench");
  for (const i of initializers) graph.message(5, i);
  for (const i of inputs) graph.message(11, i);
  graph.message(12, output);
  return new Proto().int(1, 8).message(7, graph).message(8, new Proto().string(1, "").int(2, 13)).finish();
}

/** Y[M,N] = X[M,K] · W[K,N] with W an initializer; input "x", output "y". */
export function matmulModel(m: number, k: number, n: number): Uint8Array {
  const node = new Proto().string(1, "x").string(1, "w").string(2, "y").string(3, "mm").string(4, "MatMul");
  return model(node, [valueInfo("x", [m, k])], valueInfo("y", [m, n]), [initializer("w", [k, n])]);
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
  const node = new Proto().string(1, "x").string(1, "w").string(2, "y").string(3, "conv").string(4, "Conv")
    .message(5, intsAttr("kernel_shape", [s.k, s.k]))
    .message(5, intsAttr("pads", [s.pad, s.pad, s.pad, s.pad]))
    .message(5, intsAttr("strides", [s.stride, s.stride]))
    .message(5, new Proto().string(1, "group").int(20, ATTR_INT).int(3, s.groups));
  return model(
    node,
    [valueInfo("x", [s.n, s.c, s.size, s.size])],
    valueInfo("y", [s.n, s.o, out, out]),
    [initializer("w", [s.o, s.c / s.groups, s.k, s.k])],
  );
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
