/**
 * Dataset manifests (`fixtures/data/<id>.json`): the zod schema, parsing with errors that name the file and field,
 * and conversion of the recorded pairs and identification split to typed arrays.
 * @module
 */
import { z } from "zod";
import { DataError } from "./errors.ts";
import type { PairList } from "./dataset.ts";

const count = z.number().int().min(0);
const positive = z.number().int().min(1);

/** One split of a synthetic dataset: identities × images per identity, identity-major order. */
const SplitSchema = z.strictObject({
  identities: positive,
  imagesPerIdentity: positive,
  images: positive,
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lowercase hex digits"),
});

/** The manifest of a synthetic dataset (format `facebench-dataset/1`). */
export const ManifestSchema = z.strictObject({
  format: z.literal("facebench-dataset/1"),
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "expected a lowercase dataset id"),
  description: z.string(),
  generator: z.strictObject({
    name: z.literal("synthface"),
    version: z.string().min(1),
    seed: z.number().int().min(0).max(0xffffffff),
    difficulty: z.number().positive(),
    rawSize: positive,
    siblingSpread: z.number().min(0),
  }),
  image: z.strictObject({
    height: z.union([z.literal(112), z.literal(224)]),
    width: z.union([z.literal(112), z.literal(224)]),
    channels: z.literal(3),
    layout: z.literal("NHWC uint8 RGB"),
  }),
  labels: z.literal("identity-major: label = floor(index / imagesPerIdentity)"),
  train: SplitSchema,
  test: SplitSchema,
  pairs: z.strictObject({
    folds: positive,
    perFold: positive,
    order: z.literal("per fold: positives, then negatives"),
    list: z.array(z.tuple([count, count, z.union([z.literal(0), z.literal(1)])])),
  }),
  identification: z.strictObject({
    rule: z.literal("gallery: one image per test identity; probe: every other test image"),
    gallery: z.array(count),
  }),
});

/** A parsed, validated manifest. */
export type Manifest = z.infer<typeof ManifestSchema>;

/** Checks relations the schema cannot express (counts, index ranges, pair labels). */
function checkConsistency(m: Manifest): string | null {
  for (const split of ["train", "test"] as const) {
    const s = m[split];
    if (s.images !== s.identities * s.imagesPerIdentity) {
      return `field "${split}.images": expected identities × imagesPerIdentity = ${
        s.identities * s.imagesPerIdentity
      }, got ${s.images}`;
    }
  }
  if (m.image.height !== m.image.width) return `field "image": expected a square image`;
  const { folds, perFold, list } = m.pairs;
  if (list.length !== folds * perFold) {
    return `field "pairs.list": expected ${folds * perFold} pairs, got ${list.length}`;
  }
  const per = m.test.imagesPerIdentity;
  for (let i = 0; i < list.length; i++) {
    const [a, b, same] = list[i];
    if (a >= m.test.images || b >= m.test.images) {
      return `field "pairs.list.${i}": index beyond ${m.test.images} test images`;
    }
    if (Number(Math.floor(a / per) === Math.floor(b / per)) !== same) {
      return `field "pairs.list.${i}.2": flag ${same} contradicts the identities of images ${a} and ${b}`;
    }
  }
  const identities = new Set(m.identification.gallery.map((i) => Math.floor(i / per)));
  if (m.identification.gallery.some((i) => i >= m.test.images) || identities.size !== m.test.identities) {
    return `field "identification.gallery": expected one in-range image for each of the ${m.test.identities} test identities`;
  }
  return null;
}

/** Validates a manifest object; `source` names the file in errors. */
export function parseManifest(value: unknown, source: string): Manifest {
  const result = ManifestSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue.path.map(String).join(".") || "(root)";
    throw new DataError("read manifest", source, `field "${path}": ${issue.message}`);
  }
  const problem = checkConsistency(result.data);
  if (problem) throw new DataError("read manifest", source, problem);
  return result.data;
}

/** Parses manifest JSON text; `source` names the file in errors. */
export function parseManifestText(text: string, source: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DataError("read manifest", source, `invalid JSON (${(error as Error).message})`);
  }
  return parseManifest(value, source);
}

/** Serialises a manifest as JSON in `deno fmt` style, one pair per line. */
export function formatManifest(m: Manifest): string {
  const text = JSON.stringify(m, null, 2).replace(/\[\n\s+(\d+),\n\s+(\d+),\n\s+(\d)\n\s+\]/g, "[$1, $2, $3]");
  return `${text}\n`;
}

/** Gallery and probe indices into the test split (probes: every test image not in the gallery). */
export function identificationOf(m: Manifest): { gallery: Int32Array; probe: Int32Array } {
  const gallery = new Set(m.identification.gallery);
  const probe = Array.from({ length: m.test.images }, (_, i) => i).filter((i) => !gallery.has(i));
  return { gallery: Int32Array.from(m.identification.gallery), probe: Int32Array.from(probe) };
}

/** The manifest's pairs as typed arrays. */
export function pairsOf(m: Manifest): PairList {
  const n = m.pairs.list.length;
  const out: PairList = {
    left: new Int32Array(n),
    right: new Int32Array(n),
    same: new Uint8Array(n),
    fold: new Int32Array(n),
    folds: m.pairs.folds,
  };
  m.pairs.list.forEach(([a, b, same], i) => {
    out.left[i] = a, out.right[i] = b, out.same[i] = same, out.fold[i] = Math.floor(i / m.pairs.perFold);
  });
  return out;
}
