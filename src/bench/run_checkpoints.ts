/**
 * Mid-training checkpoints of a bench run, so that a killed run resumes inside the model it was training rather than
 * at its start: pre-training (per backbone and seed) and every cell (per backbone, head, stage and seed) checkpoint
 * into their own folder beside the run's journal (`<out>/.resume/<key>.checkpoints/`). A cell's folder goes once its
 * row is in the journal; pre-training folders stay until the run's report is written (a resumed run reads the
 * pre-trained weights from their last checkpoint), then the whole folder goes.
 * @module
 */
import { join } from "node:path";
import { host } from "../io/host.ts";
import type { FileStore } from "../train/checkpoint.ts";
import { directoryStore } from "../train/directory_store.ts";
import type { MatrixCell } from "./presets.ts";

/** What names a cell's checkpoints: its backbone, head and stage. */
type CellName = Pick<MatrixCell, "backbone" | "head" | "stage">;

/** The checkpoint folders of one run, under `root`. */
export class RunCheckpoints {
  /** `root`: the folder beside the run's journal. */
  constructor(readonly root: string) {}

  /** The store of pre-training `backbone` with `seed`. */
  pretraining(backbone: string, seed: number): FileStore {
    return directoryStore(join(this.root, `pretrain__${backbone}__seed${seed}`));
  }

  /** The store of a cell and seed. */
  cell(cell: CellName, seed: number): FileStore {
    return directoryStore(this.#cellDir(cell, seed));
  }

  /** Whether an earlier, interrupted run of the same command left checkpoints. */
  present(): Promise<boolean> {
    return host().exists(this.root);
  }

  /** Deletes a finished cell's checkpoints. */
  async dropCell(cell: CellName, seed: number): Promise<void> {
    await removeIfPresent(this.#cellDir(cell, seed));
  }

  /** Deletes every checkpoint of the run (its report is written). */
  async remove(): Promise<void> {
    await removeIfPresent(this.root);
  }

  #cellDir(cell: CellName, seed: number): string {
    return join(this.root, `${cell.backbone}__${cell.head}__${cell.stage}__seed${seed}`);
  }
}

/** Removes `path` and everything below it, if it exists. */
async function removeIfPresent(path: string): Promise<void> {
  if (await host().exists(path)) await host().remove(path, { recursive: true });
}
