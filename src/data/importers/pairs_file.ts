/**
 * LFW's `pairs.txt` over an image-folder tree: an optional header line `F N` (F folds, each fold N same pairs then
 * N different pairs, in that order), then one pair per line, `name i j` (two images of one identity) or
 * `name1 i name2 j` (images of two identities), fields separated by tabs or spaces. Image numbers are 1-based
 * positions within the identity's folder in the folder importer's natural sort order, which is LFW's
 * `Name_0001.jpg` numbering. Without a header the pairs, in file order, form 10 contiguous folds of equal size.
 * @module
 */
import type { PairList } from "../dataset.ts";
import { DataError } from "../errors.ts";

/** Folds of a pairs file without a header line (LFW's protocol). */
const DEFAULT_FOLDS = 10;

/** Where an identity's images are among the imported images: `count` images from index `first`. */
export interface IdentityImages {
  /** index of its first image */
  first: number;
  /** number of images */
  count: number;
}

/**
 * Parses the text of a pairs file (`path`, named in errors with the line number) into pairs over images laid out
 * as `identities` gives.
 */
export function parsePairsFile(text: string, path: string, identities: Map<string, IdentityImages>): PairList {
  const lines = text.split(/\r?\n/).map((line, i) => ({ fields: line.trim().split(/\s+/), number: i + 1 }))
    .filter(({ fields }) => fields[0] !== "");
  if (lines.length === 0) throw new DataError("read pairs", path, "no pairs");
  const fail = (number: number, message: string): never => {
    throw new DataError("read pairs", path, `line ${number}: ${message}`);
  };
  const header = lines[0].fields.length === 2 ? lines.shift()! : null;
  const image = (number: number, name: string, position: string) => {
    const at = identities.get(name);
    if (at === undefined) return fail(number, `no identity folder "${name}"`);
    const k = /^\d+$/.test(position) ? Number(position) : NaN;
    if (!(k >= 1 && k <= at.count)) fail(number, `image ${position} of "${name}": expected 1..${at.count}`);
    return at.first + k - 1;
  };
  const n = lines.length;
  const pairs: PairList = {
    left: new Int32Array(n),
    right: new Int32Array(n),
    same: new Uint8Array(n),
    fold: new Int32Array(n),
    folds: DEFAULT_FOLDS,
  };
  let perFold = n / DEFAULT_FOLDS;
  if (header) {
    const [folds, half] = header.fields.map(Number);
    if (!(Number.isInteger(folds) && folds >= 1 && Number.isInteger(half) && half >= 1)) {
      fail(header.number, `expected a header "<folds> <same pairs per fold>", got "${header.fields.join(" ")}"`);
    }
    if (n !== 2 * folds * half) fail(header.number, `header promises ${folds}×2×${half} pairs, the file has ${n}`);
    pairs.folds = folds;
    perFold = 2 * half;
  } else if (!Number.isInteger(perFold)) {
    fail(lines[0].number, `${n} pairs do not split into ${DEFAULT_FOLDS} folds of equal size (add a "F N" header)`);
  }
  lines.forEach(({ fields, number }, i) => {
    const same = fields.length === 3;
    if (!same && fields.length !== 4) {
      fail(number, `expected "name i j" or "name1 i name2 j", got "${fields.join(" ")}"`);
    }
    if (header && same !== i % perFold < perFold / 2) {
      fail(
        number,
        `expected a ${same ? "different" : "same"}-identity pair here (each fold: same pairs, then different)`,
      );
    }
    if (!same && fields[0] === fields[2]) fail(number, `a different-identity pair names "${fields[0]}" twice`);
    pairs.left[i] = image(number, fields[0], fields[1]);
    pairs.right[i] = same ? image(number, fields[0], fields[2]) : image(number, fields[2], fields[3]);
    pairs.same[i] = same ? 1 : 0;
    pairs.fold[i] = Math.floor(i / perFold);
  });
  return pairs;
}
