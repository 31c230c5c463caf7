/**
 * `deno task align --detector mtcnn|blazeface <raw dir> <out dir>`: aligns a folder tree of face images to the
 * 112×112 (or 224×224) 5-point template (`src/data/align_folder.ts`), writing PNG crops in the same layout, with
 * progress on stderr (a bar on a terminal, plain lines otherwise). Images without a face are skipped and listed in
 * `<out dir>/align-summary.json`. Exit codes: 0 done (faces missing in some images is not a failure), 2 bad input
 * (unknown flag or detector, missing folder, a file that cannot be read or decoded: the others are still aligned and
 * each such file is named; a missing detector model or weights), 1 any other failure.
 * @module
 */
import { parseArgs } from "node:util";
import { ALIGN_SUMMARY, alignFolder, type AlignFolderSummary } from "../data/align_folder.ts";
import { DataError } from "../data/errors.ts";
import { consoleProgress } from "../io/progress.ts";
import { createLandmarkDetector, LANDMARK_DETECTORS } from "../bench/landmark_detectors.ts";

/** Usage text printed with a bad-input error. */
export const ALIGN_USAGE = `Usage: deno task align [--detector NAME] [options] <raw dir> <out dir>
  --detector NAME   ${LANDMARK_DETECTORS.join(" or ")} (default mtcnn)
  --model FILE      BlazeFace's ONNX model (default: env FACEBENCH_BLAZEFACE)
  --size S          crop side, 112 (default) or 224
Aligns every .png/.jpg/.jpeg/.pgm below <raw dir> (any depth) to <out dir>, same layout, as PNG; images without a
face are skipped and listed in <out dir>/${ALIGN_SUMMARY}.`;

/** Bad input to the align command (exit code 2). */
export class AlignInputError extends Error {
  /** Creates an error with a message for the user. */
  constructor(message: string) {
    super(message);
    this.name = "AlignInputError";
  }
}

/** What to align and how. */
export interface AlignRequest {
  /** detector name */
  detector: string;
  /** BlazeFace model path, when given */
  model?: string;
  /** crop side */
  size: 112 | 224;
  /** input folder */
  input: string;
  /** output folder */
  output: string;
}

/** Parses the command line; throws {@link AlignInputError} on unknown flags, a bad value or missing folders. */
export function parseAlignArgs(args: string[]): AlignRequest {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { detector: { type: "string" }, model: { type: "string" }, size: { type: "string" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new AlignInputError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const detector = values.detector ?? "mtcnn";
  if (!LANDMARK_DETECTORS.includes(detector)) {
    throw new AlignInputError(`--detector "${detector}": expected one of ${LANDMARK_DETECTORS.join(", ")}`);
  }
  const size = Number(values.size ?? 112);
  if (size !== 112 && size !== 224) throw new AlignInputError(`--size "${values.size}": expected 112 or 224`);
  if (positionals.length !== 2) {
    throw new AlignInputError(`expected <raw dir> and <out dir>, got ${positionals.length} paths`);
  }
  return { detector, model: values.model, size: size as 112 | 224, input: positionals[0], output: positionals[1] };
}

/** Aligns the folder as requested. */
export async function runAlign(request: AlignRequest): Promise<AlignFolderSummary> {
  const detector = createLandmarkDetector(request.detector, { blazefaceModel: request.model });
  try {
    return await alignFolder(request.input, request.output, detector, {
      size: request.size,
      onProgress: consoleProgress(`aligning (${request.detector})`),
    });
  } finally {
    await detector.close();
  }
}

/** Runs the command; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let request;
  try {
    request = parseAlignArgs(args);
  } catch (error) {
    console.error(`error: ${(error as Error).message}\n\n${ALIGN_USAGE}`);
    return 2;
  }
  try {
    const summary = await runAlign(request);
    console.log(
      `${summary.aligned} of ${summary.images} images aligned into ${summary.output}; ` +
        `${summary.skipped.length} without a face, ${summary.unreadable.length} unreadable (listed in ${ALIGN_SUMMARY})`,
    );
    for (const { error } of summary.unreadable) console.error(`error: ${error}`);
    return summary.unreadable.length > 0 ? 2 : 0;
  } catch (error) {
    // a missing or empty input folder, an output inside the input, two inputs with one output name, a missing model
    if (error instanceof DataError) {
      console.error(`error: ${error.message}`);
      return 2;
    }
    console.error(error);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
