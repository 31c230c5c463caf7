/**
 * A bounds-checked cursor over the bytes of a binary file (PNG, JPEG, RecordIO, pickle): every read past the end
 * throws a {@link DataError} that names the file and the field.
 * @module
 */
import { DataError } from "./errors.ts";

/** A cursor over bytes that throws a {@link DataError} naming the source when a read runs past the end. */
export class ByteReader {
  /** Read position in bytes. */
  offset = 0;
  readonly #view: DataView;

  /** Wraps `bytes`; errors read `Cannot <action> "<source>": …`. */
  constructor(readonly bytes: Uint8Array, readonly action: string, readonly source: string) {
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Bytes left after the cursor. */
  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  /** Throws a {@link DataError} for this source. */
  fail(message: string): never {
    throw new DataError(this.action, this.source, message);
  }

  /** Checks that `n` more bytes exist; `what` names the field in the error. */
  need(n: number, what: string): void {
    if (!(n >= 0) || this.offset + n > this.bytes.length) {
      this.fail(`truncated ${what}: needs ${n} bytes at offset ${this.offset}, ${this.remaining} left`);
    }
  }

  /** Next `n` bytes (a view, not a copy). */
  take(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  /** Unsigned byte. */
  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.offset++];
  }

  /** Little-endian uint16. */
  u16le(what: string): number {
    this.need(2, what);
    const v = this.#view.getUint16(this.offset, true);
    this.offset += 2;
    return v;
  }

  /** Big-endian uint16. */
  u16be(what: string): number {
    this.need(2, what);
    const v = this.#view.getUint16(this.offset, false);
    this.offset += 2;
    return v;
  }

  /** Little-endian uint32. */
  u32le(what: string): number {
    this.need(4, what);
    const v = this.#view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }

  /** Big-endian uint32. */
  u32be(what: string): number {
    this.need(4, what);
    const v = this.#view.getUint32(this.offset, false);
    this.offset += 4;
    return v;
  }

  /** Little-endian int32. */
  i32le(what: string): number {
    this.need(4, what);
    const v = this.#view.getInt32(this.offset, true);
    this.offset += 4;
    return v;
  }

  /** Little-endian uint64 as a number; fails above 2^53. */
  u64le(what: string): number {
    const lo = this.u32le(what);
    const hi = this.u32le(what);
    if (hi > 0x1fffff) this.fail(`${what} ${hi} * 2^32 is too large`);
    return hi * 4294967296 + lo;
  }

  /** Little-endian float32. */
  f32le(what: string): number {
    this.need(4, what);
    const v = this.#view.getFloat32(this.offset, true);
    this.offset += 4;
    return v;
  }
}
