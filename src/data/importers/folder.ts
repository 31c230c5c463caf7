/**
 * Aligned image-folder trees (torchvision `ImageFolder` layout): `root/<identity>/<image>.{png,jpg,jpeg,pgm}`;
 * identities are labelled in natural sort order of their folder names.
 * @module
 */
import { DataError } from "../errors.ts";
import { joinPath, listDir, readBytes } from "../files.ts";
import { decodeImage } from "../image/codec.ts";
import type { FaceSet } from "../dataset.ts";
import { FaceSetBuilder } from "./builder.ts";

const IMAGE = /\.(png|jpe?g|pgm)$/i;

/** A folder tree as a set, with the folder name of each label. */
export interface FolderSet {
  /** The images and labels. */
  set: FaceSet;
  /** Folder name of each label. */
  classes: string[];
}

/** Imports every image of every identity folder under `root`. */
export async function importImageFolder(root: string): Promise<FolderSet> {
  const builder = new FaceSetBuilder();
  for (const identity of await listDir(root, "dir")) {
    const dir = joinPath(root, identity);
    for (const name of (await listDir(dir, "file")).filter((n) => IMAGE.test(n))) {
      const path = joinPath(dir, name);
      builder.add(await decodeImage(await readBytes(path), path), identity, path);
    }
  }
  const set = builder.build();
  if (set.count === 0) throw new DataError("import", root, "no images found (expected <root>/<identity>/<image>.png)");
  return { set, classes: builder.classKeys().map(String) };
}
