/**
 * What the TF.js → ONNX op converters share: a converted value (ONNX name and dims) and the converter state they
 * reach through (the graph being built, converted inputs, constant weights).
 * @module
 */
import type { Dim, OnnxGraphBuilder } from "../../src/models/onnx/graph.ts";
import type { TfjsWeight } from "./graph_model.ts";

/** A converted value: its ONNX name and dims (NHWC for image tensors, as in TF). */
export interface Value {
  name: string;
  dims: Dim[];
}

/** The values of a Const node, viewed as float32 and as int32. */
export interface ConstantValues {
  weight: TfjsWeight;
  floats: Float32Array;
  ints: Int32Array;
}

/** The converter as an op conversion sees it. */
export interface ConversionContext {
  /** the ONNX graph being built */
  readonly graph: OnnxGraphBuilder;
  /** The ONNX value of TF input `ref` ("node", "node:0"), converting its producer first; `consumer` names errors. */
  value(ref: string, consumer: string): Value;
  /** The raw values of the Const node `name` (an error naming `consumer` when it is no constant weight). */
  constant(name: string, consumer: string): ConstantValues;
}
