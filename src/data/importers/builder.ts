/**
 * Packs decoded images of one size into a {@link FaceSet}, checking sizes as they come (errors name the file), and
 * bounds the decoded bytes of one import relative to the size of its input, so that a small hostile file (pickle
 * memo references or index keys repeating one large image) cannot make an importer allocate gigabytes.
 * @module
 */
import type { FaceSet } from "../dataset.ts";
import { DataError } from "../errors.ts";
import { type Image, toRgb } from "../image/image.ts";
import type { DecodeLimits } from "../image/limits.ts";

/** Floor of the default decoded-bytes budget of one import: 64 MiB. */
export const MIN_DECODED_BYTES = 64 * 2 ** 20;

/** Default decoded bytes allowed per byte of input (PNG's deflate cannot exceed ≈ 1032:1). */
export const MAX_EXPANSION = 1024;

/** Limits of an importer: the per-image pixel cap and the decoded size of the whole import. */
export interface ImportLimits extends DecodeLimits {
  /**
   * Most bytes of decoded RGB pixels one import may hold; default max({@link MIN_DECODED_BYTES},
   * {@link MAX_EXPANSION} × the input's size in bytes). Raise it for unusually compressible data.
   */
  maxDecodedBytes?: number;
}

/** What the decoded-bytes budget of a builder is measured against. */
export interface BuilderBudget {
  /** The input file (or folder) named in the error. */
  source: string;
  /** Size of the input in bytes. */
  inputBytes: number;
  /** User limits; `maxDecodedBytes` replaces the default budget. */
  limits?: ImportLimits;
}

/**
 * The checks every importer applies to decoded images as they come, shared by {@link FaceSetBuilder} and the raw
 * cache writer: all images the size of the first (and square when asked), and the decoded bytes within the budget.
 */
export class ImageChecks {
  #height = 0;
  #width = 0;
  #count = 0;
  #decodedBytes = 0;

  /**
   * Checks with `budget` (adding past it raises a {@link DataError} naming its source); with `square`, the first
   * image must be square (the loader's images are).
   */
  constructor(readonly budget?: BuilderBudget, readonly square = false) {}

  /** Images checked so far. */
  get count(): number {
    return this.#count;
  }

  /** Height of the images (0 before the first). */
  get height(): number {
    return this.#height;
  }

  /** Width of the images (0 before the first). */
  get width(): number {
    return this.#width;
  }

  /** Checks `image` (named `source` in errors) and counts its decoded RGB bytes. */
  check(image: Image, source: string): void {
    if (this.#count === 0) {
      if (this.square && image.width !== image.height) {
        throw new DataError("import", source, `image is ${image.width}x${image.height}, expected a square image`);
      }
      this.#height = image.height, this.#width = image.width;
    } else if (image.height !== this.#height || image.width !== this.#width) {
      throw new DataError(
        "import",
        source,
        `image is ${image.width}x${image.height}, expected ${this.#width}x${this.#height} like the first image`,
      );
    }
    this.#charge(image.width * image.height * 3, source);
    this.#count++;
  }

  /** Counts `bytes` more decoded bytes against the budget. */
  #charge(bytes: number, source: string): void {
    if (!this.budget) return;
    this.#decodedBytes += bytes;
    const { source: input, inputBytes, limits = {} } = this.budget;
    const max = limits.maxDecodedBytes ?? Math.max(MIN_DECODED_BYTES, MAX_EXPANSION * inputBytes);
    if (this.#decodedBytes > max) {
      const rule = limits.maxDecodedBytes === undefined
        ? `the default max(64 MiB, ${MAX_EXPANSION} × the ${inputBytes}-byte input)`
        : "ImportLimits.maxDecodedBytes";
      throw new DataError(
        "import",
        input,
        `decoded images would exceed ${max} bytes at image ${this.#count} (${source}), ${rule}; ` +
          "raise ImportLimits.maxDecodedBytes if the data is genuine",
      );
    }
  }
}

/** Collects images and labels; labels are renumbered 0..K-1 in order of first appearance of each key. */
export class FaceSetBuilder {
  readonly #chunks: Uint8Array[] = [];
  readonly #labels: number[] = [];
  readonly #classes = new Map<string | number, number>();
  readonly #checks: ImageChecks;

  /** A builder; with `budget`, adding past the decoded-bytes budget raises a {@link DataError} naming its source. */
  constructor(budget?: BuilderBudget) {
    this.#checks = new ImageChecks(budget);
  }

  /** Adds an image of class `key`; `source` names it in errors. All images must share the first one's size. */
  add(image: Image, key: string | number, source: string): void {
    this.#checks.check(image, source);
    if (!this.#classes.has(key)) this.#classes.set(key, this.#classes.size);
    this.#chunks.push(toRgb(image).data);
    this.#labels.push(this.#classes.get(key)!);
  }

  /** Class keys in label order. */
  classKeys(): (string | number)[] {
    return [...this.#classes.keys()];
  }

  /** The packed set. */
  build(): FaceSet {
    const { height, width } = this.#checks;
    const size = height * width * 3;
    const images = new Uint8Array(this.#chunks.length * size);
    this.#chunks.forEach((chunk, i) => images.set(chunk, i * size));
    return {
      images,
      labels: Int32Array.from(this.#labels),
      count: this.#chunks.length,
      height,
      width,
      numClasses: this.#classes.size,
    };
  }
}
