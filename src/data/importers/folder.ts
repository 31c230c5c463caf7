/**
 * Aligned image-folder trees (torchvision `ImageFolder` layout): `root/<identity>/<image>.{png,jpg,jpeg,pgm}`;
 * identities are labelled in natural sort order of their folder names.
 *
 * Symbolic links are followed, for identity folders and for images alike (as torchvision's `ImageFolder` does);
 * a broken or looping link raises a {@link DataError} naming it instead of an identity or image vanishing. The
 * layout is two levels deep and nothing is walked recursively, so links cannot make the walk cycle; an identity
 * link that resolves to the root or to another identity's folder (which would import the same images twice under
 * two labels) is rejected. Decoded pixels are bounded relative to the total size of the image files.
 * @module
 */
import { DataError } from "../errors.ts";
import { joinPath, readBytes } from "../files.ts";
import { host, type PathInfo } from "../../io/host.ts";
import { decodeImage } from "../image/codec.ts";
import type { FaceSet } from "../dataset.ts";
import { FaceSetBuilder, type ImportLimits } from "./builder.ts";

const IMAGE = /\.(png|jpe?g|pgm)$/i;

/** A folder tree as a set, with the folder name of each label. */
export interface FolderSet {
  /** The images and labels. */
  set: FaceSet;
  /** Folder name of each label. */
  classes: string[];
}

/** A directory entry with symbolic links resolved. */
export interface FolderEntry {
  /** file or folder name */
  name: string;
  /** path: the root joined with the name(s) */
  path: string;
  /** `stat` of the entry, through any symbolic link */
  info: PathInfo;
}

/** One identity folder of a tree and its image files, in natural sort order. */
export interface FolderIdentity {
  /** the folder's name */
  identity: string;
  /** its image files */
  images: FolderEntry[];
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Entries of `dir` whose names pass `wanted`, in natural sort order, each `stat`ed through any symbolic link. */
async function resolvedEntries(dir: string, wanted: (name: string) => boolean): Promise<FolderEntry[]> {
  const names: string[] = [];
  try {
    for (const entry of await host().listDir(dir)) if (wanted(entry.name)) names.push(entry.name);
  } catch (error) {
    throw new DataError("list", dir, message(error));
  }
  names.sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  return Promise.all(names.map(async (name) => {
    const path = joinPath(dir, name);
    try {
      const info = await host().stat(path);
      if (info) return { name, path, info };
      throw new Error("it points to nothing");
    } catch (error) {
      throw new DataError("read", path, `broken or looping symbolic link (${message(error)})`);
    }
  }));
}

/** The real path of a directory, naming it in a {@link DataError} on failure. */
async function realDir(path: string): Promise<string> {
  try {
    return await host().realPath(path);
  } catch (error) {
    throw new DataError("read", path, message(error));
  }
}

/**
 * The identity folders of the tree at `root` (natural sort order) with their image files (natural sort order: the
 * order of the importer's images), rejecting identity links to the root or to another identity's folder.
 */
export async function listImageFolder(root: string): Promise<FolderIdentity[]> {
  const seen = new Map<string, string>([[await realDir(root), "the root folder itself"]]);
  const out: FolderIdentity[] = [];
  for (const dir of await resolvedEntries(root, () => true)) {
    if (!dir.info.isDirectory) continue;
    const real = await realDir(dir.path);
    const other = seen.get(real);
    if (other !== undefined) {
      throw new DataError("import", dir.path, `links to ${other}; expected one folder per identity`);
    }
    seen.set(real, `the folder of identity "${dir.name}"`);
    const images = (await resolvedEntries(dir.path, (n) => IMAGE.test(n))).filter((e) => e.info.isFile);
    out.push({ identity: dir.name, images });
  }
  return out;
}

/** Imports every image of every identity folder under `root` (symbolic links followed; see the module doc). */
export async function importImageFolder(root: string, limits: ImportLimits = {}): Promise<FolderSet> {
  const identities = await listImageFolder(root);
  const inputBytes = identities.reduce((n, id) => n + id.images.reduce((m, e) => m + e.info.size, 0), 0);
  const builder = new FaceSetBuilder({ source: root, inputBytes, limits });
  for (const { identity, images } of identities) {
    for (const { path } of images) builder.add(await decodeImage(await readBytes(path), path, limits), identity, path);
  }
  const set = builder.build();
  if (set.count === 0) throw new DataError("import", root, "no images found (expected <root>/<identity>/<image>.png)");
  return { set, classes: builder.classKeys().map(String) };
}
