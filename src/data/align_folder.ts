/**
 * Aligns a folder tree of face images to the 5-point template: every `.png`, `.jpg`, `.jpeg` and `.pgm` file at any
 * depth (decoded by content, as `decodeImage` does; symbolic links to files are followed, to folders not, so the
 * walk cannot cycle) goes through a {@link LandmarkDetector} and {@link alignFace}, and the crop is written as PNG at
 * the same relative path (extension `.png`) below the output folder, atomically. Images without a face are skipped
 * and listed; files that cannot be read or decoded are listed with the reason. A summary
 * (`align-summary.json`) is written last.
 * @module
 */
import { relative, resolve } from "node:path";
import { alignFace, type CropSize } from "./align.ts";
import { DataError } from "./errors.ts";
import { joinPath, writeTextAtomic } from "./files.ts";
import { readImage, writeImage } from "./image/io.ts";
import type { LandmarkDetector } from "./landmarks.ts";
import { host } from "../io/host.ts";
import type { Progress } from "../io/progress.ts";

/** File name of the summary in the output folder. */
export const ALIGN_SUMMARY = "align-summary.json";

/** Extensions of the files aligned (case-insensitive). */
const IMAGE_EXTENSION = /\.(png|jpe?g|pgm)$/i;

/** What {@link alignFolder} did. */
export interface AlignFolderSummary {
  /** the detector's id */
  detector: string;
  /** the input folder */
  input: string;
  /** the output folder */
  output: string;
  /** image files found */
  images: number;
  /** crops written */
  aligned: number;
  /** relative paths of the images where no face was found (nothing written for them) */
  skipped: string[];
  /** relative paths of files that could not be read or decoded, with the reason */
  unreadable: { path: string; error: string }[];
}

/** Options of {@link alignFolder}. */
export interface AlignFolderOptions {
  /** output crop side (default 112) */
  size?: CropSize;
  /** progress in images */
  onProgress?: Progress;
}

/** Whether a path names a directory (following links). */
async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await host().stat(path))?.isDirectory ?? false;
  } catch {
    return false;
  }
}

/** Relative paths (slash-separated, sorted) of the image files below `root`, at any depth. */
export async function listImages(root: string): Promise<string[]> {
  if (!(await isDirectory(root))) throw new DataError("align", root, "input folder not found (or not a folder)");
  const found: string[] = [];
  const walk = async (dir: string, prefix: string) => {
    const entries = await host().listDir(dir);
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = joinPath(dir, entry.name), name = prefix + entry.name;
      if (entry.isDirectory) await walk(path, `${name}/`);
      else if (IMAGE_EXTENSION.test(entry.name) && (entry.isFile || (entry.isSymlink && !(await isDirectory(path))))) {
        found.push(name);
      }
    }
  };
  await walk(root, "");
  if (found.length === 0) throw new DataError("align", root, "no .png, .jpg, .jpeg or .pgm files in the folder tree");
  return found;
}

/** The output path of an input image: same relative path, extension `.png`. */
export function alignedName(name: string): string {
  return name.replace(IMAGE_EXTENSION, ".png");
}

/** Refuses an output folder inside the input (a rerun would align the crops) and two inputs with one output name. */
function checkLayout(root: string, out: string, names: readonly string[]): void {
  const inside = relative(resolve(root), resolve(out));
  if (inside === "" || (!inside.startsWith("..") && !inside.startsWith("/"))) {
    throw new DataError("align into", out, `the output folder must not be the input folder ${root} or inside it`);
  }
  const seen = new Map<string, string>();
  for (const name of names) {
    const target = alignedName(name), other = seen.get(target.toLowerCase());
    if (other) throw new DataError("align", joinPath(root, name), `${other} would be written to the same ${target}`);
    seen.set(target.toLowerCase(), name);
  }
}

/** Aligns every image below `root` into `out` with `detector`; returns (and writes) the summary. */
export async function alignFolder(
  root: string,
  out: string,
  detector: LandmarkDetector,
  options: AlignFolderOptions = {},
): Promise<AlignFolderSummary> {
  const names = await listImages(root);
  checkLayout(root, out, names);
  const summary: AlignFolderSummary = {
    detector: detector.id,
    input: root,
    output: out,
    images: names.length,
    aligned: 0,
    skipped: [],
    unreadable: [],
  };
  for (const [k, name] of names.entries()) {
    let image;
    try {
      image = await readImage(joinPath(root, name));
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      summary.unreadable.push({ path: name, error: error.message });
    }
    if (image) {
      const landmarks = await detector.detect(image);
      if (landmarks) {
        await writeImage(joinPath(out, alignedName(name)), alignFace(image, landmarks, { size: options.size }));
        summary.aligned++;
      } else summary.skipped.push(name);
    }
    options.onProgress?.(k + 1, names.length);
  }
  await writeTextAtomic(joinPath(out, ALIGN_SUMMARY), JSON.stringify(summary, null, 2) + "\n");
  return summary;
}
