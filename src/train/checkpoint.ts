/**
 * Checkpoints: the tensors (model, head, optimizer state such as velocities or moments) in a safetensors file `<name>.safetensors`, and a
 * JSON sidecar `<name>.json` with the step, schedule, optimizer hyper-parameters, RNG and sampler state and the
 * SHA-256 of the tensor file. The sidecar is written last and carries the hash, so a checkpoint whose files do not
 * belong together (a crash between the two writes) is rejected on load. The tensor file's metadata in turn records
 * the step and the SHA-256 of the sidecar's state (canonical JSON), so an edited or mixed-up sidecar (another step,
 * another sampler position) is rejected too. Files go through a {@link FileStore}, which keeps this module free of
 * file-system APIs; the CLI supplies an atomic directory store.
 * @module
 */
import { z } from "zod";
import type { Tensor } from "../core/tensor.ts";
import { formatShape } from "../core/shape.ts";
import { lossSchema } from "../losses/mod.ts";
import { canonicalJson } from "./json_compare.ts";
import { optimizerSchema } from "./optimizer_config.ts";
import { decodeSafetensors, encodeSafetensors, type NamedArray } from "./safetensors.ts";
import { scheduleSchema } from "./schedule.ts";
import { sha256Hex } from "../core/sha256.ts";

/** Where checkpoint files are kept: `write` must be atomic (temp file + rename) for crash safety. */
export interface FileStore {
  /** Writes (replaces) file `name` atomically. */
  write(name: string, data: Uint8Array): Promise<void>;
  /** Reads file `name`; rejects with an error naming it when missing. */
  read(name: string): Promise<Uint8Array>;
  /** Whether file `name` exists. */
  exists(name: string): Promise<boolean>;
  /** Deletes file `name` if it exists. */
  remove(name: string): Promise<void>;
}

/** Version of the sidecar format (2: the tensor file's metadata binds the step and the sidecar state). */
export const CHECKPOINT_VERSION = 2;

const FORMAT = "facebench-checkpoint";

const rngStateSchema = z.object({
  seed: z.number().int().min(0).max(0xffffffff),
  stream: z.string(),
  counter: z.number().int().nonnegative(),
}).strict();

/** Everything besides tensors that a resumed run needs. */
export const checkpointStateSchema = z.object({
  /** iterations completed */
  step: z.number().int().nonnegative(),
  /** learning-rate schedule */
  schedule: scheduleSchema,
  /** optimizer hyper-parameters */
  optimizer: optimizerSchema,
  /** global gradient-norm clipping (null: none; absent in checkpoints written without a trainer) */
  clipGradNorm: z.number().positive().nullable().optional(),
  /** the classification loss (absent in checkpoints written without a trainer) */
  loss: lossSchema.optional(),
  /**
   * the settings of the trainer's auxiliary loss, e.g. distillation terms and the teacher's weight hash (null: none;
   * absent in checkpoints written without a trainer or before it was recorded)
   */
  auxiliary: z.json().nullable().optional(),
  /** RNG stream positions (init, data order, augmentation, dropout, …) */
  rng: z.array(rngStateSchema),
  /** sampler position (epoch, permutation cursor, …), opaque JSON owned by the sampler */
  sampler: z.json(),
  /** other per-step state as JSON (e.g. AdaCos scale, CurricularFace t, SphereFace λ) */
  extra: z.record(z.string(), z.json()).default({}),
}).strict();

/** Checkpoint state (input form: defaults may be omitted). */
export type CheckpointState = z.input<typeof checkpointStateSchema>;

const sidecarSchema = checkpointStateSchema.extend({
  format: z.literal(FORMAT),
  version: z.literal(CHECKPOINT_VERSION),
  weights: z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), tensors: z.number().int() }),
}).strict();

/** A checkpoint as loaded: validated state and the host tensors by name. */
export interface LoadedCheckpoint {
  /** validated sidecar state (defaults applied) */
  state: z.output<typeof checkpointStateSchema>;
  /** tensors by name */
  tensors: Map<string, NamedArray>;
}

/** An invalid checkpoint; the message names the file and what is wrong. */
export class CheckpointError extends Error {
  /** Creates an error about `file`. */
  constructor(file: string, detail: string) {
    super(`checkpoint ${file}: ${detail}`);
    this.name = "CheckpointError";
  }
}

