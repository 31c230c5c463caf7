/**
 * The `latest` pointer of a checkpoint store: the names of the complete checkpoints kept, newest first, one per
 * line (a one-line file written by an older version is read the same way). Resuming loads the newest that passes
 * every check and falls back to the next one, saying so, when it does not; an empty or malformed pointer, or a
 * pointer whose checkpoints are all unusable, is an error rather than a silent restart from step 0.
 * @module
 */
import { CheckpointError, type FileStore, loadCheckpoint, type LoadedCheckpoint } from "./checkpoint.ts";

/** Name of the pointer file. */
export const LATEST = "latest";

const NAME = /^step-\d{8}$/;

/** Checkpoint name of a step: `step-NNNNNNNN`. */
export function checkpointName(step: number): string {
  return `step-${String(step).padStart(8, "0")}`;
}

/** The names listed in `latest`, newest first; [] when there is no pointer (a fresh run). */
export async function readLatest(store: FileStore): Promise<string[]> {
  if (!(await store.exists(LATEST))) return [];
  const names = new TextDecoder().decode(await store.read(LATEST)).split("\n").map((l) => l.trim()).filter(Boolean);
  if (names.length === 0) throw new CheckpointError(LATEST, "is empty; it should name the newest checkpoint");
  const bad = names.find((n) => !NAME.test(n));
  if (bad !== undefined) throw new CheckpointError(LATEST, `line ${JSON.stringify(bad)} is not a checkpoint name`);
  return names;
}

/** Switches `latest` (atomically, through the store) to `names`, newest first. */
export function writeLatest(store: FileStore, names: readonly string[]): Promise<void> {
  return store.write(LATEST, new TextEncoder().encode(names.join("\n") + "\n"));
}

/** The newest usable checkpoint: its name, the loaded checkpoint and every name the pointer lists. */
export interface ResolvedCheckpoint {
  /** the checkpoint loaded */
  name: string;
  /** its validated state and tensors */
  checkpoint: LoadedCheckpoint;
  /** all names in `latest`, newest first (including unusable ones) */
  listed: string[];
}

/**
 * Loads the newest checkpoint of `latest` that passes {@link loadCheckpoint}; each one skipped is reported through
 * `log`. Null when there is no pointer; throws when the pointer is damaged or none of its checkpoints is usable.
 */
export async function loadNewestCheckpoint(
  store: FileStore,
  log: (line: string) => void,
): Promise<ResolvedCheckpoint | null> {
  const listed = await readLatest(store);
  if (listed.length === 0) return null;
  const failures: string[] = [];
  for (const [k, name] of listed.entries()) {
    try {
      return { name, checkpoint: await loadCheckpoint(store, name), listed };
    } catch (error) {
      const reason = (error as Error).message;
      failures.push(`${name}: ${reason}`);
      if (k + 1 < listed.length) log(`checkpoint ${name} is unusable (${reason}); falling back to ${listed[k + 1]}`);
    }
  }
  throw new CheckpointError(LATEST, `no usable checkpoint (${failures.join("; ")})`);
}
