/**
 * Seeded, counter-based random numbers (Threefry-2x32, 20 rounds; Salmon et al., SC'11).
 *
 * Threefry uses only 32-bit add, rotate and xor, so the same (key, counter) gives the same bits in
 * TypeScript, C (WASM) and WGSL. Each purpose (init, data order, augmentation, dropout, …) gets its own
 * stream: the key is `[seed, hash(purpose)]`, block `b` encrypts the 64-bit counter `b` and yields two 32-bit words.
 * @module
 */

const ROTATIONS = [13, 15, 26, 6, 17, 29, 16, 24] as const;
const SKEIN_PARITY = 0x1bd11bda;

function rotl(x: number, r: number): number {
  return ((x << r) | (x >>> (32 - r))) >>> 0;
}

/**
 * Threefry-2x32-20 block function: encrypts the 64-bit counter `(c0, c1)` under the key `(k0, k1)`.
 * @returns two uint32 words
 */
export function threefry2x32(
  k0: number,
  k1: number,
  c0: number,
  c1: number,
): [number, number] {
  const k2 = (SKEIN_PARITY ^ k0 ^ k1) >>> 0;
  const ks = [k0 >>> 0, k1 >>> 0, k2];
  let x0 = (c0 + ks[0]) >>> 0;
  let x1 = (c1 + ks[1]) >>> 0;
  for (let round = 0; round < 20; round++) {
    x0 = (x0 + x1) >>> 0;
    x1 = rotl(x1, ROTATIONS[round % 8]) ^ x0;
    if (round % 4 === 3) {
      const injection = (round + 1) / 4;
      x0 = (x0 + ks[injection % 3]) >>> 0;
      x1 = (x1 + ks[(injection + 1) % 3] + injection) >>> 0;
    }
  }
  return [x0 >>> 0, x1 >>> 0];
}

/** FNV-1a hash of a string to a uint32; names a random stream. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Converts a uint32 to a float in [0, 1) with 24 bits of precision (exactly representable in f32). */
export function uint32ToUnit(bits: number): number {
  return (bits >>> 8) / 16777216;
}

/** Serializable position of an {@link Rng}, for checkpoints. */
export interface RngState {
  /** User seed (uint32). */
  seed: number;
  /** Purpose of the stream, e.g. "init" or "dropout". */
  stream: string;
  /** Number of 32-bit words drawn so far. */
  counter: number;
}

/**
 * A random stream for one purpose. Values depend only on (seed, stream, position), never on platform.
 * @example
 * const rng = new Rng(42, "init");
 * const w = rng.normal(); // same value on every machine
 */
export class Rng {
  /** User seed (uint32). */
  readonly seed: number;
  /** Purpose of this stream. */
  readonly stream: string;
  /** Second key word, derived from the stream name. */
  readonly streamKey: number;
  #word = 0;
  #cachedBlock = -1;
  #cached: [number, number] = [0, 0];

  /** Creates a stream; `seed` must be an integer in [0, 2^32). */
  constructor(seed: number, stream: string) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`Rng seed must be an integer in [0, 2^32), got ${seed}`);
    }
    this.seed = seed;
    this.stream = stream;
    this.streamKey = hashString(stream);
  }

  /** Restores a stream at a saved position. */
  static fromState(state: RngState): Rng {
    const rng = new Rng(state.seed, state.stream);
    rng.#word = state.counter;
    return rng;
  }

  /** Current position, to save in a checkpoint; restoring it continues the exact sequence. */
  state(): RngState {
    return { seed: this.seed, stream: this.stream, counter: this.#word };
  }

  /** Moves this stream to a saved position (for objects that hold the stream, e.g. dropout layers). */
  setState(state: RngState): void {
    if (state.seed !== this.seed || state.stream !== this.stream) {
      throw new Error(
        `Rng.setState: state of stream "${state.stream}" seed ${state.seed} given to "${this.stream}" seed ${this.seed}`,
      );
    }
    this.#word = state.counter;
  }

  /** A derived, independent stream (e.g. one per epoch or per worker). */
  fork(name: string): Rng {
    return new Rng(this.seed, `${this.stream}/${name}`);
  }

  /** Next 32 random bits: word `w` of the stream is half `w % 2` of Threefry block `floor(w / 2)`. */
  uint32(): number {
    const w = this.#word++;
    const block = Math.floor(w / 2);
    if (block !== this.#cachedBlock) {
      this.#cached = threefry2x32(this.seed, this.streamKey, block >>> 0, Math.floor(block / 4294967296) >>> 0);
      this.#cachedBlock = block;
    }
    return this.#cached[w % 2];
  }

  /**
   * Reserves `n` whole Threefry blocks for a device kernel (e.g. a dropout mask) and returns the first block
   * index; kernels then draw block `first + i` for element i, so masks match on every backend.
   */
  reserveBlocks(n: number): number {
    const first = Math.ceil(this.#word / 2);
    this.#word = 2 * (first + n);
    return first;
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return uint32ToUnit(this.uint32());
  }

  /** Uniform float in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.float();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Rng.int needs a positive integer, got ${n}`);
    return Math.floor(this.float() * n) % n;
  }

  /** Normal sample (Box–Muller on two words, so every draw consumes exactly two). */
  normal(mean = 0, std = 1): number {
    const a = this.uint32();
    const b = this.uint32();
    const u1 = ((a >>> 8) + 1) / 16777217;
    const u2 = (b >>> 8) / 16777216;
    return mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}
