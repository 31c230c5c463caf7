/**
 * Image-folder training sets larger than memory: `cacheImageFolder` decodes an aligned tree
 * `root/<identity>/<image>` (the layout of `importImageFolder`) file by file into the raw image cache
 * (`src/data/raw_cache.ts`). Labels come from the listing, so low-shot identities (`numMin`) are skipped without
 * being read. The cache is keyed by the hash of the sorted list of relative paths with their sizes and modification
 * times, and `numMin`. Memory: the listing (one entry per image) and the raw cache's per-image arrays, one file's
 * bytes and one decoded image. With `numMin` 0 the pixels and labels equal what `importImageFolder` returns.
 * @module
 */
import { sha256Hex } from "../../core/sha256.ts";
import { cacheDir, joinPath, readBytes } from "../files.ts";
import { decodeImage } from "../image/codec.ts";
import { cacheRawImages, type RawCache, type RawCacheOptions } from "../raw_cache.ts";
import { listImageFolder } from "./folder.ts";

/**
 * Decodes the images of the tree at `root` into the raw cache (files under `<cacheDir>/folders/`), unless an
 * up-to-date cache of them exists, and returns the file-backed set. The images must be square and of one size.
 */
export async function cacheImageFolder(root: string, options: RawCacheOptions = {}): Promise<RawCache> {
  const images = (await listImageFolder(root)).flatMap(({ identity, images }, label) =>
    images.map(({ name, path, info }) => ({ label, path, relative: `${identity}/${name}`, info }))
  );
  const listing = images.map(({ relative, info }) => `${relative}\t${info.size}\t${info.modifiedMs ?? 0}`);
  const request = {
    dir: joinPath(options.cacheDir ?? cacheDir(), "folders"),
    path: root,
    identity: `folder\n${await sha256Hex(new TextEncoder().encode(listing.sort().join("\n")))}`,
    numMin: options.numMin ?? 0,
    onProgress: options.onProgress,
  };
  return await cacheRawImages(request, () =>
    Promise.resolve({
      keys: Int32Array.from(images, (image) => image.label),
      budget: { source: root, inputBytes: images.reduce((n, image) => n + image.info.size, 0), limits: options },
      name: (i: number) => images[i].path,
      decode: async (i: number) => decodeImage(await readBytes(images[i].path), images[i].path, options),
    }));
}
