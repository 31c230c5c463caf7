/**
 * Packs decoded images of one size into a {@link FaceSet}, checking sizes as they come (errors name the file).
 * @module
 */
import type { FaceSet } from "../dataset.ts";
import { DataError } from "../errors.ts";
import { type Image, toRgb } from "../image/image.ts";

/** Collects images and labels; labels are renumbered 0..K-1 in order of first appearance of each key. */
export class FaceSetBuilder {
  readonly #chunks: Uint8Array[] = [];
  readonly #labels: number[] = [];
  readonly #classes = new Map<string | number, number>();
  #height = 0;
  #width = 0;

  /** Adds an image of class `key`; `source` names it in errors. All images must share the first one's size. */
  add(image: Image, key: string | number, source: string): void {
    if (this.#chunks.length === 0) {
      this.#height = image.height, this.#width = image.width;
    } else if (image.height !== this.#height || image.width !== this.#width) {
      throw new DataError(
        "import",
        source,
        `image is ${image.width}x${image.height}, expected ${this.#width}x${this.#height} like the first image`,
      );
    }
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
    const size = this.#height * this.#width * 3;
    const images = new Uint8Array(this.#chunks.length * size);
    this.#chunks.forEach((chunk, i) => images.set(chunk, i * size));
    return {
      images,
      labels: Int32Array.from(this.#labels),
      count: this.#chunks.length,
      height: this.#height,
      width: this.#width,
      numClasses: this.#classes.size,
    };
  }
}
