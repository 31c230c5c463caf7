/**
 * The project's writer of InsightFace `.bin` verification sets: a Python pickle of `(bins, issame_list)` where
 * `bins` holds 2N encoded images, pair i being images 2i and 2i + 1, and `issame_list` N booleans — what
 * `importBin`, arcface_torch's `load_bin` and face.evoLVe's read. The opcodes are those CPython's pickler emits for
 * a tuple of two lists (appends in batches of 1,000): protocol 4 writes Python 3 `bytes` (`SHORT_BINBYTES` /
 * `BINBYTES`), protocol 2 Python 2 `str` (`SHORT_BINSTRING` / `BINSTRING`, read by Python 3 with
 * `encoding="bytes"`). Images are PNG-encoded by the project's codec: lossless, so importing the file gives back the
 * same pixels byte for byte. The format stores no folds: readers take 10 contiguous folds (KFold(10)).
 * @module
 */
import type { FaceSet, PairList } from "../dataset.ts";
import { DataError } from "../errors.ts";
import { encodePng } from "../image/png.ts";
import { writeStreamAtomic } from "../../io/atomic_write.ts";

/** Pickle protocols the writer emits: 2 (Python 2 `str` images) or 4 (Python 3 `bytes`, the default). */
export type BinProtocol = 2 | 4;

/** Folds readers of `.bin` files assume: 10 contiguous blocks of pairs. */
const BIN_FOLDS = 10;

/** Python's pickler appends list items in batches of this many (`_BATCHSIZE`). */
const BATCH = 1000;

const OP = {
  PROTO: 0x80,
  EMPTY_LIST: 0x5d,
  BINPUT: 0x71,
  MEMOIZE: 0x94,
  MARK: 0x28,
  APPENDS: 0x65,
  TUPLE2: 0x86,
  STOP: 0x2e,
  NEWTRUE: 0x88,
  NEWFALSE: 0x89,
  SHORT_BINSTRING: 0x55,
  BINSTRING: 0x54,
  SHORT_BINBYTES: 0x43,
  BINBYTES: 0x42,
} as const;

/**
 * Emits the opcodes of `pickle.dumps((bins, issame), protocol)` piece by piece, so that a writer can stream images
 * it encodes one at a time: {@link head}, one {@link image} per image, then {@link tail}.
 */
class BinPickler {
  #memo = 0;
  #images = 0;

  /** A pickler for `protocol`. */
  constructor(readonly protocol: BinProtocol) {}

  /** Stores the object on top of the stack in the memo, as the pickler does for lists and tuples. */
  #memoize(): number[] {
    return this.protocol === 4 ? [OP.MEMOIZE] : [OP.BINPUT, this.#memo++];
  }

  /** The protocol header and the opening of `bins`. */
  head(): Uint8Array {
    return Uint8Array.of(OP.PROTO, this.protocol, OP.EMPTY_LIST, ...this.#memoize());
  }

  /** The next image's bytes, with the MARK that opens each batch of appends and the APPENDS that closes a full one. */
  image(bytes: Uint8Array): Uint8Array {
    const short = bytes.length < 256;
    const op = this.protocol === 4
      ? (short ? OP.SHORT_BINBYTES : OP.BINBYTES)
      : (short ? OP.SHORT_BINSTRING : OP.BINSTRING);
    const head = this.#images % BATCH === 0 ? [OP.MARK, op] : [op];
    const n = bytes.length;
    const length = short ? [n] : [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24]; // little-endian
    const close = ++this.#images % BATCH === 0 ? [OP.APPENDS] : [];
    const out = new Uint8Array(head.length + length.length + bytes.length + close.length);
    out.set([...head, ...length]);
    out.set(bytes, head.length + length.length);
    out.set(close, out.length - close.length);
    return out;
  }

  /** Closes `bins`, pickles `issame_list` and the tuple, and stops. */
  tail(same: readonly boolean[]): Uint8Array {
    const out: number[] = this.#images % BATCH === 0 ? [] : [OP.APPENDS];
    out.push(OP.EMPTY_LIST, ...this.#memoize());
    for (let i = 0; i < same.length; i += BATCH) {
      out.push(OP.MARK, ...same.slice(i, i + BATCH).map((s) => (s ? OP.NEWTRUE : OP.NEWFALSE)), OP.APPENDS);
    }
    out.push(OP.TUPLE2, ...this.#memoize(), OP.STOP);
    return Uint8Array.from(out);
  }
}

/** Pickles `(bins, issame)` in memory, as `pickle.dumps((bins, issame), protocol)` does for bytes and bools. */
export function pickleBin(
  bins: readonly Uint8Array[],
  same: readonly boolean[],
  protocol: BinProtocol = 4,
): Uint8Array {
  const pickler = new BinPickler(protocol);
  const chunks = [pickler.head(), ...bins.map((b) => pickler.image(b)), pickler.tail(same)];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  chunks.reduce((at, c) => (out.set(c, at), at + c.length), 0);
  return out;
}

/**
 * Checks that `pairs` survives the `.bin` format, which stores no folds: at least one pair, {@link BIN_FOLDS} folds,
 * pair i in fold ⌊i · 10 / N⌋ (the contiguous blocks readers assume), and image indices inside `set`.
 */
function checkBinPairs(set: FaceSet, pairs: PairList, source: string): void {
  const n = pairs.same.length;
  const fail = (message: string): never => {
    throw new DataError("write .bin", source, message);
  };
  if (n === 0) fail("no pairs");
  if (pairs.folds !== BIN_FOLDS) fail(`${pairs.folds} folds; the format stores none and readers take ${BIN_FOLDS}`);
  for (let i = 0; i < n; i++) {
    const fold = Math.floor((i * BIN_FOLDS) / n);
    if (pairs.fold[i] !== fold) {
      fail(`pair ${i} is in fold ${pairs.fold[i]}; readers put it in fold ${fold} (10 contiguous blocks)`);
    }
    for (const k of [pairs.left[i], pairs.right[i]]) {
      if (!(k >= 0 && k < set.count)) fail(`pair ${i} names image ${k} of ${set.count}`);
    }
  }
}

/**
 * Writes the pairs `pairs` over `set` as a `.bin` file at `path` (atomically): for pair i, the PNGs of images
 * `left[i]` and `right[i]`, then the same flags. Memory holds one image's PNG at a time. The format stores no
 * folds, so `pairs` must have 10 folds with pair i in fold ⌊i · 10 / N⌋ (the contiguous blocks readers assume, as
 * every pair list loaded here has); anything else is a {@link DataError} before anything is written.
 */
export async function writeBin(
  set: FaceSet,
  pairs: PairList,
  path: string,
  protocol: BinProtocol = 4,
): Promise<void> {
  checkBinPairs(set, pairs, path);
  const size = set.height * set.width * 3;
  const pickler = new BinPickler(protocol);
  await writeStreamAtomic(path, async (write) => {
    await write(pickler.head());
    for (let i = 0; i < pairs.same.length; i++) {
      for (const k of [pairs.left[i], pairs.right[i]]) {
        const data = set.images.subarray(k * size, (k + 1) * size);
        await write(pickler.image(await encodePng({ width: set.width, height: set.height, channels: 3, data })));
      }
    }
    await write(pickler.tail(Array.from(pairs.same, (s) => s === 1)));
  });
}
