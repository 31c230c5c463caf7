/**
 * The TF.js graph-model format as `tools/tfjs_to_onnx.ts` reads it: `model.json` (`modelTopology` of TF GraphDef
 * nodes and a `weightsManifest`), its weight shards, node attributes in TF's JSON form, and which nodes are the
 * model's outputs. Knows nothing of ONNX.
 * @module
 */

/** A TF GraphDef node as the TF.js converter writes it. */
export interface TfjsNode {
  /** unique node name */
  name: string;
  /** TF op type */
  op: string;
  /** input value names ("node", "node:k", "^control") */
  input?: string[];
  /** attributes in TF's JSON form */
  attr?: Record<string, TfjsAttr>;
}

/** A TF attribute value in JSON form (strings base64, integers as decimal strings). */
export interface TfjsAttr {
  s?: string;
  i?: string | number;
  f?: number;
  b?: boolean;
  type?: string;
  list?: { s?: string[]; i?: (string | number)[]; f?: number[] };
  shape?: { dim?: { size: string | number }[]; unknownRank?: boolean };
}

/** One weight of the manifest. */
export interface TfjsWeight {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

/** The parts of a TF.js graph model (`model.json`) the converter reads. */
export interface TfjsGraphModel {
  format?: string;
  modelTopology: { node: TfjsNode[] };
  weightsManifest: { paths: string[]; weights: TfjsWeight[] }[];
  userDefinedMetadata?: { signature?: { outputs?: Record<string, { name: string }> } };
}

/** A weight of the manifest with its raw little-endian bytes. */
export interface StoredWeight {
  weight: TfjsWeight;
  data: Uint8Array;
}

/** A string attribute (stored base64), or undefined. */
export const attrText = (a: TfjsAttr | undefined): string | undefined => a?.s === undefined ? undefined : atob(a.s);

/** An integer-list attribute (empty when absent). */
export const attrInts = (a: TfjsAttr | undefined): number[] => (a?.list?.i ?? []).map(Number);

/**
 * Every weight of the manifest by name, cut from its group's shards (concatenated in order: the TF.js converter
 * splits a group at 4 MB, also mid-weight). Throws for quantized weights, dtypes other than float32 and int32, and
 * shards that end before a weight's data.
 */
export function readWeights(model: TfjsGraphModel, readShard: (path: string) => Uint8Array): Map<string, StoredWeight> {
  const weights = new Map<string, StoredWeight>();
  for (const group of model.weightsManifest) {
    const shards = group.paths.map(readShard);
    const bytes = new Uint8Array(shards.reduce((s, b) => s + b.length, 0));
    let offset = 0;
    for (const shard of shards) (bytes.set(shard, offset), offset += shard.length);
    offset = 0;
    for (const weight of group.weights) {
      if (weight.quantization !== undefined) {
        throw new Error(`weight ${weight.name}: quantized weights are not supported`);
      }
      if (weight.dtype !== "float32" && weight.dtype !== "int32") {
        throw new Error(`weight ${weight.name}: dtype ${weight.dtype} is not supported (float32, int32)`);
      }
      const length = weight.shape.reduce((a, b) => a * b, 1) * 4;
      if (offset + length > bytes.length) {
        throw new Error(`weight ${weight.name}: the shards (${bytes.length} bytes) end before its data`);
      }
      weights.set(weight.name, { weight, data: bytes.slice(offset, offset + length) });
      offset += length;
    }
  }
  return weights;
}

/** The names of the model's output nodes: its signature's outputs, else every non-Const node nothing consumes. */
export function outputNodes(model: TfjsGraphModel): string[] {
  const signature = model.userDefinedMetadata?.signature?.outputs;
  if (signature && Object.keys(signature).length > 0) {
    return Object.values(signature).map((o) => o.name.split(":")[0]);
  }
  const consumed = new Set(
    model.modelTopology.node.flatMap((n) => (n.input ?? []).map((i) => i.replace(/^\^/, "").split(":")[0])),
  );
  return model.modelTopology.node.filter((n) => n.op !== "Const" && !consumed.has(n.name)).map((n) => n.name);
}
