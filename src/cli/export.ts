/**
 * `deno task export --backbone NAME [--checkpoint PATH] [--options JSON] [--reparameterize] --out model.onnx`: writes
 * an eval-mode ONNX
 * model of a registered backbone (`src/models/onnx/export.ts`: opset 17, NCHW input `input` [N, 3, S, S] with a
 * dynamic batch, output `embedding` [N, E], BatchNorm kept as BatchNormalization nodes). Without `--checkpoint` the
 * weights are the seeded initialisation (seed 0); with it, the backbone tensors (`backbone.*`) are loaded first from a
 * trainer checkpoint (`DIR/step-NNNNNNNN` or its `.json` sidecar: verified as on resume) or from any `.safetensors`
 * file of `backbone.*` tensors (a checkpoint's tensor file, a model kept by `deno task bench --keep-models`). With
 * `--reparameterize` the model exported is the backbone's inference form (`Backbone.inferenceForm`: RepVGG's folded
 * deploy form; other families are exported as they are). The forward is traced on
 * the reference backend. The file is written atomically. Exit codes: 0 written, 2 bad input (unknown backbone,
 * invalid options, missing or invalid checkpoint, unwritable output), 1 any other failure.
 * @module
 */
import { basename, dirname } from "node:path";
import { parseArgs } from "node:util";
import { RecordingBackend } from "../backends/recording/backend.ts";
import { ReferenceBackend } from "../backends/reference/backend.ts";
import { Rng } from "../core/rng.ts";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { type Backbone, backbones } from "../models/mod.ts";
import { exportBackboneOnnx, type OnnxExport } from "../models/onnx/export.ts";
import { loadCheckpoint, restoreTensors } from "../train/checkpoint.ts";
import { decodeSafetensors, type NamedArray } from "../train/safetensors.ts";
import { directoryStore } from "../train/directory_store.ts";

/** Usage text printed with a bad-input error. */
export const EXPORT_USAGE =
  `Usage: deno task export --backbone NAME [--checkpoint PATH] [--options JSON] [--reparameterize] --out model.onnx
  --backbone NAME      a registered backbone preset (e.g. mobilefacenet, ir_50)
  --checkpoint PATH    trainer checkpoint DIR/step-NNNNNNNN (or its .json sidecar), or a .safetensors file of
                       backbone.* tensors (a checkpoint's tensor file, a bench --keep-models file); default: seeded init
  --options JSON       backbone options, e.g. '{"inputSize":112}'
  --reparameterize     export the folded inference form (RepVGG: one 3×3 conv per block); no change for other families
  --out FILE           the .onnx file to write`;

/** Bad input to the export command (exit code 2). */
export class ExportInputError extends Error {
  /** Creates an error with a message for the user. */
  constructor(message: string) {
    super(message);
    this.name = "ExportInputError";
  }
}

/** What to export. */
export interface ExportRequest {
  /** backbone preset name */
  backbone: string;
  /** trainer checkpoint (DIR/name, or one of its two files) */
  checkpoint?: string;
  /** backbone options (validated by the preset's schema) */
  options?: unknown;
  /** output .onnx path */
  out: string;
  /** export the backbone's inference form (RepVGG's re-parameterised deploy form) */
  reparameterize?: boolean;
}

/** Parses the command line; throws {@link ExportInputError} on unknown flags or missing values. */
export function parseExportArgs(args: string[]): ExportRequest {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        backbone: { type: "string" },
        checkpoint: { type: "string" },
        options: { type: "string" },
        out: { type: "string" },
        reparameterize: { type: "boolean" },
      },
      strict: true,
    }));
  } catch (error) {
    throw new ExportInputError((error as Error).message);
  }
  if (!values.backbone) throw new ExportInputError("--backbone is required");
  if (!values.out) throw new ExportInputError("--out is required");
  let options: unknown = {};
  if (values.options !== undefined) {
    try {
      options = JSON.parse(values.options);
    } catch (error) {
      throw new ExportInputError(`--options is not valid JSON: ${(error as Error).message}`);
    }
  }
  return {
    backbone: values.backbone,
    checkpoint: values.checkpoint,
    options,
    out: values.out,
    reparameterize: values.reparameterize,
  };
}

/** The tensors of `--checkpoint`: a `.safetensors` file as it is, otherwise a verified trainer checkpoint. */
async function checkpointTensors(path: string): Promise<ReadonlyMap<string, NamedArray>> {
  if (path.endsWith(".safetensors")) return decodeSafetensors(await Deno.readFile(path), path).tensors;
  const name = basename(path).replace(/\.json$/, "");
  return (await loadCheckpoint(directoryStore(dirname(path)), name)).tensors;
}

async function assertWritableDirectory(out: string): Promise<void> {
  const dir = dirname(out);
  try {
    if (!(await Deno.stat(dir)).isDirectory) throw new Error("not a directory");
  } catch (error) {
    throw new ExportInputError(`cannot write ${out}: directory ${dir} is unusable (${(error as Error).message})`);
  }
}

/** Builds the backbone, loads the checkpoint if given, exports and writes the ONNX file atomically. */
export async function exportToFile(request: ExportRequest): Promise<OnnxExport> {
  const known = backbones.list().map((b) => b.name);
  if (!known.includes(request.backbone)) {
    throw new ExportInputError(`unknown backbone "${request.backbone}"; known: ${known.join(", ")}`);
  }
  await assertWritableDirectory(request.out);
  const backend = new RecordingBackend(new ReferenceBackend());
  const ctx = { backend, rng: new Rng(0, "init") };
  let model;
  try {
    model = backbones.get(request.backbone).create(request.options ?? {}, ctx);
  } catch (error) {
    throw new ExportInputError((error as Error).message);
  }
  let exportable: Backbone | undefined;
  try {
    if (request.checkpoint) {
      try {
        const tensors = await checkpointTensors(request.checkpoint);
        const entries = [...model.state()].map(([path, tensor]) => ({ path: `backbone.${path}`, tensor }));
        restoreTensors(entries, tensors, `${request.checkpoint} (backbone ${request.backbone})`);
      } catch (error) {
        throw new ExportInputError(`--checkpoint ${request.checkpoint}: ${(error as Error).message}`);
      }
    }
    exportable = request.reparameterize ? model.eval().inferenceForm(ctx) : model;
    const exported = await exportBackboneOnnx(exportable, backend, request.backbone);
    try {
      await writeFileAtomic(request.out, exported.bytes);
    } catch (error) {
      throw new ExportInputError(`cannot write ${request.out}: ${(error as Error).message}`);
    }
    return exported;
  } finally {
    if (exportable && exportable !== model) exportable.dispose();
    model.dispose();
  }
}

/** Runs the command; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  try {
    const request = parseExportArgs(args);
    const exported = await exportToFile(request);
    const size = exported.inputSize;
    console.log(
      `wrote ${request.out}: opset ${exported.opset}, ${exported.opTypes.length} nodes, ${
        (exported.bytes.length / 2 ** 20).toFixed(1)
      } MiB, ` +
        `input "input" [N,3,${size},${size}] (NCHW, dynamic batch), output "embedding" [N,${exported.embeddingSize}]`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ExportInputError) {
      console.error(`error: ${error.message}\n\n${EXPORT_USAGE}`);
      return 2;
    }
    console.error(error);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
