/**
 * The safetensors format (pure bytes, no I/O): an 8-byte little-endian header length N, N bytes of JSON
 * (`{"<name>": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}}`, padded
 * with spaces to a multiple of 8), then the raw little-endian tensor data; offsets are relative to the data
 * section, which the tensors must cover exactly. Supported dtypes: F32 and I32.
 * @module
 */

/** A named host tensor, as stored in a safetensors file. */
export interface NamedArray {
  /** tensor name (a parameter path) */
  name: string;
  /** dimensions, outermost first */
  shape: readonly number[];
  /** values: F32 or I32 */
  data: Float32Array | Int32Array;
}

/** Decoded file: tensors in file order and the optional string metadata. */
export interface SafetensorsFile {
  /** tensors by name, in data-offset order */
  tensors: Map<string, NamedArray>;
  /** `__metadata__` entries */
  metadata: Record<string, string>;
}

/** A malformed or unsupported safetensors file; the message names the file and, where known, the tensor. */
export class SafetensorsError extends Error {
  /** Creates an error for file `source`. */
  constructor(source: string, detail: string) {
    super(`safetensors ${source}: ${detail}`);
    this.name = "SafetensorsError";
  }
}

const MAX_HEADER_BYTES = 100_000_000;

/** Encodes tensors (in the given order) and optional metadata. Names must be unique. */
export function encodeSafetensors(tensors: readonly NamedArray[], metadata?: Record<string, string>): Uint8Array {
  // null prototype: a tensor named "__proto__" must become a key in every JavaScript engine
  const header: Record<string, unknown> = Object.create(null);
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  const names = new Set<string>(["__metadata__"]);
  let offset = 0;
  for (const t of tensors) {
    if (names.has(t.name)) throw new SafetensorsError("(encode)", `duplicate or reserved tensor name "${t.name}"`);
    names.add(t.name);
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) {
      throw new SafetensorsError("(encode)", `tensor "${t.name}" has ${t.data.length} values, shape needs ${count}`);
    }
    const dtype = t.data instanceof Float32Array ? "F32" : "I32";
    header[t.name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + 4 * count] };
    offset += 4 * count;
  }
  let json = JSON.stringify(header);
  const headerBytes = new TextEncoder().encode(json);
  json += " ".repeat((8 - (headerBytes.length % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let pos = 8 + head.length;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++, pos += 4) {
      if (t.data instanceof Float32Array) view.setFloat32(pos, t.data[i], true);
      else view.setInt32(pos, t.data[i], true);
    }
  }
  return out;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

function parseEntry(source: string, name: string, raw: unknown): HeaderEntry {
  const e = raw as Partial<HeaderEntry> | null;
  const where = `tensor "${name}"`;
  if (typeof e !== "object" || e === null) {
    throw new SafetensorsError(source, `${where}: header entry is not an object`);
  }
  if (e.dtype !== "F32" && e.dtype !== "I32") {
    throw new SafetensorsError(source, `${where}: dtype ${JSON.stringify(e.dtype)} is not supported (F32 or I32)`);
  }
  if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new SafetensorsError(source, `${where}: shape ${JSON.stringify(e.shape)} is not a list of integers >= 0`);
  }
  const off = e.data_offsets;
  if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isInteger(o) && o >= 0) || off[1] < off[0]) {
    throw new SafetensorsError(source, `${where}: data_offsets ${JSON.stringify(off)} is not [begin, end]`);
  }
  const need = 4 * e.shape.reduce((a, b) => a * b, 1);
  if (off[1] - off[0] !== need) {
    throw new SafetensorsError(
      source,
      `${where}: data_offsets span ${off[1] - off[0]} bytes, shape [${e.shape}] needs ${need}`,
    );
  }
  return e as HeaderEntry;
}

/** Decodes and validates a safetensors file; `source` (a path) is named in every error. */
export function decodeSafetensors(bytes: Uint8Array, source: string): SafetensorsFile {
  if (bytes.length < 8) {
    throw new SafetensorsError(source, `file has ${bytes.length} bytes, shorter than the 8-byte header length`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER_BYTES || 8 + headerLength > bytes.length) {
    throw new SafetensorsError(
      source,
      `header length ${headerLength} exceeds the file size ${bytes.length} (truncated?)`,
    );
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (error) {
    throw new SafetensorsError(source, `header is not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    throw new SafetensorsError(source, "header is not a JSON object");
  }
  const { __metadata__: meta = {}, ...entries } = header;
  if (
    typeof meta !== "object" || meta === null || Array.isArray(meta) ||
    !Object.values(meta).every((v) => typeof v === "string")
  ) {
    throw new SafetensorsError(source, "__metadata__ must map strings to strings");
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const parsed = Object.entries(entries).map(([name, raw]) => ({ name, e: parseEntry(source, name, raw) }));
  parsed.sort((a, b) => a.e.data_offsets[0] - b.e.data_offsets[0]);
  let expected = 0;
  const tensors = new Map<string, NamedArray>();
  for (const { name, e } of parsed) {
    const [begin, end] = e.data_offsets;
    if (begin !== expected) {
      throw new SafetensorsError(
        source,
        `tensor "${name}": data starts at ${begin}, expected ${expected} (gap or overlap)`,
      );
    }
    if (end > dataLength) {
      throw new SafetensorsError(
        source,
        `tensor "${name}": data ends at ${end}, file has ${dataLength} data bytes (truncated?)`,
      );
    }
    const count = (end - begin) / 4;
    const data = e.dtype === "F32" ? new Float32Array(count) : new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const pos = dataStart + begin + 4 * i;
      data[i] = e.dtype === "F32" ? view.getFloat32(pos, true) : view.getInt32(pos, true);
    }
    tensors.set(name, { name, shape: e.shape, data });
    expected = end;
  }
  if (expected !== dataLength) {
    throw new SafetensorsError(source, `tensors cover ${expected} data bytes, file has ${dataLength} (trailing bytes)`);
  }
  return { tensors, metadata: meta as Record<string, string> };
}