/** SHA-256 of the canonical JSON of a validated state: what the tensor file's metadata records. */
function stateDigest(state: LoadedCheckpoint["state"]): Promise<string> {
  return sha256Hex(new TextEncoder().encode(canonicalJson(state)));
}

/** Writes `<name>.safetensors` then `<name>.json`. Use a new name per step to keep the previous checkpoint. */
export async function saveCheckpoint(
  store: FileStore,
  name: string,
  state: CheckpointState,
  tensors: readonly NamedArray[],
): Promise<void> {
  const validated = checkpointStateSchema.parse(state);
  const metadata = { format: FORMAT, step: String(validated.step), state_sha256: await stateDigest(validated) };
  const bytes = encodeSafetensors(tensors, metadata);
  const weightsFile = `${name}.safetensors`;
  await store.write(weightsFile, bytes);
  const sidecar = {
    format: FORMAT,
    version: CHECKPOINT_VERSION,
    ...validated,
    weights: { file: weightsFile, sha256: await sha256Hex(bytes), tensors: tensors.length },
  };
  await store.write(`${name}.json`, new TextEncoder().encode(JSON.stringify(sidecar, null, 2) + "\n"));
}

async function readSidecar(store: FileStore, name: string) {
  const sidecarFile = `${name}.json`;
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(await store.read(sidecarFile)));
  } catch (error) {
    throw new CheckpointError(sidecarFile, `cannot read sidecar (${(error as Error).message})`);
  }
  const parsed = sidecarSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CheckpointError(sidecarFile, `field "${issue.path.join(".")}": ${issue.message}`);
  }
  const { weights, format: _format, version: _version, ...state } = parsed.data;
  return { sidecarFile, weights, state };
}

/**
 * Reads and validates checkpoint `name`: sidecar schema, tensor-file hash, safetensors structure, and the step and
 * state digest recorded in the tensor file's metadata against the sidecar.
 */
export async function loadCheckpoint(store: FileStore, name: string): Promise<LoadedCheckpoint> {
  const { sidecarFile, weights, state } = await readSidecar(store, name);
  const bytes = await store.read(weights.file);
  const hash = await sha256Hex(bytes);
  if (hash !== weights.sha256) {
    throw new CheckpointError(
      weights.file,
      `SHA-256 ${hash} does not match ${weights.sha256} recorded in ${sidecarFile} (corrupt or from another save)`,
    );
  }
  const file = decodeSafetensors(bytes, weights.file);
  if (file.tensors.size !== weights.tensors) {
    throw new CheckpointError(weights.file, `has ${file.tensors.size} tensors, sidecar says ${weights.tensors}`);
  }
  const { format, step, state_sha256: digest } = file.metadata;
  if (format !== FORMAT) throw new CheckpointError(weights.file, `metadata format is ${format}, expected ${FORMAT}`);
  if (step !== String(state.step)) {
    throw new CheckpointError(
      sidecarFile,
      `step ${state.step} does not match step ${step} recorded in ${weights.file}`,
    );
  }
  if (digest !== (await stateDigest(state))) {
    throw new CheckpointError(
      sidecarFile,
      `state (sampler, RNG, schedule, …) does not match the SHA-256 recorded in ${weights.file} (edited?)`,
    );
  }
  return { state, tensors: file.tensors };
}

/**
 * Copies loaded tensors into live ones (same backend storage, so references stay valid). Every entry must be
 * present with the same shape and dtype; `source` (the file) is named in errors.
 */
export function restoreTensors(
  entries: readonly { path: string; tensor: Tensor }[],
  tensors: ReadonlyMap<string, NamedArray>,
  source: string,
): void {
  for (const { path, tensor } of entries) {
    const saved = tensors.get(path);
    if (!saved) throw new CheckpointError(source, `tensor "${path}" is missing`);
    const dtype = saved.data instanceof Float32Array ? "f32" : "i32";
    if (dtype !== tensor.dtype || saved.shape.join() !== tensor.shape.join()) {
      throw new CheckpointError(
        source,
        `tensor "${path}" is ${dtype} ${formatShape(saved.shape)}, expected ${tensor.dtype} ${
          formatShape(tensor.shape)
        }`,
      );
    }
    tensor.write(saved.data);
  }
}
