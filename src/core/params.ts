/**
 * Named kernel parameter blocks: the one description of the words a kernel reads, from which `tools/gen_params.ts`
 * writes the C structs (`wasm-simd/params.h`) and the WGSL structs (`shaders/_params_*.wgsl`), and with which the
 * backends fill a block by field name.
 *
 * Layout: 4-byte words in declaration order. A field of `f64` starts on an even word; an array of u32 words or a
 * nested block starts on a multiple of 4 words and a nested block's size is rounded up to 4 words (the WGSL uniform
 * rules), with explicit padding fields in both generated languages, so C and WGSL see the same word offsets.
 * @module
 */

/**
 * A scalar field: `u32` a non-negative integer (C `int32_t`, since the C index arithmetic is signed; WGSL `u32`),
 * `i32` a signed integer, `f32` a float, `f64` a double (C only), `ptr` / `iptr` a byte offset into the WASM memory
 * seen by C as `float *` / `int32_t *` (C only).
 */
export type ScalarType = "u32" | "i32" | "f32" | "f64" | "ptr" | "iptr";

/** An array of `u32` words (a shape or stride list); in a WGSL block its length is a multiple of 4. */
export interface WordArray {
  /** number of words */
  readonly words: number;
}

/** The type of one field: a scalar, a word array or a nested block. */
export type FieldType = ScalarType | WordArray | ParamBlock;

/** Field names and types, in layout order. */
export type Fields = Readonly<Record<string, FieldType>>;

/** The languages a block is generated for. */
export type Target = "c" | "wgsl";

/** A named parameter block. */
export interface ParamBlock<F extends Fields = Fields> {
  /** the struct name in C and WGSL (PascalCase) */
  readonly name: string;
  /** one sentence for the generated comment */
  readonly doc: string;
  /** the fields in layout order */
  readonly fields: F;
  /** the languages it is generated for */
  readonly targets: readonly Target[];
}

/** The value of one field: a number (booleans as 1/0), a list of words, or a nested block's values. */
export type FieldValue<T extends FieldType> = T extends ParamBlock<infer G> ? BlockValues<G>
  : T extends WordArray ? readonly number[]
  : number | boolean;

/** Values by field name; a field left out is written as 0. */
export type BlockValues<F extends Fields> = { readonly [K in keyof F]?: FieldValue<F[K]> };

/** Every field of a block of scalars given, as a number. */
export type ScalarValues<F extends Fields> = { [K in keyof F]: number };

/** Declares a parameter block. */
export function paramBlock<F extends Fields>(
  name: string,
  doc: string,
  targets: readonly Target[],
  fields: F,
): ParamBlock<F> {
  for (const [field, type] of Object.entries(fields)) {
    const cOnly = type === "f64" || type === "ptr" || type === "iptr";
    if (cOnly && targets.includes("wgsl")) {
      throw new TypeError(`param block ${name}: field "${field}" of type ${type} has no WGSL form`);
    }
    const missing = typeof type === "object" && "fields" in type && targets.find((t) => !type.targets.includes(t));
    if (missing) throw new TypeError(`param block ${name}: nested block "${field}" is not generated for ${missing}`);
    if (typeof type === "object" && "words" in type && type.words % 4 !== 0 && targets.includes("wgsl")) {
      throw new TypeError(
        `param block ${name}: WGSL word array "${field}" has ${type.words} words, not a multiple of 4`,
      );
    }
  }
  return { name, doc, targets, fields };
}

/** An array of `words` u32 words. */
export function words(count: number): WordArray {
  return { words: count };
}

/** One entry of a block's layout: a field or a padding gap. */
export interface LayoutEntry {
  /** the field name, or `padN` for padding at word N */
  readonly name: string;
  /** the field type; padding is `u32` */
  readonly type: FieldType;
  /** offset in words from the start of the block */
  readonly offset: number;
  /** size in words */
  readonly size: number;
}

/** The word layout of a block: its entries (padding included) and total size in words. */
export interface BlockLayout {
  /** fields and padding in order */
  readonly entries: readonly LayoutEntry[];
  /** size in words */
  readonly size: number;
}

function alignOf(type: FieldType): number {
  if (type === "f64") return 2;
  return typeof type === "object" ? 4 : 1;
}

function sizeOf(type: FieldType): number {
  if (type === "f64") return 2;
  if (typeof type !== "object") return 1;
  return "words" in type ? type.words : layoutOf(type).size;
}

const layouts = new WeakMap<ParamBlock, BlockLayout>();

/** The word layout of `block` (see the module comment for the alignment rules). */
export function layoutOf(block: ParamBlock): BlockLayout {
  const known = layouts.get(block);
  if (known) return known;
  const entries: LayoutEntry[] = [];
  let offset = 0;
  const pad = (to: number) => {
    for (; offset % to !== 0; offset++) entries.push({ name: `pad${offset}`, type: "u32", offset, size: 1 });
  };
  for (const [name, type] of Object.entries(block.fields)) {
    pad(alignOf(type));
    entries.push({ name, type, offset, size: sizeOf(type) });
    offset += sizeOf(type);
  }
  pad(4);
  const layout = { entries, size: offset };
  layouts.set(block, layout);
  return layout;
}

/** Typed views of the words a block is written into. */
export interface WordViews {
  /** the words as i32 */
  readonly i32: Int32Array;
  /** the same words as f32 */
  readonly f32: Float32Array;
  /** the same words as f64 (needed only by blocks with f64 fields) */
  readonly f64?: Float64Array;
}

/**
 * Writes `values` into the words of `block` starting at word `base` of `views` (fields left out become 0). Throws
 * naming the block and field when a word array is too long.
 */
export function writeBlock<F extends Fields>(
  block: ParamBlock<F>,
  values: BlockValues<F>,
  views: WordViews,
  base = 0,
): void {
  const record = values as Readonly<Record<string, unknown>>;
  for (const entry of layoutOf(block).entries) {
    const at = base + entry.offset;
    const value = record[entry.name];
    const type = entry.type;
    if (typeof type === "object" && "fields" in type) {
      writeBlock(type, (value ?? {}) as BlockValues<Fields>, views, at);
    } else if (typeof type === "object") {
      const list = (value ?? []) as readonly number[];
      if (list.length > type.words) {
        throw new RangeError(`${block.name}.${entry.name}: ${list.length} words, at most ${type.words}`);
      }
      for (let k = 0; k < type.words; k++) views.i32[at + k] = list[k] ?? 0;
    } else {
      const v = Number(value ?? 0);
      if (type === "f32") views.f32[at] = v;
      else if (type === "f64") views.f64![at / 2] = v;
      else views.i32[at] = v;
    }
  }
}

/** The words of `block` filled with `values`, as u32 (f32 fields as their bits): a WebGPU uniform block. */
export function encodeBlock<F extends Fields>(block: ParamBlock<F>, values: BlockValues<F>): Uint32Array {
  const buffer = new ArrayBuffer(layoutOf(block).size * 4);
  writeBlock(block, values, { i32: new Int32Array(buffer), f32: new Float32Array(buffer) });
  return new Uint32Array(buffer);
}
